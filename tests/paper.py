"""The council's result, the way the engine takes it: from a closed meeting of the council. For
tests that need a dossier past the council without running a vote, a meeting held on paper is
recorded (approvals.paper_meetings) with every member present."""

import datetime as dt

from django.utils import timezone

from approvals import paper_meetings
from approvals import services as approvals
from approvals.meeting_services import council_members_on
from dossiers.models import Nominee, NomineeOutcome
from org.models import CouncilRole
from tests import factories as f


def council_of_size(council, size):
    """Members of `council` today, with ordinary members added until there are `size`."""
    members = council_members_on(council, timezone.localdate())
    for i in range(len(members), size):
        f.council_member(council, "member", username=f"paper_member_{council.pk}_{i}")
    return [m.user for m in council_members_on(council, timezone.localdate())]


def record(*, secretary, council, dossiers, votes_for=None, against=0, size=None, counts=None, **kwargs):
    """A meeting held on paper an hour ago, every member present, each eligible nominee of the
    dossiers given `votes_for` (all members by default) and `against` votes, or `counts`
    ({nominee_id: {"votes_for", …}}). No hand-off."""
    members = council_of_size(council, size or 0)
    chair = next(
        m.user
        for m in council_members_on(council, timezone.localdate())
        if m.council_role in (CouncilRole.CHAIR, CouncilRole.VICE_CHAIR)
    )
    nominees = Nominee.objects.current().filter(dossier__in=dossiers, outcome=NomineeOutcome.ELIGIBLE)
    given_for = len(members) - against if votes_for is None else votes_for
    values = dict(
        actor=secretary,
        council=council,
        held_at=timezone.now() - dt.timedelta(hours=1),
        place="Hội trường UBND phường",
        chairperson=chair,
        dossiers=dossiers,
        present=members,
        counts=counts or {n.pk: {"votes_for": given_for, "votes_against": against} for n in nominees},
        minutes=f.pdf_upload("bien-ban-hop.pdf", "Biên bản họp Hội đồng"),
    )
    service = kwargs.pop("service", paper_meetings.paper_meeting_record)
    values.update(kwargs)
    return service(**values)


def handed_over(*, secretary, council, dossiers, **kwargs):
    """The same meeting, recorded through the workflow: each dossier moves on to the vice-chair's
    opinion with the meeting's result (workflows.council)."""
    from workflows import council as workflow_council

    return record(
        secretary=secretary,
        council=council,
        dossiers=dossiers,
        service=workflow_council.paper_meeting_record,
        **kwargs,
    )


def council_result(*, secretary, council, dossier, votes_for=None, against=0, size=None):
    """approvals' hand-off of a paper meeting's result (no workflow task involved)."""
    meeting = record(
        secretary=secretary,
        council=council,
        dossiers=[dossier],
        votes_for=votes_for,
        against=against,
        size=size,
    )
    return approvals.council_result_record(actor=secretary, dossier=dossier, meeting=meeting)
