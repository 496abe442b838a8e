"""Step 5 as the workflow sees it: closing a council meeting hands each dossier on its agenda over
to the next step, in one transaction with the close.

The meeting, its ballots and its tally are approvals' business (approvals.meeting_services); the
order of steps is ours. The chairperson closes the vote; the council's result of each dossier is
then recorded by the meeting's secretary, the person the workflow's council step belongs to
(approvals.permissions.can_record_council_result), so the audit trail shows both: the chairperson
closing the vote (meeting.close) and the secretary's hand-off (dossier.council_result). Finally
the campaign's quotas are applied to what was handed over. Any refusal on the way (a dossier whose
council task is not open, a secretary no longer in office) leaves the meeting open and every
dossier as it was.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from approvals import meeting_services
from dossiers.models import Dossier

from . import services as workflow_services


def meeting_close(*, actor, meeting, conclusion="") -> dict[int, dict]:
    """Close the meeting's vote (its chairperson) and move each agenda dossier on to the
    vice-chair's opinion with the council's result. Returns {dossier_id: results}."""
    with transaction.atomic():
        results = meeting_services.meeting_close(actor=actor, meeting=meeting, conclusion=conclusion)
        secretary = get_user_model().objects.get(pk=meeting.secretary_id)
        for dossier in Dossier.objects.filter(pk__in=results).order_by("pk"):
            workflow_services.council_result_record(
                actor=secretary, dossier=dossier, results=results[dossier.pk]
            )
        meeting_services.meeting_quota_apply(actor=actor, meeting=meeting)
    return results
