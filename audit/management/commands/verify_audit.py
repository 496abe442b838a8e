import sys

from django.core.management.base import BaseCommand, CommandError

from audit import checkpoints
from audit.verify import ExportFormatError, read_export, verify_database, verify_events


class Command(BaseCommand):
    help = (
        "Check the audit chain (the database, or an export with --file): prints `ok N HEAD`, "
        "or the first fault and exits with status 1. With --checkpoint FILE it also proves that "
        "the chain still extends that signed head, signed by the key given with --public-key, or else "
        "AUDIT_CHECKPOINT_PUBLIC_KEY, or else this host's own checkpoint key; with none of them it "
        "refuses."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", metavar="PATH", help="verify this JSON Lines export ('-' for stdin)")
        parser.add_argument("--checkpoint", metavar="FILE", help="a checkpoint written by audit_checkpoint")
        parser.add_argument(
            "--public-key",
            metavar="HEX_OR_PEM",
            help=(
                "the key the checkpoint must be signed with, 64 hex digits or a PEM file "
                "(default: AUDIT_CHECKPOINT_PUBLIC_KEY, else the public half of AUDIT_CHECKPOINT_KEY)"
            ),
        )
        parser.add_argument("--database", default="default")

    def handle(self, *, file, checkpoint, public_key, database, **options):
        signed = None
        if checkpoint:
            try:
                trusted = checkpoints.trusted_public_key(public_key)
            except checkpoints.CheckpointError as exc:  # none at all (KeyMissing), or not a key
                raise CommandError(str(exc)) from None
            try:
                signed = checkpoints.check(checkpoints.read(checkpoint), public_key=trusted)
            except checkpoints.CheckpointError as exc:
                self.stdout.write(f"fault in checkpoint {checkpoint}: {exc}")
                sys.exit(1)
        if file is None:
            result = verify_database(using=database, checkpoint=signed)
        else:
            try:
                if file == "-":
                    result = verify_events(read_export(sys.stdin.buffer), checkpoint=signed)
                else:
                    with open(file, "rb") as stream:
                        result = verify_events(read_export(stream), checkpoint=signed)
            except ExportFormatError as exc:
                self.stdout.write(f"fault at {exc}")
                sys.exit(1)
        self.stdout.write(str(result))
        if not result.ok:
            # Exit status for scripts; the fault itself is on stdout, like the `ok` line.
            sys.exit(1)
        if signed:
            self.stdout.write(
                f"extends checkpoint {signed['seq']} {signed['hash']} signed {signed['ts']} "
                f"by key {signed['public_key']}"
            )
