"""The minutes name each absent member with the reason the secretary recorded and say whether they
voted in writing (from a meeting held in the engine), or how many absent members did (a meeting
held on paper, whose minutes give only the number). Read back from the PDF."""

import pytest

from approvals import meeting_services as ms
from approvals import paper_meetings
from documents import services
from documents.models import GeneratedKind as K
from tests.council.conftest import cw, in_council, schedule  # noqa: F401  (fixture)
from tests.council.test_paper_meeting import paper

from .helpers import pdf_bytes, text


def flat(document) -> str:
    return " ".join(text(pdf_bytes(document)).split())


@pytest.fixture
def dossier(cw):  # noqa: F811  (the fixture)
    return in_council(cw, nominees=1)


def test_the_minutes_list_the_absent_with_their_reasons_and_written_votes(cw, dossier):  # noqa: F811
    away, silent = cw.others[0], cw.others[1]
    meeting = schedule(cw, [dossier])
    (nominee,) = dossier.agenda_nominees
    ms.written_vote_cast(actor=away, meeting=meeting, votes={nominee.pk: {"choice": "agree"}})
    present = [m for m in cw.members if m not in (away, silent)]
    ms.meeting_attendance_record(
        actor=cw.secretary, meeting=meeting, present=present, absence_reasons={away: "đi công tác"}
    )
    ms.meeting_open_voting(actor=cw.secretary, meeting=meeting)
    for member in present:
        ms.ballot_cast(actor=member, meeting=meeting, nominee=nominee, choice="agree")
    ms.meeting_close(actor=cw.cchair, meeting=meeting)

    content = flat(services.document_render(actor=cw.secretary, kind=K.MINUTES, subject=dossier))

    assert "Vắng mặt: Ông/Bà Ủy viên 1 (lý do: đi công tác); có biểu quyết bằng văn bản." in content
    assert "Vắng mặt: Ông/Bà Ủy viên 2; không biểu quyết bằng văn bản." in content
    assert "Có mặt 7/9 thành viên" in content


def test_minutes_held_on_paper_give_the_reasons_and_how_many_voted_in_writing(cw, dossier):  # noqa: F811
    absent = cw.members[7:]
    paper_meetings.paper_meeting_record(
        **paper(cw, [dossier], absence_reasons={absent[0]: "nghỉ ốm", absent[1].pk: "đi học tập trung"})
    )

    content = flat(services.document_render(actor=cw.secretary, kind=K.MINUTES, subject=dossier))

    name0, name1 = absent[0].get_full_name(), absent[1].get_full_name()
    assert f"Vắng mặt: Ông/Bà {name0} (lý do: nghỉ ốm)." in content
    assert f"Vắng mặt: Ông/Bà {name1} (lý do: đi học tập trung)." in content
    assert "Số thành viên vắng mặt biểu quyết bằng văn bản: 2." in content
    assert "không biểu quyết bằng văn bản" not in content
