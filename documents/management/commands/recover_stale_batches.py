from django.core.management.base import BaseCommand

from documents.services import certificate_batches_recover


class Command(BaseCommand):
    help = (
        "Send again every batch of certificates whose worker stopped (its lease expired), or fail "
        "it after the limit of attempts. Celery beat runs the same every minute "
        "(documents.recover_stale_batches); without a broker the batch runs here, in this process."
    )

    def handle(self, *args, **options):
        acted = certificate_batches_recover()
        for batch_id, outcome in acted:
            self.stdout.write(f"batch {batch_id}: {outcome}")
        if not acted:
            self.stdout.write("no stale batch")
