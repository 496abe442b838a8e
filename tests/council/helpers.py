"""Assertions shared by the council tests."""

import pytest

from approvals import sealing
from approvals.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotComment,
    CouncilMeeting,
    CouncilResult,
    OpenVote,
    Participation,
    Recusal,
    SealedBallot,
    WrittenOpinion,
)
from audit.models import AuditEvent
from dossiers.models import Dossier, Nominee


def snapshot():
    """Everything a meeting service may write, as plain values."""
    return (
        list(CouncilMeeting.objects.order_by("pk").values_list("pk", "state", "members_total", "closed_at")),
        list(
            AgendaItem.objects.order_by("pk").values_list(
                "pk", "votes_for", "votes_against", "abstentions", "result"
            )
        ),
        list(Attendance.objects.order_by("pk").values_list("pk", "member_id", "status")),
        list(Participation.objects.order_by("pk").values_list("pk", "item_id", "member_id", "how")),
        sorted(Ballot.objects.values_list("pk", "item_id", "choice")),
        sorted(
            (pk, item_id, bytes(blob))
            for pk, item_id, blob in SealedBallot.objects.values_list("pk", "item_id", "sealed")
        ),
        sorted(BallotComment.objects.values_list("pk", "item_id", "comment")),
        list(OpenVote.objects.order_by("pk").values_list("pk", "choice")),
        list(Recusal.objects.order_by("pk").values_list("pk", "member_id", "reason")),
        list(WrittenOpinion.objects.order_by("pk").values_list("pk", "comment")),
        list(CouncilResult.objects.order_by("pk").values_list("pk", "passed")),
        list(Dossier.objects.order_by("pk").values_list("pk", "state")),
        list(Nominee.objects.order_by("pk").values_list("pk", "outcome")),
        AuditEvent.objects.count(),
    )


def unchanged_after(call, exc, match=None):
    """`call` raises `exc` (its message containing `match`) and leaves every row as it was."""
    before = snapshot()
    with pytest.raises(exc) as info:
        call()
    assert snapshot() == before
    if match:
        assert match in str(info.value), str(info.value)
    return info.value


def opened_ballots(meeting):
    """What the close would open: [(nominee_id, choice, comment)] of the meeting's sealed ballots,
    sorted, read with the meeting's key (which only the application holds)."""
    meeting.refresh_from_db()
    opener = sealing.Opener(meeting.ballot_key_id)
    rows = SealedBallot.objects.filter(item__meeting=meeting).values_list(
        "item_id", "item__nominee_id", "sealed"
    )
    return sorted(
        (nominee_id, *opener.open(blob, meeting_id=meeting.pk, item_id=item_id))
        for item_id, nominee_id, blob in rows
    )


def last_event():
    return AuditEvent.objects.order_by("-seq").first()
