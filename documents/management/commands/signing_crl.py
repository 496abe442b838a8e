"""`manage.py signing_crl [--revoke NAME …]`: the demo CA's certificate revocation list.

Revokes the certificates of the keys named (a username, or an agency key `agency-…`) and writes
the CRL again, `<SIGNING_KEYS_DIR>/ca.crl`, which /signing/ca.crl serves: the address to set as
SIGNING_CRL_URL before the keys are issued (it is written into each certificate as its CRL
distribution point). Run it again before the CRL's next update (7 days). Demo CA only: a real
CA publishes its own revocation data."""

from django.core.management.base import BaseCommand, CommandError

from documents import signing


class Command(BaseCommand):
    help = "Revoke demo certificates (--revoke) and publish the demo CA's CRL in SIGNING_KEYS_DIR."

    def add_arguments(self, parser):
        parser.add_argument(
            "--revoke", nargs="*", default=[], metavar="NAME", help="usernames or agency keys"
        )
        parser.add_argument("--days", type=int, default=7, help="days until the CRL's next update")

    def handle(self, *args, revoke, days, **options):
        directory, secret = signing.keys_dir(), signing.passphrase()
        for name in revoke:
            if not (directory / f"{name}.p12").exists():
                raise CommandError(f"No key {name}.p12 in {directory}")
            serial = signing.revoke(directory, username=name, secret=secret)
            self.stdout.write(f"revoked {name} (serial {serial})")
        path = signing.publish_crl(directory, secret, days=days)
        self.stdout.write(f"CRL: {path}")
