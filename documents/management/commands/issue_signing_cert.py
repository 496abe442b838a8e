"""`manage.py issue_signing_cert [username …]`: a demo certificate authority and, for each signer,
a PKCS#12 key and certificate in settings.SIGNING_KEYS_DIR. Idempotent: existing files are kept
(use --force to issue a new key). For the demo only: a real deployment installs keys issued by
its own CA there and lists that CA in SIGNING_TRUST_ROOTS."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from documents import signing
from org.models import CouncilMembership, CouncilRole, Role, RoleAssignment

SIGNING_ROLES = [Role.CHAIR, Role.UNIT_HEAD]
SIGNING_COUNCIL_ROLES = [CouncilRole.CHAIR, CouncilRole.VICE_CHAIR, CouncilRole.SECRETARY]


def signers_today():
    """Everyone who signs something today: chairs, unit heads, the council's chair, vice-chair
    and secretary."""
    today = timezone.localdate()
    ids = set(
        RoleAssignment.objects.active_on(today)
        .filter(role__in=SIGNING_ROLES)
        .values_list("user_id", flat=True)
    )
    ids |= set(
        CouncilMembership.objects.active_on(today)
        .filter(council_role__in=SIGNING_COUNCIL_ROLES)
        .values_list("user_id", flat=True)
    )
    return (
        get_user_model()
        .objects.filter(Q(pk__in=ids), is_active=True)
        .select_related("unit")
        .order_by("username")
    )


class Command(BaseCommand):
    help = "Create the demo CA and a signing key (PKCS#12) per signer in SIGNING_KEYS_DIR (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "usernames", nargs="*", help="Default: everyone who signs (chairs, unit heads, council officers)."
        )
        parser.add_argument("--force", action="store_true", help="Issue a new key even if one exists.")

    def handle(self, *args, usernames, force, **options):
        User = get_user_model()
        if usernames:
            users = list(User.objects.filter(username__in=usernames).select_related("unit"))
            unknown = set(usernames) - {u.username for u in users}
            if unknown:
                raise CommandError(f"No such user: {', '.join(sorted(unknown))}")
        else:
            users = list(signers_today())
        directory = signing.keys_dir()
        secret = signing.passphrase()
        if secret == signing.DEMO_PASSPHRASE.encode():
            self.stdout.write(
                self.style.WARNING("Using the demo passphrase: set SIGNING_KEY_PASSPHRASE for real keys.")
            )
        signing.issue_ca(directory, secret)
        self.stdout.write(f"CA: {directory / signing.CA_CERT}")
        for user in users:
            path, created = signing.issue_user_key(
                directory,
                username=user.username,
                full_name=user.get_full_name(),
                organisation=user.unit.name if user.unit_id else "",
                secret=secret,
                force=force,
            )
            self.stdout.write(f"  {'created' if created else 'exists '} {path.name}  {user.get_full_name()}")
