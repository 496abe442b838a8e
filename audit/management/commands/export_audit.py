import json
from itertools import islice

from django.core.management.base import BaseCommand

from audit.selectors import CHUNK_SIZE, events_exported


class Command(BaseCommand):
    help = "Write the audit chain as JSON Lines (UTF-8), one event a line, in seq order."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=int, default=0, metavar="SEQ", help="only events with seq > SEQ")
        parser.add_argument("--database", default="default")

    def handle(self, *, since, database, **options):
        # UTF-8 whatever the console's encoding: write bytes when the stream takes them.
        binary = getattr(self.stdout, "buffer", None)
        self.stdout.flush()
        events = events_exported(since=since, using=database)
        # A write per chunk, not per line: stdout may be unbuffered (python -u).
        while chunk := list(islice(events, CHUNK_SIZE)):
            text = "".join(
                json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n" for event in chunk
            )
            if binary is not None:
                binary.write(text.encode("utf-8"))
            else:
                self.stdout.write(text, ending="")
        if binary is not None:
            binary.flush()
