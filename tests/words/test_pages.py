"""The pages that show the audit trail speak the office's words: who acted by full name and
position, what happened as a Vietnamese label, when as dd/mm/yyyy HH:MM in Vietnam time, what it
was about as a named link; never an action code, a role code, `app.model:id` or a login. Money is
written "710.000 đ", percentages rounded half up (5 of 9 → 55,56)."""

import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from approvals.meeting_selectors import percent_of
from approvals.models import CouncilResult
from audit.services import record
from documents.contexts import minutes_context
from org.models import Role
from org.templatetags import office_words
from tests.workflows.conftest import awaiting_decision, new_dossier, returned
from workflows import services as wf
from workflows.labels import ACTION_LABELS, action_label

pytestmark = pytest.mark.django_db

OBJECT_REF = re.compile(r"\b[a-z_]+\.[a-z_]+:\d+\b")
WHEN = re.compile(r"\b\d\d/\d\d/20\d\d \d\d:\d\d\b")
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


def visible(html: str) -> str:
    """The page's text a reader sees: no tags, no attributes, not the inspector's raw event (a
    closed <details> holding the exported JSON) nor the search box's suggestions."""
    html = re.sub(r"<details>.*?</details>", "", html, flags=re.S)
    html = re.sub(r"<(datalist|script|style|head)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</section>", start)]


def assert_in_words(text: str, *, logins=()):
    codes = [code for code in ACTION_LABELS if re.search(rf"(?<![\w.]){re.escape(code)}(?![\w.])", text)]
    assert codes == []
    assert [r for r in Role.values if re.search(rf"\b{r}\b", text)] == []
    assert OBJECT_REF.findall(text) == []
    assert ISO.findall(text) == []
    assert [login for login in logins if re.search(rf"\b{re.escape(login)}\b", text)] == []


def vi(code):
    with translation.override("vi"):
        return action_label(code)


@pytest.fixture
def named(people):
    people.officer.position = "Chuyên viên Phòng Nội vụ"
    people.officer.save(update_fields=["position"])
    return people


def test_the_dossier_timeline_names_people_actions_and_times(named, client):
    w = named
    d = returned(w, new_dossier(w))
    client.force_login(w.head_a)
    html = client.get(reverse("dossier-detail", args=[d.pk])).content.decode()
    timeline = visible(section(html, 'id="timeline"'))

    assert f"{w.officer.full_name} (Chuyên viên Phòng Nội vụ)" in timeline
    with translation.override("vi"):
        assert f"Chuyên viên Phòng Nội vụ) · {Role.STANDING_OFFICER.label}" in timeline
    for code in ("dossier.submit", "dossier.receive", "dossier.return"):
        assert vi(code) in timeline, code
    assert len(WHEN.findall(timeline)) >= 3
    assert_in_words(timeline, logins=[w.officer.username, w.head_a.username, w.staff_a.username])


def test_the_inspectors_search_names_people_roles_and_the_dossier(named, client):
    w = named
    d = returned(w, new_dossier(w))
    client.force_login(w.inspector)
    html = client.get(reverse("inspection-events"), {"dossier": d.pk}).content.decode()
    text = visible(html)

    assert f"{w.officer.full_name} (Chuyên viên Phòng Nội vụ)" in text
    with translation.override("vi"):
        assert str(Role.STANDING_OFFICER.label) in text and str(Role.UNIT_HEAD.label) in text
    assert vi("dossier.receive") in text and vi("dossier.return") in text
    # What each event is about: the dossier by its title, a link to its inspection timeline.
    link = f'<a href="{reverse("inspection-dossier", args=[d.pk])}">Hồ sơ: {d.title}</a>'
    assert link in html
    assert WHEN.search(text)
    assert_in_words(text, logins=[w.officer.username, w.head_a.username])


def test_the_inspectors_dossier_timeline_is_in_words_too(named, client):
    w = named
    d = returned(w, new_dossier(w))
    client.force_login(w.inspector)
    text = visible(client.get(reverse("inspection-dossier", args=[d.pk])).content.decode())
    assert vi("attachment.add") in text and vi("dossier.return") in text
    assert_in_words(text, logins=[w.officer.username, w.head_a.username, w.staff_a.username])


def test_an_event_about_a_private_draft_names_only_its_kind_and_number(named, client):
    w = named
    d = new_dossier(w)  # a draft: the unit's own, not the inspector's to read
    with transaction.atomic():
        record(
            actor=w.staff_a,
            action="dossier.update",
            object_type="dossiers.dossier",
            object_id=d.pk,
            scope=w.school_a.path,
            data={"changes": {}},
        )
    client.force_login(w.inspector)
    html = client.get(reverse("inspection-events")).content.decode()
    assert d.title not in visible(html)
    assert f"Hồ sơ #{d.pk}" in visible(html)
    assert reverse("inspection-dossier", args=[d.pk]) not in html


def test_the_chain_status_gives_vietnam_time(named, client):
    client.force_login(named.inspector)
    text = visible(client.get(reverse("inspection-chain")).content.decode())
    assert "11/03/2026 09:00" in text  # the pinned clock, in Vietnam time (02:00 UTC)
    assert "UTC" not in text and not ISO.search(text)


def test_the_decision_page_writes_money_with_dots_and_dong(people, client):
    w = people
    d = awaiting_decision(w, new_dossier(w))
    decision = wf.decision_issue(actor=w.chair, dossiers=[d], title="Tặng Giấy khen")
    client.force_login(w.chair)
    html = client.get(reverse("decision-detail", args=[decision.pk])).content.decode()
    # Kept on one line: "đ" never wraps alone on a phone.
    assert (
        '<td class="text-end" data-label="Tiền thưởng"><span class="text-nowrap">710.000 đ</span></td>'
        in html
    )
    assert 'data-testid="total"><span class="text-nowrap">710.000 đ</span></th>' in html
    assert "710000" not in visible(html)
    client.cookies["django_language"] = "en"
    english = client.get(reverse("decision-detail", args=[decision.pk])).content.decode()
    assert 'data-testid="total"><span class="text-nowrap">710,000 VND</span></th>' in english


@pytest.mark.parametrize(
    ("language", "money", "percent"), [("vi", "1.060.000 đ", "55,56 %"), ("en", "1,060,000 VND", "55.56 %")]
)
def test_the_filters(language, money, percent):
    with translation.override(language):
        assert office_words.money(1_060_000) == f'<span class="text-nowrap">{money}</span>'
        assert office_words.money(None) == ""
        assert office_words.percent(Decimal("55.56")) == percent
        assert office_words.role("unit_head") == str(Role.UNIT_HEAD.label)
        assert office_words.roles("unit_head,chair") == f"{Role.UNIT_HEAD.label}, {Role.CHAIR.label}"
        assert office_words.when("2026-03-11T02:05:00.000000Z") == "11/03/2026 09:05"


def test_five_of_nine_is_55_56_on_the_page_and_in_the_minutes(people):
    """Rounded half up to 0.01, the same in the meeting's minutes (percent_of) and the minutes
    PDF built from the workflow's results."""
    assert percent_of(5, 9) == Decimal("55.56")
    assert percent_of(4, 9) == Decimal("44.44")
    assert percent_of(8, 9) == Decimal("88.89")
    w = people
    d = awaiting_decision(w, new_dossier(w))
    CouncilResult.objects.filter(nominee=d.nominee).update(
        votes_for=5, votes_against=4, abstentions=0, members_total=9
    )
    from documents import contexts

    rows = contexts._minutes_from_results(d)["rows"]
    assert [r["percent"] for r in rows] == ["55,56%"]
    assert minutes_context  # the one entry point switches between the two, both rounding alike


def test_the_action_filter_offers_labels_and_keeps_the_choice(named, client):
    w = named
    returned(w, new_dossier(w))
    client.force_login(w.inspector)
    html = client.get(reverse("inspection-events"), {"action": "dossier."}).content.decode()
    assert f'<option value="dossier.return">{vi("dossier.return")}</option>' in html
    assert '<option value="dossier." selected>Hồ sơ: mọi thao tác</option>' in html
    assert_in_words(visible(html))
    # An action no group offers (an administration event) is still shown as searched for.
    html = client.get(reverse("inspection-events"), {"action": "admin.org.holiday.delete"}).content.decode()
    assert '<option value="admin.org.holiday.delete" selected>Quản trị: xóa ' in html


def test_every_object_the_inspector_names_is_named_by_a_real_field():
    """An event about a decision once broke the inspector's page: each named field must exist."""
    from django.apps import apps

    from inspection.selectors import NAMED_OBJECTS

    for label, field in NAMED_OBJECTS.items():
        apps.get_model(label)._meta.get_field(field)  # raises FieldDoesNotExist


def test_a_date_field_gives_the_browser_the_date_it_can_read():
    """An <input type=date> takes yyyy-mm-dd whatever the page's language: the meeting form's
    date came back empty when it was written as the page writes dates (dd/mm/yyyy)."""
    import datetime as dt

    from meetings.forms import MeetingScheduleForm

    with translation.override("vi"):
        html = str(MeetingScheduleForm.base_fields["day"].widget.render("day", dt.date(2026, 12, 6)))
    assert re.search(r'type="date"[^>]*value="2026-12-06"|value="2026-12-06"[^>]*type="date"', html), html
