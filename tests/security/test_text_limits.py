"""Every text a user types has a limit (org.limits) that the model declares, the web form shows,
the API enforces and the service checks again; and no audit event is ever unbounded.

Issue 13, finding 7: a 4.5 MB summary went into the append-only audit chain. Here each entry
point is tried with a text one character over its limit: refused, naming the field, with nothing
written (no row changed, no audit event); a text at the limit goes through.
"""

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from approvals import meeting_services as ms
from approvals import paper_meetings
from approvals import services as approvals
from approvals.models import Objection
from audit import services as audit
from audit.models import AuditEvent
from dossiers import services as dossiers
from dossiers.models import Dossier
from org import limits
from tests import factories as f
from tests.api.helpers import english_client
from tests.council.conftest import in_council, schedule
from tests.workflows.conftest import in_appraisal, new_dossier

# A letter of two bytes in UTF-8: limits count characters, not bytes.
CHAR = "ệ"


def over(limit: int) -> str:
    return CHAR * (limit + 1)


def last_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def snapshot() -> dict:
    """Every row of the apps a text goes into, and the audit chain's head."""
    rows = {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for app in ("dossiers", "approvals", "org")
        for model in apps.get_app_config(app).get_models()
    }
    return {"rows": rows, "audit": last_seq()}


@pytest.fixture
def w(world, draft):
    """A draft, a dossier in appraisal, and a scheduled meeting of the commune's council (with a
    second dossier before the council, not yet on an agenda)."""
    w = world
    w.draft = draft
    w.appraised = in_appraisal(w, new_dossier(w))
    w.cchair = f.council_member(w.council, "chair", username="cchair")
    w.secretary = f.council_member(w.council, "secretary", username="secretary")
    w.on_agenda = in_council(w)
    w.waiting = in_council(w)
    w.meeting = schedule(w, [w.on_agenda])
    w.objection = Objection.objects.create(dossier=w.appraised, text="Chưa đúng.", lodged_by=w.head_b)
    return w


# --- the services -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A service taking a text: `call(w, text)` gives it `text` in the field named `field`."""

    name: str
    field: str
    limit: int
    call: Any


def _nominee(w, **texts):
    values = {
        "name": "Trần Văn Minh",
        "sex": "male",
        "achievements": "Hoàn thành xuất sắc nhiệm vụ.",
        **texts,
    }
    return dossiers.nominee_add(
        actor=w.staff_a, dossier=w.draft, kind="individual", award_type=f.award("giay-khen"), **values
    )


def _written(w, text):
    nominee = w.on_agenda.agenda_nominees[0]
    return ms.written_vote_cast(
        actor=w.member, meeting=w.meeting, votes={nominee.pk: {"choice": "agree", "comment": text}}
    )


def _paper(w, **texts):
    values = {"place": "Hội trường UBND phường", **texts}
    return paper_meetings.paper_meeting_record(
        actor=w.secretary,
        council=w.council,
        held_at=timezone.now() - dt.timedelta(days=1),
        chairperson=w.cchair,
        dossiers=[w.waiting],
        present=[w.cchair, w.secretary, w.member],
        counts={},
        minutes=None,
        **values,
    )


ENTRIES = [
    Entry(
        "dossier_create.title",
        "title",
        limits.TITLE,
        lambda w, t: dossiers.dossier_create(actor=w.staff_a, unit=w.school_a, campaign=w.campaign, title=t),
    ),
    Entry(
        "dossier_create.summary",
        "summary",
        limits.LONG_TEXT,
        lambda w, t: dossiers.dossier_create(
            actor=w.staff_a, unit=w.school_a, campaign=w.campaign, title="Đề nghị khen", summary=t
        ),
    ),
    Entry(
        "dossier_update.title",
        "title",
        limits.TITLE,
        lambda w, t: dossiers.dossier_update(actor=w.staff_a, dossier=w.draft, title=t),
    ),
    Entry(
        "dossier_update.summary",
        "summary",
        limits.LONG_TEXT,
        lambda w, t: dossiers.dossier_update(actor=w.staff_a, dossier=w.draft, summary=t),
    ),
    Entry("nominee_add.name", "name", limits.NAME, lambda w, t: _nominee(w, name=t)),
    Entry("nominee_add.position", "position", limits.PLACE, lambda w, t: _nominee(w, position=t)),
    Entry("nominee_add.workplace", "workplace", limits.PLACE, lambda w, t: _nominee(w, workplace=t)),
    Entry(
        "nominee_add.achievements", "achievements", limits.LONG_TEXT, lambda w, t: _nominee(w, achievements=t)
    ),
    Entry(
        "nominee_update.achievements",
        "achievements",
        limits.LONG_TEXT,
        lambda w, t: dossiers.nominee_update(actor=w.staff_a, nominee=w.draft.nominee, achievements=t),
    ),
    Entry(
        "nominee_update.name",
        "name",
        limits.NAME,
        lambda w, t: dossiers.nominee_update(actor=w.staff_a, nominee=w.draft.nominee, name=t),
    ),
    Entry(
        "dossier_withdraw.reason",
        "reason",
        limits.SHORT_TEXT,
        lambda w, t: dossiers.dossier_withdraw(actor=w.head_a, dossier=w.draft, reason=t),
    ),
    Entry(
        "appraisal_return.items",
        "items",
        limits.RETURN_ITEM,
        lambda w, t: approvals.appraisal_return(actor=w.officer, dossier=w.appraised, items=["Tờ trình", t]),
    ),
    Entry(
        "appraisal_return.further_return_reason",
        "further_return_reason",
        limits.SHORT_TEXT,
        lambda w, t: approvals.appraisal_return(
            actor=w.officer, dossier=w.appraised, items=["Tờ trình"], further_return_reason=t
        ),
    ),
    Entry(
        "appraisal_reject.reasons",
        "reasons",
        limits.TEXT,
        lambda w, t: approvals.appraisal_reject(actor=w.officer, dossier=w.appraised, reasons=t),
    ),
    Entry(
        "appraisal_accept.ineligible",
        "ineligible",
        limits.SHORT_TEXT,
        lambda w, t: approvals.appraisal_accept(
            actor=w.officer, dossier=w.appraised, ineligible={w.appraised.nominee.pk: t}
        ),
    ),
    Entry(
        "objection_lodge.text",
        "text",
        limits.TEXT,
        lambda w, t: approvals.objection_lodge(actor=w.head_b, dossier=w.appraised, text=t),
    ),
    Entry(
        "objection_resolve.resolution",
        "resolution",
        limits.TEXT,
        lambda w, t: approvals.objection_resolve(actor=w.officer, objection=w.objection, resolution=t),
    ),
    Entry(
        "opinion_give.text",
        "text",
        limits.TEXT,
        lambda w, t: approvals.opinion_give(actor=w.chair, dossier=w.appraised, text=t),
    ),
    Entry(
        "decision_issue.title",
        "title",
        limits.TITLE,
        lambda w, t: approvals.decision_issue(actor=w.chair, dossiers=[w.appraised], title=t),
    ),
    Entry(
        "dossier_forward.title",
        "title",
        limits.TITLE,
        lambda w, t: approvals.dossier_forward(actor=w.chair, dossiers=[w.appraised], title=t),
    ),
    Entry(
        "dossier_decline.reason",
        "reason",
        limits.SHORT_TEXT,
        lambda w, t: approvals.dossier_decline(actor=w.chair, dossier=w.appraised, reason=t),
    ),
    Entry(
        "decision_revoke.reason",
        "reason",
        limits.TEXT,
        lambda w, t: approvals.decision_revoke(actor=w.chair, awards=[], reason=t),
    ),
    Entry(
        "meeting_schedule.place",
        "place",
        limits.PLACE,
        lambda w, t: schedule(w, [w.waiting], place=t),
    ),
    Entry(
        "meeting_schedule.title",
        "title",
        limits.TITLE,
        lambda w, t: schedule(w, [w.waiting], title=t),
    ),
    Entry(
        "meeting_cancel.reason",
        "reason",
        limits.SHORT_TEXT,
        lambda w, t: ms.meeting_cancel(actor=w.secretary, meeting=w.meeting, reason=t),
    ),
    Entry(
        "recusal_declare.note",
        "note",
        limits.SHORT_TEXT,
        lambda w, t: ms.recusal_declare(
            actor=w.member, meeting=w.meeting, nominee=w.on_agenda.agenda_nominees[0], note=t
        ),
    ),
    Entry("written_vote_cast.comment", "comment", limits.SHORT_TEXT, _written),
    Entry("paper_meeting_record.place", "place", limits.PLACE, lambda w, t: _paper(w, place=t)),
    Entry("paper_meeting_record.title", "title", limits.TITLE, lambda w, t: _paper(w, title=t)),
    Entry(
        "paper_meeting_record.conclusion",
        "conclusion",
        limits.LONG_TEXT,
        lambda w, t: _paper(w, conclusion=t),
    ),
    Entry(
        "meeting_close.conclusion",
        "conclusion",
        limits.LONG_TEXT,
        lambda w, t: ms.meeting_close(actor=w.cchair, meeting=w.meeting, conclusion=t),
    ),
]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_service_refuses_an_over_long_text_naming_the_field_and_writes_nothing(w, entry):
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        entry.call(w, over(entry.limit))

    assert list(refused.value.message_dict) == [entry.field]
    message = refused.value.message_dict[entry.field][0]
    assert message == f"At most {entry.limit:,} characters (this text has {entry.limit + 1:,})."
    assert snapshot() == before


# A text exactly at its limit is taken whole, for the entries that can go through from the
# fixture's states (the others are refused for their state, after the length check).
AT_LIMIT = {
    "dossier_create.summary": lambda d: Dossier.objects.latest("pk").summary,
    "dossier_update.title": lambda d: Dossier.objects.get(pk=d.draft.pk).title,
    "nominee_add.achievements": lambda d: d.draft.nominees.latest("pk").achievements,
    "appraisal_reject.reasons": lambda d: d.appraised.rejection.reasons,
    "dossier_withdraw.reason": lambda d: AuditEvent.objects.get(action="dossier.withdraw").data["reason"],
    "meeting_cancel.reason": lambda d: type(d.meeting).objects.get(pk=d.meeting.pk).cancel_reason,
}


@pytest.mark.parametrize("name", sorted(AT_LIMIT))
def test_service_takes_a_text_at_its_limit_whole(w, name):
    entry = next(e for e in ENTRIES if e.name == name)
    text = "Đ" + CHAR * (entry.limit - 2) + "."

    entry.call(w, text)

    assert AT_LIMIT[name](w) == text


def test_a_return_lists_at_most_fifty_items(w):
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        approvals.appraisal_return(
            actor=w.officer, dossier=w.appraised, items=[f"Mục {i}" for i in range(limits.RETURN_ITEMS + 1)]
        )

    assert refused.value.message_dict == {"items": ["At most 50 items (this list has 51)."]}
    assert snapshot() == before


def test_the_refusal_is_in_vietnamese_on_the_site(w):
    from django.utils import translation

    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        dossiers.dossier_withdraw(actor=w.head_a, dossier=w.draft, reason=over(limits.SHORT_TEXT))

    assert refused.value.message_dict["reason"] == ["Tối đa 2.000 ký tự (nội dung đã nhập có 2.001 ký tự)."]


# --- the API ------------------------------------------------------------------------------------


def _api_cases(w):
    """(user, method, url, body, field) for every API body that carries a text."""
    d, a, m = w.draft.pk, w.appraised.pk, w.meeting.pk
    nominee = w.on_agenda.agenda_nominees[0].pk
    new = {"unit": w.school_a.pk, "campaign": w.campaign.pk, "title": "Đề nghị khen"}
    person = {
        "kind": "individual",
        "sex": "female",
        "award_type": "giay-khen",
        "name": "Lê Thị Hoa",
        "achievements": "Tốt.",
    }
    return [
        (w.staff_a, "post", "/api/dossiers/", {**new, "title": over(limits.TITLE)}, "title"),
        (w.staff_a, "post", "/api/dossiers/", {**new, "summary": over(limits.LONG_TEXT)}, "summary"),
        (w.staff_a, "patch", f"/api/dossiers/{d}/", {"summary": over(limits.LONG_TEXT)}, "summary"),
        (w.staff_a, "post", f"/api/dossiers/{d}/nominees/", {**person, "name": over(limits.NAME)}, "name"),
        (
            w.staff_a,
            "post",
            f"/api/dossiers/{d}/nominees/",
            {**person, "achievements": over(limits.LONG_TEXT)},
            "achievements",
        ),
        (
            w.staff_a,
            "patch",
            f"/api/dossiers/{d}/nominees/{w.draft.nominee.pk}/",
            {"workplace": over(limits.PLACE)},
            "workplace",
        ),
        (w.head_a, "post", f"/api/dossiers/{d}/withdraw/", {"reason": over(limits.SHORT_TEXT)}, "reason"),
        (w.officer, "post", f"/api/dossiers/{a}/reject/", {"reasons": over(limits.TEXT)}, "reasons"),
        (w.officer, "post", f"/api/dossiers/{a}/return/", {"items": [over(limits.RETURN_ITEM)]}, "items"),
        (
            w.officer,
            "post",
            f"/api/dossiers/{a}/return/",
            {"items": ["Tờ trình"], "further_return_reason": over(limits.SHORT_TEXT)},
            "further_return_reason",
        ),
        (
            w.officer,
            "post",
            f"/api/dossiers/{a}/accept/",
            {"ineligible": {str(w.appraised.nominee.pk): over(limits.SHORT_TEXT)}},
            "ineligible",
        ),
        (w.head_a, "post", f"/api/dossiers/{a}/objections/", {"text": over(limits.TEXT)}, "text"),
        (
            w.officer,
            "post",
            f"/api/objections/{w.objection.pk}/resolve/",
            {"resolution": over(limits.TEXT)},
            "resolution",
        ),
        (w.chair, "post", f"/api/dossiers/{a}/opinion/", {"text": over(limits.TEXT)}, "text"),
        (w.chair, "post", f"/api/dossiers/{a}/decide/", {"title": over(limits.TITLE)}, "title"),
        (w.chair, "post", f"/api/dossiers/{a}/forward/", {"title": over(limits.TITLE)}, "title"),
        (w.chair, "post", f"/api/dossiers/{a}/decline/", {"reason": over(limits.SHORT_TEXT)}, "reason"),
        (
            w.secretary,
            "post",
            "/api/meetings/",
            {
                "council": w.council.pk,
                "scheduled_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
                "place": over(limits.PLACE),
                "chairperson": w.cchair.pk,
                "secretary": w.secretary.pk,
                "dossiers": [w.waiting.pk],
            },
            "place",
        ),
        (w.secretary, "post", f"/api/meetings/{m}/cancel/", {"reason": over(limits.SHORT_TEXT)}, "reason"),
        (
            w.member,
            "post",
            f"/api/meetings/{m}/recusals/",
            {"nominee": nominee, "note": over(limits.SHORT_TEXT)},
            "note",
        ),
        (
            w.member,
            "post",
            f"/api/meetings/{m}/written-votes/",
            {"votes": [{"nominee": nominee, "choice": "agree", "comment": over(limits.SHORT_TEXT)}]},
            "comment",
        ),
        (w.cchair, "post", f"/api/meetings/{m}/close/", {"conclusion": over(limits.LONG_TEXT)}, "conclusion"),
    ]


def _keys(value) -> set:
    """Every key of a JSON answer, however deep (a nested serializer's errors)."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_api_answers_400_naming_the_field_of_an_over_long_text(w):
    """One test over the table: the fixture (a council, a meeting, dossiers in three states) is
    built once for all of them."""
    failures = []
    for user, method, url, body, field in _api_cases(w):
        before = snapshot()
        client = english_client()
        client.force_authenticate(user)
        response = getattr(client, method)(url, body, format="json")
        answer = response.json() if response.content else {}
        if (
            response.status_code != 400
            or field not in _keys(answer)
            or "no more than" not in json.dumps(answer)
        ):
            failures.append((method, url, field, response.status_code, str(answer)[:200]))
        elif snapshot() != before:
            failures.append((method, url, field, "wrote something"))
    assert failures == []


# --- the web forms ------------------------------------------------------------------------------


def _page(user, url) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_web_forms_show_each_limit_as_maxlength_and_a_hint(w):
    """The site speaks Vietnamese: "Tối đa 10.000 ký tự" under the field, and the browser stops
    the typing at the limit (maxlength)."""
    create = _page(w.staff_a, reverse("dossier-create"))
    assert re.search(r'<input [^>]*name="title"[^>]* maxlength="255"', create)
    assert re.search(r'<textarea [^>]*name="summary"[^>]* maxlength="10000"', create)
    assert "Tối đa 10.000 ký tự" in create
    assert "Tối đa 255 ký tự" in create

    detail = _page(w.officer, reverse("dossier-detail", args=[w.appraised.pk]))
    assert "Tối đa 5.000 ký tự" in detail  # the reasons for a rejection
    assert "Tối đa 2.000 ký tự" in detail  # a nominee found ineligible, a further return

    meeting = _page(w.member, reverse("council-meeting-detail", args=[w.meeting.pk]))
    assert 'name="note" required maxlength="2000"' in meeting


def test_the_character_counter_is_a_static_script_of_every_page(w):
    page = _page(w.staff_a, reverse("dossier-create"))

    assert '<script src="/static/js/text-limits.js" defer></script>' in page
    script = finders.find("js/text-limits.js")
    assert script is not None
    assert 'data-text-limit="10000" data-for="id_summary"' in page


# --- the OpenAPI schema -------------------------------------------------------------------------

# Strings bounded by what they are: a choice, a date, a file (ATTACHMENT_MAX_BYTES), a UUID.
BOUNDED_FORMATS = {"binary", "date", "date-time", "time", "uuid"}


def _unbounded_strings(schema: dict) -> list[str]:
    components = schema["components"]["schemas"]

    def resolve(node):
        while "$ref" in node:
            node = components[node["$ref"].rsplit("/", 1)[1]]
        return node

    found = []

    def walk(node, where):
        node = resolve(node)
        for key in ("allOf", "oneOf", "anyOf"):
            for part in node.get(key, []):
                walk(part, where)
        if (
            node.get("type") == "string"
            and "enum" not in node
            and node.get("format") not in BOUNDED_FORMATS
            and "maxLength" not in node
        ):
            found.append(where)
        for name, part in node.get("properties", {}).items():
            walk(part, f"{where}.{name}")
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{where}[]")
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], f"{where}{{}}")

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "requestBody" in operation:
                for content_type, body in operation["requestBody"]["content"].items():
                    walk(body["schema"], f"{method.upper()} {path} ({content_type})")
    return sorted(set(found))


def test_openapi_schema_gives_every_string_of_a_request_body_a_max_length(client, db):
    """Walks every request body of the schema: a new text field without a limit fails here."""
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)

    assert _unbounded_strings(schema) == []
    body = schema["paths"]["/api/dossiers/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    dossier = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]["properties"]
    assert dossier["summary"]["maxLength"] == limits.LONG_TEXT


def test_schema_walk_finds_a_string_without_a_limit():
    """The walk itself can fail: a string without maxLength, however deep, is reported."""
    schema = {
        "components": {
            "schemas": {"Vote": {"type": "object", "properties": {"comment": {"type": "string"}}}}
        },
        "paths": {
            "/x/": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "votes": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Vote"},
                                        },
                                        "day": {"type": "string", "format": "date"},
                                        "kind": {"type": "string", "enum": ["a"]},
                                    },
                                }
                            }
                        }
                    }
                }
            }
        },
    }

    assert _unbounded_strings(schema) == ["POST /x/ (application/json).votes[].comment"]


# --- the audit chain's backstop -----------------------------------------------------------------


def test_audit_refuses_an_event_over_its_size_cap_and_appends_nothing(world):
    before = last_seq()

    with pytest.raises(audit.EventTooLarge), transaction.atomic():
        audit.record(actor=world.staff_a, action="test.flood", data={"text": "x" * audit.MAX_EVENT_BYTES})

    assert last_seq() == before


def test_audit_takes_an_event_just_under_its_cap_whole(world):
    text = "x" * (audit.MAX_EVENT_BYTES - 1_000)

    with transaction.atomic():
        event = audit.record(actor=world.staff_a, action="test.large", data={"text": text})

    assert AuditEvent.objects.get(pk=event.pk).data["text"] == text


def test_audit_cap_refuses_a_service_change_with_the_change(world, draft, monkeypatch):
    """A service whose event is too large is refused as a whole: the change is rolled back with
    it (nothing cut short, nothing half-done)."""
    monkeypatch.setattr(audit, "MAX_EVENT_BYTES", 2_000)
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        dossiers.dossier_update(actor=world.staff_a, dossier=draft, summary="x" * 3_000)

    assert "too large to be recorded in the audit trail" in refused.value.messages[0]
    assert snapshot() == before


def test_the_largest_text_change_fits_in_the_audit_chain(world, draft):
    """The widest change a user can make to one text (a summary at its limit, replaced by another,
    both of the characters that take the most room in canonical JSON) is still recorded."""
    widest = "\x01" * limits.LONG_TEXT  # written \\u0001: six bytes each
    dossiers.dossier_update(actor=world.staff_a, dossier=draft, summary=widest)

    dossiers.dossier_update(actor=world.staff_a, dossier=draft, summary="\x02" * limits.LONG_TEXT)

    event = AuditEvent.objects.filter(action="dossier.update").latest("seq")
    assert event.data["changes"]["summary"] == [widest, "\x02" * limits.LONG_TEXT]


# --- the models ---------------------------------------------------------------------------------


# Texts the system writes, never a user: an error of a background job, kept whole to debug it.
WRITTEN_BY_THE_SYSTEM = {"documents.CertificateBatch.error"}


def test_every_text_field_of_the_models_declares_a_max_length():
    """TextFields and CharFields of every app of the project: none without a limit (so the admin's
    forms, built from the models, have one too)."""
    project_apps = ("org", "dossiers", "approvals", "documents", "workflows", "audit")
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for app in project_apps
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if field.concrete
        and field.get_internal_type() in ("TextField", "CharField")
        and not field.max_length
        and f"{model._meta.label}.{field.name}" not in WRITTEN_BY_THE_SYSTEM
    ]

    assert unbounded == []
