"""Destroy the ballot keys no meeting needs any more (approvals.sealing).

The close and the cancel destroy their meeting's key once their transaction commits; a crash
between the commit and the removal, or a convening whose transaction rolled back, leaves a key
file behind. Run daily (cron or Celery beat): keys of meetings still scheduled or voting stay.
"""

from django.core.management.base import BaseCommand

from approvals import sealing
from approvals.models import CouncilMeeting, MeetingState


class Command(BaseCommand):
    help = "Destroy the ballot keys of meetings that are closed, cancelled or unknown."

    def handle(self, *args, **options):
        live = CouncilMeeting.objects.filter(
            state__in=[MeetingState.SCHEDULED, MeetingState.VOTING], ballot_key_id__isnull=False
        ).values_list("ballot_key_id", flat=True)
        gone = sealing.purge_keys(list(live))
        self.stdout.write(f"destroyed {len(gone)} ballot key(s)")
