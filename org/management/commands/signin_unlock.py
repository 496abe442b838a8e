"""Lift a sign-in lockout before its cool-off ends, as a named administrator (audited)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from org.models import User
from org.services import signin_unlock


class Command(BaseCommand):
    help = "Unlock the sign-in of USERNAME (from one address with --address), as --by ADMIN."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--address", default=None, help="only the lockout from this address")
        parser.add_argument("--by", required=True, help="the administrator who unlocks (recorded)")

    def handle(self, username, address, by, **options):
        actor = User.objects.filter(username=by, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active account named {by!r}.")
        try:
            cleared = signin_unlock(actor=actor, username=username, address=address)
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(f"unlocked {username}: {cleared} count(s) cleared")
