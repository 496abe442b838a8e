"""The minutes and the revocation as an office issues them, read back from the PDFs: the minutes'
number from the council's register and the meeting's own times in Vietnam time, rounded
percentages, a conclusion naming the awards and recipients; the revocation's full body."""

import datetime as dt
from decimal import Decimal

import pytest

from approvals import services as approvals
from approvals.meetings import CouncilMeeting
from documents import services
from documents.contexts import percent_text
from documents.models import GeneratedKind as K
from org.models import RegisterEntry, RegisterSeries, Role
from org.register_services import register_record_outside
from org.words import rounded_percent
from tests import factories as f
from tests import paper
from tests.workflows.conftest import in_council, new_dossier, people  # noqa: F401  (fixture)

from .conftest import REVOCATION_DAY
from .helpers import pdf_bytes, text

UTC = dt.UTC


def flat(document) -> str:
    return " ".join(text(pdf_bytes(document)).split())


@pytest.mark.parametrize(
    "part, whole, shown",
    [(2, 3, "66,67%"), (7, 9, "77,78%"), (5, 11, "45,45%"), (1, 800, "0,13%"), (9, 9, "100,00%")],
)
def test_percentages_are_rounded_half_up_with_a_decimal_comma(part, whole, shown):
    assert percent_text(rounded_percent(part, whole)) == shown
    assert rounded_percent(1, 800) == Decimal("0.13")  # half up, not to even


@pytest.fixture
def paper_minutes(people):  # noqa: F811  (the fixture)
    """A meeting held on paper from 23:30 to 00:10 Vietnam time (16:30 to 17:10 UTC), 7 of 9 for
    the nominee, after the council's paper minutes 01/BB-HĐTĐKT were recorded by the clerk."""
    w = people
    w.commune.place_name = "Long Biên"
    w.commune.save()
    clerk = f.user_with_role(Role.RECORDS_CLERK, w.commune, username="vanthu")
    register_record_outside(
        actor=clerk,
        unit=w.commune,
        year=2026,
        number=1,
        symbol="BB-HĐTĐKT",
        issued_on=dt.date(2026, 1, 15),
        subject="Biên bản họp triển khai nhiệm vụ năm 2026",
        series=RegisterSeries.COUNCIL,
    )
    dossier = in_council(w, new_dossier(w))
    paper.record(
        secretary=w.secretary,
        council=w.council,
        dossiers=[dossier],
        size=9,
        votes_for=7,
        against=2,
        held_at=dt.datetime(2026, 3, 10, 16, 30, tzinfo=UTC),
        ended_at=dt.datetime(2026, 3, 10, 17, 10, tzinfo=UTC),
    )
    return w, dossier


def test_the_minutes_bear_the_councils_number_and_the_meetings_own_times(paper_minutes):
    w, dossier = paper_minutes
    document = services.document_render(actor=w.secretary, kind=K.MINUTES, subject=dossier)
    content = flat(document)
    nominee = dossier.nominees.get()
    for expected in [
        "Số: 02/BB-HĐTĐKT",
        "BIÊN BẢN",
        "vào hồi 23 giờ 30 phút, ngày 10 tháng 3 năm 2026",
        "kết thúc vào hồi 00 giờ 10 phút ngày 11/03/2026",
        "7/9 2 0 0 77,78% Đạt",
        f"Hội đồng đề nghị tặng {nominee.award_type.name} cho: {nominee.name}.",
    ]:
        assert expected in content, (expected, content)
    # The number is the meeting's: rendering again takes none.
    meeting = CouncilMeeting.objects.get()
    assert meeting.ended_at == dt.datetime(2026, 3, 10, 17, 10, tzinfo=UTC)
    services.document_render(actor=w.secretary, kind=K.MINUTES, subject=dossier)
    assert RegisterEntry.objects.filter(register__series=RegisterSeries.COUNCIL).count() == 2


def test_a_paper_meeting_cannot_end_before_it_began(people):  # noqa: F811
    from django.core.exceptions import ValidationError

    w = people
    dossier = in_council(w, new_dossier(w))
    with pytest.raises(ValidationError) as refused:
        paper.record(
            secretary=w.secretary,
            council=w.council,
            dossiers=[dossier],
            held_at=dt.datetime(2026, 3, 10, 16, 30, tzinfo=UTC),
            ended_at=dt.datetime(2026, 3, 10, 16, 0, tzinfo=UTC),
        )
    assert "ended_at" in refused.value.message_dict
    assert not CouncilMeeting.objects.exists() and not RegisterEntry.objects.exists()


def test_the_revocation_says_what_is_revoked_what_is_returned_by_when_and_who_carries_it_out(decided, world):
    lan = decided.nominees[0]
    revocation = approvals.decision_revoke(
        actor=world.chair,
        awards=[lan.award],
        reason="Khai man thành tích",
        signed_on=REVOCATION_DAY,
        return_by=dt.date(2026, 3, 13),
    )
    assert revocation.symbol == "02/QĐ-UBND"
    content = flat(services.document_render(actor=world.chair, kind=K.REVOCATION, subject=revocation))
    amount = f"{lan.award.amount:,}".replace(",", ".")
    for expected in [
        "Số: 02/QĐ-UBND",
        "Về việc hủy bỏ một phần Quyết định số 01/QĐ-UBND",
        "Điều 1. Hủy bỏ hình thức khen thưởng Giấy khen",
        "đã tặng tại Quyết định số 01/QĐ-UBND ngày 05 tháng 02 năm 2026",
        "đối với 01 cá nhân có tên dưới đây. Lý do: Khai man thành tích.",
        "Nguyễn Thị Lan",
        "Điều 2. Các cá nhân, tập thể có tên tại Điều 1 nộp lại Giấy khen và số tiền thưởng đã nhận, "
        f"tổng cộng {amount} đồng",
        "trước ngày 13 tháng 3 năm 2026. Quyết định này có hiệu lực kể từ ngày ký.",
        "Điều 3. Chánh Văn phòng",
        "chịu trách nhiệm thi hành Quyết định này./.",
        "Như Điều 3",
    ]:
        assert expected in content, (expected, content)
    assert "Điều 4" not in content


def test_a_revocation_returns_nothing_on_or_before_its_own_day(decided, world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        approvals.decision_revoke(
            actor=world.chair,
            awards=[decided.nominees[0].award],
            reason="Khai man thành tích",
            signed_on=REVOCATION_DAY,
            return_by=REVOCATION_DAY,
        )
    assert "return_by" in refused.value.message_dict
    assert RegisterEntry.objects.filter(number=2).count() == 0


def test_a_certificate_bears_its_register_number_the_honorific_and_the_period(decided, world):
    lan, _thanh, collective = decided.nominees
    type(lan).objects.filter(pk=lan.pk).update(sex="female")
    first = services.document_render(actor=world.chair, kind=K.CERTIFICATE, subject=lan.award)
    second = services.document_render(actor=world.chair, kind=K.CERTIFICATE, subject=collective.award)
    content = flat(first)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TẶNG",
        "GIẤY KHEN",
        "Bà Nguyễn Thị Lan",
        "Đã có thành tích xuất sắc trong",
        f"Năm {world.campaign.period_end.year}"
        if world.campaign.period_start.year == world.campaign.period_end.year
        else f"Giai đoạn {world.campaign.period_start.year} - {world.campaign.period_end.year}",
        "Quyết định số 01/QĐ-UBND",
        "Số: 01/GK",
        "(Dấu)",
        "Mã xác thực:",
    ]:
        assert expected in content, (expected, content)
    assert "Số: 02/GK" in flat(second) and "Ông" not in flat(second).split("GIẤY KHEN")[1][:20]
    # Made again (changed data, a new version): the same number; the decisions' register is apart.
    services.document_render(actor=world.chair, kind=K.CERTIFICATE, subject=lan.award)
    certificates = RegisterEntry.objects.filter(register__series=RegisterSeries.CERTIFICATES)
    assert sorted(certificates.values_list("number", flat=True)) == [1, 2]
    assert RegisterEntry.objects.filter(register__series=RegisterSeries.DOCUMENTS).count() == 1
