import sys

from django.core.management.base import BaseCommand, CommandError

from audit import checkpoints
from audit.services import ChainBroken, checkpoint_create


class Command(BaseCommand):
    help = (
        "Verify the audit chain and sign its head (seq, hash, time) with the Ed25519 key of "
        "AUDIT_CHECKPOINT_KEY; write the checkpoint to AUDIT_CHECKPOINT_DIR (or --output) and "
        "record it in the chain. Keep a copy somewhere the database's administrators cannot write."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--init-key",
            action="store_true",
            help="create the key if it is missing (demo and first set-up), then sign",
        )
        parser.add_argument("--key", metavar="PEM", help="the private key (default: AUDIT_CHECKPOINT_KEY)")
        parser.add_argument("--output", metavar="DIR", help="where to write (default: AUDIT_CHECKPOINT_DIR)")
        parser.add_argument(
            "--public-key", action="store_true", help="only print the public key (PEM and hex) and exit"
        )

    def handle(self, *, init_key, key, output, public_key, **options):
        try:
            private = checkpoints.load_private_key(key)
        except checkpoints.KeyMissing:
            if not init_key:
                raise CommandError(
                    "no checkpoint key: run `manage.py audit_checkpoint --init-key` once"
                ) from None
            private = checkpoints.generate_key(key)
            self.stdout.write(f"created {key or checkpoints.key_path()} (keep it secret, back it up)")
            self.stdout.write(
                f"its public half: {checkpoints.public_key_path(key)} "
                "(publish it; verifying hosts set AUDIT_CHECKPOINT_PUBLIC_KEY to it)"
            )
        public_hex = checkpoints.public_key_hex(private)
        if public_key:
            self.stdout.write(checkpoints.public_key_pem(public_hex).decode().strip())
            self.stdout.write(f"public key {public_hex}")
            self.stdout.write(f"fingerprint {checkpoints.fingerprint(public_hex)}")
            return
        try:
            signed, path = checkpoint_create(actor="system", key=private, directory=output)
        except ChainBroken as exc:
            self.stdout.write(f"refused: the chain does not verify ({exc})")
            sys.exit(1)
        self.stdout.write(f"checkpoint {signed['seq']} {signed['hash']} {signed['ts']}")
        self.stdout.write(f"written to {path}")
        self.stdout.write(f"public key {public_hex}")
