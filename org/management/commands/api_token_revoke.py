"""Revoke a person's API token, as a named administrator (audited)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from org.models import User
from org.services import api_token_revoke


class Command(BaseCommand):
    help = "Revoke the API token of USERNAME, as --by ADMIN."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--by", required=True, help="the administrator who revokes (recorded)")

    def handle(self, username, by, **options):
        actor = User.objects.filter(username=by, is_active=True).first()
        user = User.objects.filter(username=username).first()
        if actor is None or user is None:
            raise CommandError(f"No account named {by if actor is None else username!r}.")
        try:
            api_token_revoke(actor=actor, user=user)
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(f"revoked the API token of {username}")
