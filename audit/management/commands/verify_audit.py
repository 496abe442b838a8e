import sys

from django.core.management.base import BaseCommand

from audit.selectors import events_exported
from audit.verify import ExportFormatError, read_export, verify_events


class Command(BaseCommand):
    help = (
        "Check the audit chain (the database, or an export with --file): prints `ok N HEAD`, "
        "or the first fault and exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", metavar="PATH", help="verify this JSON Lines export ('-' for stdin)"
        )
        parser.add_argument("--database", default="default")

    def handle(self, *, file, database, **options):
        if file is None:
            result = verify_events(events_exported(using=database))
        else:
            try:
                if file == "-":
                    result = verify_events(read_export(sys.stdin.buffer))
                else:
                    with open(file, "rb") as stream:
                        result = verify_events(read_export(stream))
            except ExportFormatError as exc:
                self.stdout.write(f"fault at {exc}")
                sys.exit(1)
        self.stdout.write(str(result))
        if not result.ok:
            # Exit status for scripts; the fault itself is on stdout, like the `ok` line.
            sys.exit(1)
