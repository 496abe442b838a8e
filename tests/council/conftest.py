"""A nine-member council of the commune (chair, vice-chair, secretary, six members) and dossiers
before it, set straight into state `in_council` with eligible nominees and pinned rules (the
steps before the council are tested in tests/approvals; the hand-off tests run the real flow)."""

import datetime as dt

import pytest
from django.utils import timezone

from approvals import meeting_services as ms
from dossiers.models import DossierState, NomineeOutcome
from tests import factories as f


@pytest.fixture
def cw(world):
    """The world of tests/conftest.py with a full council: 9 members on the meeting date."""
    w = world
    council = w.council
    w.cchair = f.council_member(council, "chair", username="cchair", full_name="Vũ Đức Thắng")
    w.vice = f.council_member(council, "vice_chair", username="vice", full_name="Hoàng Minh Tuấn")
    w.secretary = f.council_member(council, "secretary", username="secretary", full_name="Đỗ Thị Hạnh")
    w.others = [
        f.council_member(council, "member", username=f"m{i}", full_name=f"Ủy viên {i}") for i in range(1, 6)
    ]
    w.members = [w.cchair, w.vice, w.secretary, w.member, *w.others]
    return w


def in_council(w, nominees=1, award="giay-khen", unit=None, kind="individual", **nominee_kwargs):
    """A dossier before the commune's council with `nominees` eligible nominees."""
    today = timezone.localdate()
    dossier = f.DossierFactory(
        unit=unit or w.school_a,
        campaign=w.campaign,
        created_by=w.staff_a,
        state=DossierState.IN_COUNCIL,
        rules_date=today,
        submission_count=1,
    )
    award_type = f.award(award)
    rule = award_type.rule_on(today)
    dossier.agenda_nominees = [
        f.NomineeFactory(
            dossier=dossier,
            award_type=award_type,
            rule=rule,
            kind=kind,
            outcome=NomineeOutcome.ELIGIBLE,
            **nominee_kwargs,
        )
        for _ in range(nominees)
    ]
    return dossier


def schedule(w, dossiers, **kwargs):
    defaults = dict(
        actor=w.secretary,
        council=w.council,
        scheduled_at=timezone.now() + dt.timedelta(hours=1),
        place="Hội trường UBND phường Long Biên",
        chairperson=w.cchair,
        secretary=w.secretary,
        dossiers=dossiers,
    )
    return ms.meeting_schedule(**{**defaults, **kwargs})


def open_with(w, meeting, present=None):
    present = w.members if present is None else present
    ms.meeting_attendance_record(actor=w.secretary, meeting=meeting, present=present)
    return ms.meeting_open_voting(actor=w.secretary, meeting=meeting)


@pytest.fixture
def dossier(cw):
    return in_council(cw, nominees=2)


@pytest.fixture
def meeting(cw, dossier):
    return schedule(cw, [dossier])


@pytest.fixture
def voting(cw, meeting):
    return open_with(cw, meeting)
