"""`manage.py issue_demo_keys`: the keys and images the demo signs with, made when missing
(demo.signing). `make run` runs it after `seed_demo`. For the demo only."""

from django.core.management.base import BaseCommand
from django.db import transaction

from ...builder import read_settled_notices
from ...signing import issue_demo_keys


class Command(BaseCommand):
    help = (
        "Make the demo's missing signing keys and images: every signer's key and signature image, "
        "each issuing body's agency key and seal, the audit checkpoint key (idempotent; demo only)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            issue_demo_keys(write=self.stdout.write)
        # The decision it publishes settles a dossier: its earlier notices are history too.
        read_settled_notices()
