"""Assertions shared by the council tests."""

import pytest

from approvals.models import (
    AgendaItem,
    Attendance,
    Ballot,
    CouncilMeeting,
    CouncilResult,
    OpenVote,
    Participation,
    Recusal,
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


def last_event():
    return AuditEvent.objects.order_by("-seq").first()
