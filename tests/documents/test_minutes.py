"""The biên bản from a council meeting (approvals.meeting_selectors.meeting_minutes): who was
present, the secret ballot's numbers per nominee over ALL members, signed by the meeting's
secretary and chairperson."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from approvals import meeting_services as ms
from documents import services
from documents.models import GeneratedKind as K
from dossiers.models import DossierState, NomineeOutcome
from tests import factories as f

from .helpers import pdf_bytes, text


@pytest.fixture
def closed_meeting(world):
    council = world.council
    chair = f.council_member(council, "chair", username="cchair", full_name="Vũ Đức Thắng")
    vice = f.council_member(council, "vice_chair", username="vice", full_name="Hoàng Minh Tuấn")
    secretary = f.council_member(council, "secretary", username="secretary", full_name="Đỗ Thị Hạnh")
    others = [
        f.council_member(council, "member", username=f"m{i}", full_name=f"Ủy viên {i}") for i in range(1, 6)
    ]
    members = [chair, vice, secretary, world.member, *others]
    today = timezone.localdate()
    rule = f.award("giay-khen").rule_on(today)
    dossier = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        state=DossierState.IN_COUNCIL,
        rules_date=today,
        submission_count=1,
        title="Đề nghị khen thưởng phong trào Sáng kiến",
    )
    lan = f.NomineeFactory(dossier=dossier, name="Nguyễn Thị Lan", rule=rule, outcome=NomineeOutcome.ELIGIBLE)
    meeting = ms.meeting_schedule(
        actor=secretary,
        council=council,
        scheduled_at=timezone.now() + dt.timedelta(hours=1),
        place="Hội trường UBND phường Long Biên",
        chairperson=chair,
        secretary=secretary,
        dossiers=[dossier],
    )
    ms.meeting_attendance_record(actor=secretary, meeting=meeting, present=members[:8])  # one absent
    ms.meeting_open_voting(actor=secretary, meeting=meeting)
    for member in members[:7]:
        ms.ballot_cast(actor=member, meeting=meeting, nominee=lan, choice="agree")
    ms.ballot_cast(actor=members[7], meeting=meeting, nominee=lan, choice="disagree")
    ms.meeting_close(actor=chair, meeting=meeting, conclusion="Hội đồng thống nhất đề nghị tặng Giấy khen.")
    return dossier, chair, secretary


def test_minutes_come_from_the_meeting_and_are_signed_by_its_officers(closed_meeting, world):
    dossier, chair, secretary = closed_meeting
    document = services.document_render(actor=secretary, kind=K.MINUTES, subject=dossier)
    content = " ".join(text(pdf_bytes(document)).split())
    for expected in [
        "BIÊN BẢN",
        "Hội trường UBND phường Long Biên",
        "Có mặt 8/9 thành viên",
        "Nguyễn Thị Lan Giấy khen 7/9 1 0 1 77,78% Đạt",
        "Hội đồng thống nhất đề nghị tặng Giấy khen.",
        "Chủ trì: Vũ Đức Thắng",
        "Thư ký: Đỗ Thị Hạnh",
    ]:
        assert expected in content, expected
    with pytest.raises(PermissionDenied, match="chairperson and secretary"):
        services.document_sign(actor=world.chair, document=document)
    services.document_sign(actor=secretary, document=document)
    # The chairperson has no key in the session's key directory: the refusal says so.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="no signing key"):
        services.document_sign(actor=chair, document=document)
