"""`manage.py seed_demo`: a believable world from the seed documents (demo.data), built through
the real services (demo.builder) so that every demo dossier has its true audit trail. Idempotent:
a second run changes nothing and only prints the logins."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from dossiers.models import Campaign
from dossiers.reference_data import seed_reference_data

from ...builder import DemoBuilder, adopt_orphans, read_settled_notices
from ...data import CAMPAIGN_NAME, PASSWORD, login_groups
from ...meetings import PRESENT
from ...public import keep_the_notice_open
from ...signing import ensure_records_clerks


class Command(BaseCommand):
    help = "Create the demo world (units, councils, people, a campaign, dossiers in every state). Idempotent."

    def handle(self, *args, **options):
        # Normally seeded by migration; restored here if a flush has emptied the tables.
        seed_reference_data(apps)
        if Campaign.objects.filter(name=CAMPAIGN_NAME).exists():
            self.stdout.write("Demo data already present.")
            with transaction.atomic():
                if keep_the_notice_open():
                    self.stdout.write("The demo's list under public notice runs again from today.")
            adopted = adopt_orphans()
            if adopted:
                self.stdout.write(
                    f"{adopted} submitted dossier(s) from before the workflow now have their process. "
                    "For the demo dossiers in every state, run `make clean` and `make run` again."
                )
        else:
            with transaction.atomic():
                DemoBuilder().build()
            read_settled_notices()
            self.stdout.write(self.style.SUCCESS("Demo data created."))
        with transaction.atomic():
            clerks = ensure_records_clerks()
        self.stdout.write("\nDemo logins (password for all: %s — demo only):" % PASSWORD)
        for heading, logins in login_groups():
            self.stdout.write(f"\n {heading}:")
            for username, label in logins:
                self.stdout.write(f"  {username:<14} {label}")
        if clerks:
            self.stdout.write("\n The records offices (they issue the signed decisions):")
            for username, label in clerks:
                self.stdout.write(f"  {username:<14} {label}")
        self.stdout.write(
            "\n The open demo meeting ends when the members present (%s) have all voted on every nominee"
            " and the chair closes it." % ", ".join(PRESENT)
        )
