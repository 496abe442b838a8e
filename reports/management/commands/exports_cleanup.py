"""Remove exported lists past settings.EXPORT_KEEP_HOURS (Celery beat runs it hourly too)."""

from django.core.management.base import BaseCommand

from reports.list_exports import exports_cleanup


class Command(BaseCommand):
    help = "Remove exported xlsx files past their keeping time, and unconfirmed import previews."

    def handle(self, *args, **options):
        removed = exports_cleanup()
        self.stdout.write(f"removed {removed}")
