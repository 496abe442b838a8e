"""Step 5 as the workflow sees it: a council meeting, closed in the engine or held on paper and
recorded, hands each dossier on its agenda over to the next step, in one transaction.

The meeting, its ballots and its tally are approvals' business (approvals.meeting_services,
approvals.paper_meetings); the order of steps is ours. The council's result of a dossier comes
only from such a meeting: approvals.services.council_result_record takes the meeting and re-reads
its agenda, and there is no other way in (no result typed in by hand).

Closing in the engine: the chairperson closes the vote, and that close is what produces the
council's result of each dossier, so the hand-off is theirs too: the audit trail names the
chairperson for the close (meeting.close) and for each result (dossier.council_result)
(approvals.permissions.can_record_council_result lets the closing chairperson hand over their
meeting's result), and the workflow's council step, the secretary's, is completed on their
behalf. Finally the campaign's quotas are applied to what was handed over (meeting.quota_apply).
A tie at a quota's line holds everything back until the council resolves it (a run-off round,
closed like the meeting, or the chair's reasoned decision): only then do the results go over.

On paper: the council's secretary records the meeting (meeting.record_paper, its quotas already
applied) and hands each dossier over (dossier.council_result).

Any refusal on the way (a dossier whose council task is not open, a secretary no longer in
office) leaves the meeting as it was and every dossier as it was.
"""

from django.db import transaction

from approvals import meeting_services, paper_meetings
from approvals import services as approvals
from approvals.models import AgendaItem, CouncilMeeting, MeetingState
from dossiers.models import Dossier

from . import services as workflow_services


def _hand_over(*, actor, meeting):
    """Each dossier of the meeting's agenda gets its result; the meeting, locked by the caller's
    transaction, is read once for all of them."""
    meeting = approvals.locked_meeting(meeting)
    dossier_ids = AgendaItem.objects.filter(meeting=meeting).values_list("dossier_id", flat=True)
    with approvals.holding_meeting(meeting):
        for dossier in Dossier.objects.filter(pk__in=dossier_ids).order_by("pk"):
            workflow_services.council_result_record(actor=actor, dossier=dossier, meeting=meeting)


def _hand_over_when_final(*, actor, meeting):
    """The council's results go to the dossiers only once they are final: the meeting (or, for a
    run-off round, the meeting it belongs to) is closed with no tie left at a quota's line."""
    decided = CouncilMeeting.objects.get(pk=meeting.runoff_of_id or meeting.pk)
    if decided.state != MeetingState.CLOSED:
        return
    _hand_over(actor=actor, meeting=decided)
    meeting_services.meeting_quota_apply(actor=actor, meeting=decided)


def meeting_close(*, actor, meeting, conclusion="") -> dict[int, dict]:
    """Close the meeting's vote (its chairperson), or a run-off round of it, and, once no tie is
    left at a quota's line, move each agenda dossier on to the vice-chair's opinion with the
    council's result. Returns {dossier_id: results} ({} while a tie waits)."""
    with transaction.atomic():
        results = meeting_services.meeting_close(actor=actor, meeting=meeting, conclusion=conclusion)
        _hand_over_when_final(actor=actor, meeting=meeting)
    return results


def meeting_tie_decide(*, actor, meeting, chosen, reason) -> dict[int, dict]:
    """The chairperson decides a tie at the quota line with a recorded reason (where the
    campaign's rule says so), then the results go to the dossiers as at the close."""
    with transaction.atomic():
        results = meeting_services.meeting_tie_decide(
            actor=actor, meeting=meeting, chosen=chosen, reason=reason
        )
        _hand_over_when_final(actor=actor, meeting=meeting)
    return results


def paper_meeting_record(*, actor, minutes, **meeting):
    """Record a meeting the council held on paper (approvals.paper_meetings.paper_meeting_record,
    by the council's secretary) and move each of its dossiers on to the vice-chair's opinion with
    that meeting's result. The stored minutes go if anything is refused."""
    recorded = None
    try:
        with transaction.atomic():
            recorded = paper_meetings.paper_meeting_record(actor=actor, minutes=minutes, **meeting)
            _hand_over(actor=actor, meeting=recorded)
    except Exception:
        if recorded is not None and recorded.minutes_file:
            recorded.minutes_file.storage.delete(recorded.minutes_file.name)
        raise
    return recorded
