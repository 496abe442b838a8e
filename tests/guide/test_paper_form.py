"""The paper-meeting form tells every problem at once (the file's with the counts'), says the
minutes are a PDF and nothing else, and offers no submit button when there is nothing to record."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals.models import CouncilMeeting
from dossiers.models import Dossier
from tests import factories as f


def _body(w, dossier, **overrides):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    body = {
        "council": w.council.pk,
        "day": yesterday.isoformat(),
        "time": "08:00",
        "place": "Phòng họp tầng 2",
        "chairperson": w.cchair.pk,
        "present": [m.pk for m in w.members],
        "secret_ballot": "on",
        "dossiers": [dossier.pk],
        **{f"for_{n.pk}": 9 for n in dossier.agenda_nominees},
        "minutes": f.pdf_upload("bien-ban.pdf", "Biên bản"),
    }
    body.update(overrides)
    return body


def test_a_wrong_file_and_too_many_votes_are_told_together(cw, dossier, client):
    client.force_login(cw.secretary)
    first = dossier.agenda_nominees[0]
    body = _body(
        cw,
        dossier,
        **{
            f"for_{first.pk}": 12,  # nine members on the council
            "minutes": SimpleUploadedFile("bien-ban.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png"),
        },
    )
    states = list(Dossier.objects.values_list("pk", "state"))

    response = client.post("/meetings/paper/", body)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Biên bản đã ký phải là tệp PDF." in page  # the file's error ...
    assert "12 phiếu" in page  # ... and the count's, in the same answer
    assert "DOCX" not in page and "JPEG" not in page  # the file field takes PDF only
    assert "chưa được lưu: hãy chọn lại tệp" in page  # the browser does not keep the file
    assert not CouncilMeeting.objects.exists()
    assert list(Dossier.objects.values_list("pk", "state")) == states


def test_no_file_is_told_with_the_other_problems_not_as_a_bare_required_field(cw, dossier, client):
    client.force_login(cw.secretary)
    body = _body(cw, dossier, present=[cw.cchair.pk])  # no quorum either
    del body["minutes"]

    response = client.post("/meetings/paper/", body)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Hãy đính kèm biên bản phiên họp đã ký (tệp PDF)." in page
    assert "Không đủ số thành viên tham dự: có mặt 1/9" in page  # the quorum, in the same answer
    assert not CouncilMeeting.objects.exists()


def test_the_file_field_says_pdf_only(cw, dossier, client):
    client.force_login(cw.secretary)
    page = client.get("/meetings/paper/").content.decode()
    assert "Chỉ nhận tệp PDF" in page
    assert 'data-testid="paper-meeting-form"' in page


def test_with_no_dossier_before_the_council_the_page_says_so_and_offers_no_submit(cw, client):
    client.force_login(cw.secretary)
    page = client.get("/meetings/paper/").content.decode()
    assert "Hiện không có hồ sơ nào trình Hội đồng" in page
    assert 'data-testid="paper-meeting-form"' not in page
    assert "Ghi nhận phiên họp và chuyển kết quả" not in page
