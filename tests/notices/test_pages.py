"""The bell, the notices page and the choice of what comes by email, in Vietnamese."""

from django.urls import reverse

from notices.models import Notice, NoticeKind, NoticePreference
from notices.services import notify


def _notice(
    user, text="Hồ sơ “Khen thưởng 2026” đã được trình: hãy tiếp nhận và thẩm định.", kind=NoticeKind.TASK
):
    return notify(recipients=[user], kind=kind, text=text, link="/dossiers/1/")[0]


def test_the_top_bar_has_the_bell_and_its_count_comes_without_a_query_on_the_page(people, client):
    _notice(people.officer)
    _notice(people.officer)
    _notice(people.head_a)
    client.force_login(people.officer)

    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="notice-bell"' in page
    assert 'aria-label="Thông báo"' in page
    assert reverse("notice-unread") in page

    assert client.get(reverse("notice-unread")).json() == {"unread": 2}


def test_the_notices_page_lists_mine_in_vietnamese_and_marks_them_read(people, client):
    mine = _notice(people.officer)
    theirs = _notice(people.head_a, text="Hồ sơ của đơn vị khác")
    client.force_login(people.officer)

    page = client.get(reverse("notice-list")).content.decode()

    assert "<h1" in page and "Thông báo</h1>" in page
    assert mine.text.replace("“", "&ldquo;") in page or mine.text in page
    assert "Mới" in page  # it was new on this visit
    assert "Việc cần tôi xử lý" in page  # its kind
    assert "Hồ sơ của đơn vị khác" not in page
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    assert client.get(reverse("notice-unread")).json() == {"unread": 0}
    assert "Mới" not in client.get(reverse("notice-list")).content.decode()


def test_an_empty_notices_page_says_so(people, client):
    client.force_login(people.member)
    assert "Đồng chí chưa có thông báo nào." in client.get(reverse("notice-list")).content.decode()


def test_the_preferences_page_keeps_each_kinds_email_choice(people, client):
    client.force_login(people.officer)
    page = client.get(reverse("notice-preferences")).content.decode()
    assert "Gửi thêm qua thư điện tử" in page
    assert page.count("checked") == len(NoticeKind.values)  # email on by default

    client.post(reverse("notice-preferences"), {"email": [NoticeKind.MEETING, NoticeKind.REMINDER]})

    off = set(
        NoticePreference.objects.filter(user=people.officer, email=False).values_list("kind", flat=True)
    )
    assert off == set(NoticeKind.values) - {NoticeKind.MEETING, NoticeKind.REMINDER}
    assert client.get(reverse("notice-preferences")).content.decode().count("checked") == 2


def test_the_notice_pages_need_a_sign_in(db, client):
    for name in ("notice-list", "notice-unread", "notice-preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login" in response["Location"]
    assert not Notice.objects.exists()
