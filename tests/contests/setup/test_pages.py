"""The contest's pages: the organiser's forms, the unit's entry form and page, what each reader
may see (anything else is a 404), and the queries of the list and the contest's page."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from contests.models import Contest, ContestState, Entry, EntryAuthor, EntryState
from tests import factories as f

from . import helpers as h

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_organiser_prepares_a_contest_through_its_forms(client, world):
    login(client, world.officer)
    data = h.contest_values()
    for name in ("entries_deadline", "appraisal_deadline", "final_deadline"):
        data[name] = data[name].isoformat()
    response = client.post(reverse("contest-create"), data)
    contest = Contest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "contest-detail", args=[contest.pk]
    )
    assert contest.organizer == world.commune
    criteria = reverse("contest-criteria", args=[contest.pk])
    client.post(criteria, {"round": "appraisal", "name": "Tính mới", "weight": 70, "max_score": 10})
    response = client.post(
        criteria, {"round": "appraisal", "name": "Tính khả thi", "weight": 40, "max_score": 10}
    )
    assert response.status_code == 400
    assert "Tổng trọng số của Vòng thẩm định sẽ là 110" in response.content.decode()
    prizes = reverse("contest-prizes", args=[contest.pk])
    client.post(prizes, {"entrant_kind": "collective", "name": "Giải nhất", "count": 1, "amount": 10_000_000})
    client.post(prizes, {"entrant_kind": "collective", "name": "Giải nhì", "count": 2, "amount": 7_000_000})
    page = client.get(prizes, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "24.000.000 đ" in page
    juror = f.UserFactory(full_name="Phạm Minh Đức")
    client.post(reverse("contest-jury", args=[contest.pk]), {"user": juror.pk, "role": "chair"})
    assert contest.jurors.get().user == juror
    page = client.get(reverse("contest-detail", args=[contest.pk])).content.decode()
    assert "Vòng chung kết chưa có tiêu chí" in page  # so opening is not offered yet
    assert 'data-testid="contest-open"' not in page
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "contest.create",
        "criterion.add",
        "prize.add",
        "juror.add",
    }


def test_the_organiser_opens_a_ready_contest_from_its_page(client, world):
    contest = h.ready_contest(world)
    login(client, world.officer)
    page = client.get(reverse("contest-detail", args=[contest.pk])).content.decode()
    assert 'data-testid="contest-open"' in page
    response = client.post(reverse("contest-open", args=[contest.pk]))
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.state == ContestState.OPEN


def test_a_draft_contest_and_its_forms_are_the_organisers_alone(client, world):
    contest = h.ready_contest(world)
    login(client, world.head_a)
    for name in ("contest-detail", "contest-edit", "contest-criteria", "contest-prizes", "contest-jury"):
        assert client.get(reverse(name, args=[contest.pk])).status_code == 404
    assert client.post(reverse("contest-open", args=[contest.pk])).status_code == 404


def test_a_unit_drafts_and_sends_an_entry_through_its_pages(client, world, contest):
    login(client, world.staff_a)
    response = client.post(
        reverse("contest-entry-create", args=[contest.pk]),
        {
            "unit": world.school_a.pk,
            "title": "Một cửa không chờ",
            "entrant_kind": "collective",
            "entrant_name": "Bộ phận Một cửa",
            "authors": "Nguyễn Thị Hoa, Chuyên viên\nTrần Văn Bình",
            "summary": "",
            "contact": "",
            "preselection_note": "",
        },
    )
    entry = contest.entries.get()
    assert response["Location"] == reverse("contest-entry", args=[entry.pk])
    assert [(a.name, a.position) for a in entry.authors.all()] == [
        ("Nguyễn Thị Hoa", "Chuyên viên"),
        ("Trần Văn Bình", ""),
    ]
    client.post(reverse("contest-entry", args=[entry.pk]), {"file": f.pdf_upload("thuyet-minh.pdf")})
    assert entry.files.count() == 1
    stored = entry.files.get()
    download = client.get(reverse("contest-entry-file", args=[entry.pk, stored.pk]))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    login(client, world.head_a)
    client.post(reverse("contest-entry-send", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED


def test_a_unit_does_not_see_another_units_draft(client, world, contest):
    entry = h.drafted_entry(world, contest)
    stored = entry.files.get()
    login(client, world.head_b)
    assert client.get(reverse("contest-entry", args=[entry.pk])).status_code == 404
    assert client.get(reverse("contest-entry-file", args=[entry.pk, stored.pk])).status_code == 404
    assert client.get(reverse("contest-entry-edit", args=[entry.pk])).status_code == 404
    assert client.post(reverse("contest-entry-send", args=[entry.pk])).status_code == 404
    page = client.get(reverse("contest-detail", args=[contest.pk])).content.decode()
    assert entry.title not in page
    # Nor does the organiser, until it is sent.
    login(client, world.officer)
    assert client.get(reverse("contest-entry", args=[entry.pk])).status_code == 404


def test_over_the_cap_the_page_says_why(client, world, contest):
    for title in ("Một", "Hai", "Ba"):
        h.sent_entry(world, contest, title=title)
    fourth = h.drafted_entry(world, contest, title="Bốn")
    login(client, world.head_a)
    response = client.post(reverse("contest-entry-send", args=[fourth.pk]))
    assert response.status_code == 400
    assert "Trường THCS Ngọc Lâm đã gửi 3 sản phẩm, là số tối đa" in response.content.decode()


def test_the_organiser_marks_an_entry_not_admitted(client, world, contest):
    entry = h.sent_entry(world, contest)
    login(client, world.officer)
    client.post(reverse("contest-entry-refuse", args=[entry.pk]), {"reason": "Sản phẩm đã đạt giải năm 2023"})
    entry.refresh_from_db()
    assert entry.state == EntryState.INELIGIBLE


def test_a_juror_declares_their_own_conflict_from_the_page(client, world, contest):
    entry = h.sent_entry(world, contest)
    member = h.jurors(world)[1]
    seat = contest.jurors.get(user=member)
    login(client, member)
    response = client.post(
        reverse("contest-conflict-declare", args=[contest.pk]),
        {"juror": seat.pk, "entry": entry.pk, "reason": "Người thân là tác giả"},
    )
    assert response.status_code == 302
    assert seat.conflicts.get().entry == entry


def test_the_menu_offers_contests_to_units_and_the_organiser(client, world, contest):
    login(client, world.head_a)
    assert 'data-testid="nav-contests"' in client.get(reverse("contest-list")).content.decode()
    login(client, world.chair)
    assert 'data-testid="nav-contests"' not in client.get(reverse("home")).content.decode()
    login(client, h.jurors(world)[0])
    assert 'data-testid="nav-contests"' in client.get(reverse("contest-list")).content.decode()


def test_the_list_shows_each_role_its_contests(client, world, contest):
    h.draft_contest(world, name="Hội thi đang chuẩn bị")
    login(client, world.head_a)
    page = client.get(reverse("contest-list"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert contest.name in page and "Hội thi đang chuẩn bị" not in page
    login(client, world.officer)
    page = client.get(reverse("contest-list")).content.decode()
    assert "Hội thi đang chuẩn bị" in page


def _entries(world, contest, count):
    """Sent entries of school B with two authors each, written directly (the page reads them)."""
    for i in range(count):
        entry = Entry.objects.create(
            contest=contest,
            unit=world.school_b,
            title=f"Giải pháp số {i}",
            entrant_kind="collective",
            entrant_name="Tổ Văn phòng",
            state=EntryState.SUBMITTED,
            created_by=world.head_b,
        )
        EntryAuthor.objects.bulk_create(
            [
                EntryAuthor(entry=entry, name="Lê Thu", order=0),
                EntryAuthor(entry=entry, name="Hà An", order=1),
            ]
        )


@pytest.mark.parametrize("count", [2, 20])
def test_contest_page_queries_do_not_grow_with_entries(
    client, world, contest, count, django_assert_num_queries
):
    _entries(world, contest, count)
    login(client, world.officer)
    client.get(reverse("contest-detail", args=[contest.pk]))  # warm the session
    with django_assert_num_queries(QUERIES["detail"]):
        response = client.get(reverse("contest-detail", args=[contest.pk]))
    assert response.content.decode().count("Giải pháp số ") == count


@pytest.mark.parametrize("count", [2, 20])
def test_contest_list_queries_do_not_grow_with_contests(client, world, count, django_assert_num_queries):
    values = h.contest_values()
    values.pop("name")
    Contest.objects.bulk_create(
        [
            Contest(organizer=world.commune, created_by=world.officer, name=f"Hội thi {i}", **values)
            for i in range(count)
        ]
    )
    login(client, world.officer)
    client.get(reverse("contest-list"))
    with django_assert_num_queries(QUERIES["list"]):
        response = client.get(reverse("contest-list"))
    assert response.content.decode().count("Hội thi ") >= count


QUERIES = {"detail": 14, "list": 7}


def test_an_entry_page_at_the_units_cap_names_the_sent_entries_instead_of_offering_the_send(
    client, world, contest
):
    """The service refuses a send over the cap: the page does not offer it, and says which entries
    were sent."""
    titles = ["Số hóa hồ sơ một cửa", "Phiếu hẹn điện tử", "Tra cứu hồ sơ qua Zalo"]
    first = h.sent_entry(world, contest, title=titles[0])
    h.sent_entry(world, contest, title=titles[1])
    fourth = h.drafted_entry(world, contest, title="Ký số văn bản đi")
    client.force_login(world.head_a)
    page = client.get(reverse("contest-entry", args=[fourth.pk])).content.decode()
    assert 'data-testid="entry-send"' in page and 'data-testid="entry-cap-reached"' not in page
    h.sent_entry(world, contest, title=titles[2])
    page = client.get(reverse("contest-entry", args=[fourth.pk])).content.decode()
    assert 'data-testid="entry-send"' not in page
    assert 'data-testid="entry-cap-reached"' in page
    for title in titles:
        assert title in page
    assert reverse("contest-entry", args=[first.pk]) in page


def test_the_jury_picker_tells_namesakes_apart(client, world, contest):
    """Three people share a name: each choice shows their position, unit and login."""
    for i, unit in enumerate((world.school_a, world.school_b, world.commune)):
        f.UserFactory(full_name="Hoàng Minh Tuấn", position=f"Chức vụ {i}", unit=unit, username=f"tuan{i}")
    client.force_login(world.officer)
    page = client.get(reverse("contest-jury", args=[contest.pk])).content.decode()
    for i, unit in enumerate((world.school_a, world.school_b, world.commune)):
        assert f"Hoàng Minh Tuấn — Chức vụ {i}, {unit.name}, tuan{i}" in page


@pytest.mark.parametrize(
    ("name", "related"),
    [
        ("contest-criterion-remove", "criteria"),
        ("contest-prize-remove", "prizes"),
        ("contest-juror-remove", "jurors"),
    ],
)
def test_the_organiser_removes_a_part_of_the_set_up_and_nobody_else_can(client, world, name, related):
    contest = h.ready_contest(world)
    item = getattr(contest, related).first()
    url = reverse(name, args=[contest.pk, item.pk])
    login(client, world.head_a)
    assert client.post(url).status_code == 404
    assert getattr(contest, related).filter(pk=item.pk).exists()
    login(client, world.officer)
    assert client.post(url).status_code == 302
    assert not getattr(contest, related).filter(pk=item.pk).exists()
    assert client.post(url).status_code == 404
