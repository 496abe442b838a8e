"""Destroy the ballot keys no meeting needs any more (approvals.sealing).

The close and the cancel destroy their meeting's key once their transaction commits; a crash
between the commit and the removal, or a convening whose transaction rolled back, leaves a key
file behind. Run daily (cron or Celery beat): keys of meetings still scheduled or voting stay, and those the
apps named in settings.BALLOT_KEY_HOLDERS still use.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from approvals import sealing
from approvals.models import CouncilMeeting, MeetingState


class Command(BaseCommand):
    help = "Destroy the ballot keys of meetings that are closed, cancelled or unknown."

    def handle(self, *args, **options):
        live = CouncilMeeting.objects.filter(
            state__in=[MeetingState.SCHEDULED, MeetingState.VOTING], ballot_key_id__isnull=False
        ).values_list("ballot_key_id", flat=True)
        live = list(live)
        # Other apps seal ballots to keys of their own meetings (the initiative council's):
        # settings.BALLOT_KEY_HOLDERS names a function of each that lists the keys still in use.
        for path in getattr(settings, "BALLOT_KEY_HOLDERS", ()):
            live += list(import_string(path)())
        gone = sealing.purge_keys(live)
        self.stdout.write(f"destroyed {len(gone)} ballot key(s)")
