import datetime as dt

from django.urls import reverse
from rest_framework.test import APIClient

from initiatives import services
from initiatives.models import Initiative, InitiativeRecognition
from initiatives.models import InitiativeState as S
from org.models import User
from reports import statistics
from reports.periods import parse_period
from tests import factories as f

from .builders import passed, recognise, register, review


def api_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_a_unit_sees_only_its_own_initiatives(ini, client):
    w = ini.world
    pk = ini.initiative.pk
    for outsider in (w.head_b, ini.teacher_b):
        client.force_login(outsider)
        assert client.get(reverse("initiative-detail", args=[pk])).status_code == 404
        assert ini.initiative.title not in client.get(reverse("initiative-list")).content.decode()
        api = api_for(outsider)
        assert api.get(f"/api/initiatives/{pk}/").status_code == 404
        assert api.get("/api/initiatives/").json()["count"] == 0
        assert api.post(f"/api/initiatives/{pk}/withdraw/").status_code == 404
    # The commune's inspector reads the units under it.
    assert api_for(w.inspector).get(f"/api/initiatives/{pk}/").status_code == 200


def test_a_teacher_registers_on_the_page_and_the_head_submits(ini, client):
    client.force_login(ini.teacher)
    response = client.post(
        reverse("initiative-register"),
        {
            "unit": ini.world.school_a.pk,
            "year": 2026,
            "title": "Ngân hàng câu hỏi trắc nghiệm Lịch sử lớp 9",
            "field": "Giáo dục",
            "summary": "Bộ 600 câu hỏi theo chủ đề.",
            "improvement": "Giáo viên ra đề nhanh hơn.",
            "co_authors": "Trần Thu Hương; 02/05/1990; Giáo viên Lịch sử; 40",
        },
    )
    assert response.status_code == 302
    made = Initiative.objects.get(title__startswith="Ngân hàng câu hỏi")
    assert [(a.name, a.share_percent) for a in made.authors.order_by("pk")] == [
        ("Lê Thị Hoa", 60),
        ("Trần Thu Hương", 40),
    ]
    client.force_login(ini.world.head_a)
    page = client.get(reverse("initiative-detail", args=[made.pk])).content.decode()
    assert 'data-testid="initiative-submit"' in page
    assert client.post(reverse("initiative-submit", args=[made.pk])).status_code == 302
    made.refresh_from_db()
    assert made.state == S.SUBMITTED


def test_the_whole_review_through_the_api(ini):
    w = ini.world
    pk = ini.initiative.pk
    created = api_for(w.staff_a).post(
        "/api/initiatives/",
        {
            "unit": w.school_a.pk,
            "year": 2026,
            "title": "Sổ tay chủ nhiệm điện tử",
            "field": "Quản lý",
            "summary": "Sổ theo dõi học sinh.",
            "improvement": "Đỡ ghi chép.",
            "authors": [{"name": "Lê Thị Hoa", "share_percent": 100}],
        },
        format="json",
    )
    assert created.status_code == 201 and created.json()["state"] == "registered"
    secretary = api_for(ini.secretary)
    meeting = secretary.post(
        "/api/initiatives/meetings/",
        {"held_on": "2026-03-10", "place": "Phòng họp", "initiatives": [pk]},
        format="json",
    )
    assert meeting.status_code == 201
    mid = meeting.json()["id"]
    # Only the chair or the secretary opens; a quorum is needed.
    assert (
        api_for(ini.m1).post(f"/api/initiatives/meetings/{mid}/open/", {"present": [ini.m1.pk]}).status_code
        == 403
    )
    short = secretary.post(
        f"/api/initiatives/meetings/{mid}/open/", {"present": [ini.chair.pk]}, format="json"
    )
    assert short.status_code == 400 and "Không đủ số lượng: 1/5" in str(short.json())
    opened = secretary.post(
        f"/api/initiatives/meetings/{mid}/open/", {"present": [u.pk for u in ini.members]}, format="json"
    )
    assert opened.status_code == 200
    assert opened.json()["agenda"][0]["recused"] == ["Lê Thị Hoa"]
    recused = api_for(ini.teacher).post(
        f"/api/initiatives/meetings/{mid}/ballots/", {"initiative": pk, "choice": "agree"}, format="json"
    )
    assert recused.status_code == 403
    for member in (ini.chair, ini.secretary, ini.m1):
        answer = api_for(member).post(
            f"/api/initiatives/meetings/{mid}/ballots/", {"initiative": pk, "choice": "agree"}, format="json"
        )
        assert answer.status_code == 204
    again = api_for(ini.m1).post(
        f"/api/initiatives/meetings/{mid}/ballots/", {"initiative": pk, "choice": "disagree"}, format="json"
    )
    assert again.status_code == 409
    mine = api_for(ini.m1).get(f"/api/initiatives/meetings/{mid}/").json()["agenda"][0]
    assert mine["voted"] is True and mine["votes_for"] is None
    closed = secretary.post(f"/api/initiatives/meetings/{mid}/close/")
    assert closed.json()["agenda"][0]["result"] == "passed"
    recognised = api_for(w.head_a).post(
        f"/api/initiatives/{pk}/recognise/",
        {"decision_number": "12/QĐ-THCSNL", "decision_date": "2026-03-11", "effect_scope": "unit"},
        format="json",
    )
    assert recognised.status_code == 201
    detail = api_for(ini.teacher).get(f"/api/initiatives/{pk}/").json()
    assert detail["state"] == "recognised" and detail["recognition"]["decision_number"] == "12/QĐ-THCSNL"
    assert detail["reviews"][0]["votes_for"] == 3 and detail["reviews"][0]["recused"] == ["Lê Thị Hoa"]


def test_the_meeting_page_lets_a_member_vote_on_a_phone_and_shows_the_recusal(ini, client):
    meeting = review(ini, {})
    client.force_login(ini.m2)
    page = client.get(reverse("initiative-meeting-detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="vote-agree"' in page and "không bỏ phiếu (là tác giả)" in page
    response = client.post(
        reverse("initiative-meeting-vote", args=[meeting.pk]),
        {"initiative": ini.initiative.pk, "choice": "agree"},
    )
    assert response.status_code == 302
    page = client.get(reverse("initiative-meeting-detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="voted"' in page
    # Someone outside the council and the unit does not see the meeting.
    client.force_login(ini.teacher_b)
    assert client.get(reverse("initiative-meeting-detail", args=[meeting.pk])).status_code == 404


def test_the_recognition_page_and_the_dossier_page_name_the_initiative(ini, client):
    passed(ini)
    recognition = recognise(ini)
    w = ini.world
    client.force_login(w.staff_a)
    page = client.get(reverse("initiative-recognition", args=[recognition.pk])).content.decode()
    assert "12/QĐ-THCSNL" in page and "Lê Thị Hoa" in page and "Cấp xã" in page
    dossier = f.DossierFactory(unit=w.school_a, campaign=w.campaign, created_by=w.staff_a)
    f.NomineeFactory(
        dossier=dossier, name="Lê Thị Hoa", person=ini.teacher, award_type=f.award("chien-si-thi-dua-co-so")
    )
    page = client.get(reverse("dossier-detail", args=[dossier.pk])).content.decode()
    assert 'data-testid="nominee-initiative"' in page and "Ứng dụng bản đồ tư duy" in page


def test_the_summary_report_counts_recognised_initiatives(ini):
    passed(ini)
    recognise(ini)
    period = parse_period("2026", dt.date(2026, 3, 11))
    table = statistics.build_table(
        "tong-hop", period=period, unit=ini.world.commune, today=dt.date(2026, 3, 11)
    )
    values = {(r.key, c.key): table.value(r, c) for r in table.rows for c in table.columns}
    assert values[("total", "initiatives_recognised")] == 1
    assert values[(f"u{ini.world.school_a.pk}", "initiatives_recognised")] == 1
    assert values[(f"u{ini.world.school_b.pk}", "initiatives_recognised")] == 0
    assert values[("y2026", "initiatives_recognised")] == 1


def _more(ini, n):
    for i in range(n):
        initiative = register(
            ini.world, ini.world.staff_a, title=f"Sáng kiến số {i}", authors=[{"name": f"Tác giả {i}"}]
        )
        services.initiative_submit(actor=ini.world.head_a, initiative=initiative)


def test_the_list_page_and_api_cost_the_same_for_2_and_20(ini, client, django_assert_num_queries):
    client.force_login(ini.world.staff_a)

    def api():
        # A fresh user each time: the roles loaded by a request are cached on the user object.
        return api_for(User.objects.get(pk=ini.world.staff_a.pk))

    _more(ini, 1)
    with django_assert_num_queries(10):
        assert client.get(reverse("initiative-list")).status_code == 200
    with django_assert_num_queries(6):
        assert api().get("/api/initiatives/").json()["count"] == 2
    _more(ini, 18)
    with django_assert_num_queries(10):
        assert client.get(reverse("initiative-list")).status_code == 200
    with django_assert_num_queries(6):
        assert api().get("/api/initiatives/").json()["count"] == 20


def test_the_recognition_is_once_per_initiative(ini):
    passed(ini)
    recognise(ini)
    assert InitiativeRecognition.objects.count() == 1
    import pytest

    from org.errors import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        recognise(ini)


def test_the_close_is_confirmed_on_a_page_naming_who_present_has_not_voted(ini, client):
    """The meeting's button (a POST without `confirmed`) only shows the confirmation page: it
    names the member present who has not voted (not the recused author) and closes nothing; the
    confirmation's POST closes and counts."""
    from initiatives.models import InitiativeMeetingState
    from initiatives.selectors import missing_votes

    meeting = review(ini, {ini.chair: "agree", ini.secretary: "agree", ini.m1: "agree"})
    assert [(r["member"], r["initiatives"]) for r in missing_votes(meeting)] == [(ini.m2, [ini.initiative])]
    url = reverse("initiative-meeting-close", args=[meeting.pk])
    client.force_login(ini.m1)
    assert client.post(url, {"confirmed": "1"}).status_code == 403  # a member does not close
    client.force_login(ini.chair)
    for response in (client.get(url), client.post(url)):
        page = response.content.decode()
        assert response.status_code == 200 and 'data-testid="close-missing"' in page
        assert "Hoàng Thị Mai" in page and ini.initiative.title in page
        assert "Lê Thị Hoa" not in page  # the author is recused: she owes no vote
        assert 'name="confirmed"' in page
    meeting.refresh_from_db()
    assert meeting.state == InitiativeMeetingState.VOTING
    response = client.post(url, {"confirmed": "True"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == InitiativeMeetingState.CLOSED
    assert client.get(url).status_code == 409


def test_the_open_meetings_badge_says_the_vote_is_in_progress(ini, client):
    meeting = review(ini, {})
    client.force_login(ini.chair)
    page = client.get(reverse("initiative-meeting-detail", args=[meeting.pk])).content.decode()
    badge = page.split('data-testid="meeting-state">', 1)[1].split("<", 1)[0]
    assert badge == "Đang biểu quyết"
