"""Each step is taken by its role at its unit and by nobody else: every step, tried by every person
of the world, on the web UI and on the API. A refusal (403 not yours, 404 not visible) changes
nothing — neither the dossier, nor its tasks, nor the audit trail."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db.models import Max, Q
from django.urls import reverse
from viewflow.workflow.status import STATUS

from approvals import services as approvals
from approvals.models import Objection
from audit.models import AuditEvent
from dossiers.models import Dossier, DossierState
from org.models import Role
from tests import factories as f
from tests.api.helpers import english_client
from workflows import services as wf
from workflows.confirm import TOKEN_FIELD, dossier_token

from .conftest import (
    awaiting_decision,
    council_voted,
    fresh,
    in_appraisal,
    in_council,
    new_dossier,
    notice_period_over,
    open_steps,
    public_notice,
    returned,
    submitted,
)
from .scope import (
    EVERYONE,
    LOGIN,
    SEES_DRAFT,
    SEES_SUBMITTED,
    add_outsiders,
    api_as,
    expected,
    web_answer,
    web_as,
)

S = DossierState


def draft(w, d):
    return d


def notice_over(w, d):
    public_notice(w, d)
    notice_period_over(d)
    return fresh(d)


@dataclass
class Step:
    name: str
    setup: Callable
    who: str
    ui: tuple  # (url name, data or a function of the dossier)
    api: tuple  # (path suffix, data or a function of the dossier)
    after: str
    seen_by: frozenset = SEES_SUBMITTED  # who sees the dossier in the state the step starts from
    created: bool = False  # the API answers 201 (a decision, a new dossier), else 200

    def data(self, spec, dossier):
        return spec(dossier) if callable(spec) else spec


STEPS = [
    Step("submit", draft, "head_a", ("dossier-submit", {}), ("submit", {}), S.SUBMITTED, seen_by=SEES_DRAFT),
    Step(
        "withdraw",
        submitted,
        "head_a",
        ("dossier-withdraw", {"withdraw-reason": "Nộp nhầm"}),
        ("withdraw", {"reason": "Nộp nhầm"}),
        S.WITHDRAWN,
    ),
    Step("receive", submitted, "officer", ("dossier-receive", {}), ("receive", {}), S.IN_APPRAISAL),
    Step("accept", in_appraisal, "officer", ("dossier-accept", {}), ("accept", {}), S.IN_COUNCIL),
    Step(
        "return",
        in_appraisal,
        "officer",
        ("dossier-return", {"return-items": "Thiếu biên bản"}),
        ("return", {"items": ["Thiếu biên bản"]}),
        S.RETURNED,
    ),
    Step(
        "reject",
        in_appraisal,
        "officer",
        ("dossier-reject", {"reject-reasons": "Không đủ tiêu chuẩn"}),
        ("reject", {"reasons": "Không đủ tiêu chuẩn"}),
        S.REJECTED,
    ),
    Step("resubmit", returned, "head_a", ("dossier-submit", {}), ("submit", {}), S.SUBMITTED),
    Step("close-notice", notice_over, "officer", ("notice-close", {}), ("close-notice", {}), S.IN_COUNCIL),
    # The council's result is not a step anyone posts on the dossier: it comes from a closed
    # meeting (tests/workflows/test_scope.py: recording a paper meeting is the secretary's).
    Step(
        "opinion",
        council_voted,
        "vice_chair",
        ("dossier-opinion", {"opinion-text": "Đồng ý", "opinion-agrees": "on"}),
        ("opinion", {"text": "Đồng ý"}),
        S.AWAITING_DECISION,
    ),
    Step(
        "decide",
        awaiting_decision,
        "chair",
        ("dossier-decide", {"decide-title": "Tặng Giấy khen"}),
        ("decide", {"title": "Tặng Giấy khen"}),
        S.DECIDED,
        created=True,
    ),
    Step(
        "forward",
        awaiting_decision,
        "chair",
        ("dossier-forward", {"forward-title": "Tờ trình lên thành phố"}),
        ("forward", {"title": "Tờ trình lên thành phố"}),
        S.FORWARDED,
        created=True,
    ),
    Step(
        "decline",
        awaiting_decision,
        "chair",
        ("dossier-decline", {"decline-reason": "Chưa đủ tiêu chuẩn"}),
        ("decline", {"reason": "Chưa đủ tiêu chuẩn"}),
        S.DECLINED,
    ),
]


def snapshot(d):
    events = AuditEvent.objects.filter(
        Q(object_type="dossiers.dossier", object_id=str(d.pk)) | Q(data__dossier_id=d.pk),
        action__regex=r"^(dossier|decision|objection|task|nominee|attachment)\.",
    )
    state = Dossier.objects.get(pk=d.pk).state
    return state, open_steps(d), events.count()


def missing_dossier_id():
    return (Dossier.objects.aggregate(top=Max("pk"))["top"] or 0) + 1000


@pytest.fixture
def setup_step(people):
    add_outsiders(people)

    def make(step):
        d = step.setup(people, new_dossier(people))
        return fresh(d)

    return make


# Steps taken from a confirmation page (workflows.confirm): the POST carries its token.
CONFIRMED = {"dossier-submit", "dossier-return", "dossier-decide"}


@pytest.mark.parametrize("step", STEPS, ids=[s.name for s in STEPS])
def test_on_the_web_each_step_is_refused_to_all_but_its_role(step, people, setup_step, client):
    """The whole row of the matrix: 404 to whoever may not see the dossier, 403 to whoever sees
    it but whose step it is not, the login page to nobody signed in; then its role takes it."""
    d = setup_step(step)
    url_name, spec = step.ui
    url, data = reverse(url_name, args=[d.pk]), step.data(spec, d)
    if url_name in CONFIRMED:  # confirmed on its page first: the token of what was shown
        data = {**data, TOKEN_FIELD: dossier_token(d)}
    missing = reverse(url_name, args=[missing_dossier_id()])
    before = snapshot(d)
    answers, wanted = {}, {}
    for name in EVERYONE:
        if name == step.who:
            continue
        wanted[name] = expected(name, sees=step.seen_by, ui=True, done=302)
        answers[name] = web_answer(web_as(client, getattr(people, name)).post(url, data))
        assert snapshot(d) == before, name
        if wanted[name] == 404:
            # Hidden or missing: one answer, so that nothing tells them apart.
            assert client.post(missing, data).status_code == 404, name
    assert answers == wanted

    response = web_as(client, getattr(people, step.who)).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert web_answer(response) != LOGIN
    assert Dossier.objects.get(pk=d.pk).state == step.after


@pytest.mark.parametrize("step", STEPS, ids=[s.name for s in STEPS])
def test_on_the_api_each_step_is_refused_to_all_but_its_role(step, people, setup_step):
    d = setup_step(step)
    suffix, spec = step.api
    url, data = f"/api/dossiers/{d.pk}/{suffix}/", step.data(spec, d)
    missing = f"/api/dossiers/{missing_dossier_id()}/{suffix}/"
    before = snapshot(d)
    client = english_client()
    answers, wanted = {}, {}
    for name in EVERYONE:
        if name == step.who:
            continue
        wanted[name] = expected(name, sees=step.seen_by, ui=False, done=None)
        response = api_as(client, getattr(people, name)).post(url, data, format="json")
        answers[name] = response.status_code
        assert snapshot(d) == before, name
        if wanted[name] == 404:
            # Hidden or missing: the same status and the same body.
            assert client.post(missing, data, format="json").data == response.data, name
    assert answers == wanted

    response = api_as(client, getattr(people, step.who)).post(url, data, format="json")
    assert response.status_code == (201 if step.created else 200), response.data
    assert Dossier.objects.get(pk=d.pk).state == step.after


# --- drafting: the unit's own staff and head, while a draft or returned ----------------------------

DRAFTERS = frozenset({"staff_a", "head_a"})
DRAFTING_STATES = {
    # state: (who sees the dossier, the drafters' answer on the API, on the web)
    "draft": (SEES_DRAFT, (200, 201, 200, 201), 302),
    "returned": (SEES_SUBMITTED, (200, 201, 200, 201), 302),
    # Not theirs (403) comes before not now (409): only the drafters are told to wait.
    "submitted": (SEES_SUBMITTED, (409, 409, 409, 409), 409),
}


def drafting_dossier(w, state):
    d = new_dossier(w)
    if state == "returned":
        return returned(w, d)
    if state == "submitted":
        return submitted(w, d)
    return d


@pytest.mark.parametrize("state", ["draft", "returned", "submitted"])
def test_on_the_api_only_the_unit_drafts_its_dossier(state, people):
    """Edit the dossier, add a nominee, edit one, attach a file: person by person."""
    w = add_outsiders(people)
    d = drafting_dossier(w, state)
    sees, done, _ = DRAFTING_STATES[state]
    nominee = {
        "kind": "individual",
        "sex": "male",
        "name": "Phạm Văn Hải",
        "award_type": "giay-khen",
        "achievements": "…",
    }
    client = english_client()
    answers, wanted = {}, {}
    for name in EVERYONE:
        wanted[name] = tuple(expected(name, sees=sees, doers=DRAFTERS, done=x, ui=False) for x in done)
        api_as(client, getattr(w, name))
        answers[name] = (
            client.patch(f"/api/dossiers/{d.pk}/", {"title": f"Sửa bởi {name}"}, format="json").status_code,
            client.post(f"/api/dossiers/{d.pk}/nominees/", nominee, format="json").status_code,
            client.patch(
                f"/api/dossiers/{d.pk}/nominees/{d.nominee.pk}/", {"name": "Nguyễn Thị Lan"}, format="json"
            ).status_code,
            client.post(
                f"/api/dossiers/{d.pk}/attachments/",
                {"kind": "bien-ban", "file": f.pdf_upload("bien-ban.pdf")},
                format="multipart",
            ).status_code,
        )
    assert answers == wanted


@pytest.mark.parametrize("state", ["draft", "returned", "submitted"])
def test_on_the_web_only_the_unit_edits_its_dossier(state, people, client):
    w = add_outsiders(people)
    d = drafting_dossier(w, state)
    sees, _, done = DRAFTING_STATES[state]
    url = reverse("dossier-edit", args=[d.pk])
    answers, wanted = {}, {}
    for name in EVERYONE:
        wanted[name] = expected(name, sees=sees, doers=DRAFTERS, done=done, ui=True)
        body = {"title": f"Sửa bởi {name}", "procedure_kind": "campaign", "summary": ""}
        answers[name] = web_answer(web_as(client, getattr(w, name)).post(url, body))
    assert answers == wanted


def test_the_edit_pages_are_shown_only_to_those_who_may_edit(people, client):
    w = add_outsiders(people)
    d = returned(w, new_dossier(w))
    pages = [reverse("dossier-edit", args=[d.pk]), reverse("nominee-edit", args=[d.pk, d.nominee.pk])]
    answers, wanted = {}, {}
    for name in EVERYONE:
        for page in pages:
            wanted[name, page] = expected(name, sees=SEES_SUBMITTED, doers=DRAFTERS, done=200, ui=True)
            answers[name, page] = web_answer(web_as(client, getattr(w, name)).get(page))
    assert answers == wanted


def test_a_refusal_says_whose_step_it_is(people, setup_step):
    d = submitted(people, new_dossier(people))
    response = english_client()
    response.force_authenticate(people.chair)
    answer = response.post(f"/api/dossiers/{d.pk}/receive/")
    assert answer.status_code == 403
    assert answer.data["detail"] == "Only the standing body of Phường Long Biên may appraise this dossier."


def test_a_step_not_open_now_is_a_conflict_for_its_own_role(people):
    d = in_council(people, new_dossier(people))
    client = english_client()
    client.force_authenticate(people.officer)
    answer = client.post(f"/api/dossiers/{d.pk}/receive/")
    assert answer.status_code == 409 and answer.data["code"] == "transition_not_allowed"
    assert "is not open now" in answer.data["detail"]


def test_the_officer_who_received_the_dossier_appraises_it(people):
    """Another officer of the same standing body may not complete a task someone has taken."""
    w = people
    colleague = f.user_with_role(Role.STANDING_OFFICER, w.commune, username="officer2")
    d = in_appraisal(w, new_dossier(w))
    client = english_client()
    client.force_authenticate(colleague)
    answer = client.post(f"/api/dossiers/{d.pk}/accept/", {}, format="json")
    assert answer.status_code == 403 and "has taken this task" in answer.data["detail"]
    assert fresh(d).state == S.IN_APPRAISAL


def test_a_vice_chair_signs_only_on_the_chairs_behalf(people):
    w = people
    d = awaiting_decision(w, new_dossier(w))
    client = english_client()
    client.force_authenticate(w.vice_chair)
    assert (
        client.post(f"/api/dossiers/{d.pk}/decide/", {"title": "Tặng Giấy khen"}, format="json").status_code
        == 403
    )
    answer = client.post(
        f"/api/dossiers/{d.pk}/decide/", {"title": "Tặng Giấy khen", "capacity": "KT"}, format="json"
    )
    assert answer.status_code == 201
    assert (answer.data["symbol"], answer.data["signer_capacity"]) == ("01/QĐ-UBND", "KT")


def test_claiming_a_task_is_for_its_role_and_records_who(people):
    w = people
    d = in_council(w, new_dossier(w))
    task_id = wf.open_task(d, wf.DossierFlow.council).pk
    client = english_client()
    client.force_authenticate(w.officer)
    assert client.post(f"/api/tasks/{task_id}/claim/").status_code == 403
    client.force_authenticate(w.secretary)
    answer = client.post(f"/api/tasks/{task_id}/claim/")
    assert answer.status_code == 200 and answer.data["holder"]["id"] == w.secretary.pk
    event = AuditEvent.objects.filter(action="task.claim").get()
    assert (event.actor, event.object_id, event.data["step"]) == ("secretary", str(d.pk), "council")
    assert client.post(f"/api/tasks/{task_id}/claim/").status_code == 409


# Anyone who sees a publicly noticed dossier may object, except inspectors, who read and never
# change (approvals.permissions.can_object).
OBJECTORS = frozenset(
    {
        "staff_a",
        "head_a",
        "officer",
        "member",
        "secretary",
        "vice_chair",
        "chair",
        "admin",
    }
)
CHANNELS = ["web", "api"]


def _post(channel, client, user, url, data):
    """(the answer as the matrix writes it, the response)."""
    if channel == "web":
        response = web_as(client, user).post(url, data)
        return web_answer(response), response
    response = api_as(client, user).post(url, data, format="json")
    return response.status_code, response


@pytest.mark.parametrize("channel", CHANNELS)
def test_anyone_who_sees_a_noticed_dossier_may_object_except_inspectors(channel, people, client):
    w = add_outsiders(people)
    d = public_notice(w, new_dossier(w))
    if channel == "web":
        url, data, done = reverse("objection-lodge", args=[d.pk]), {"objection-text": "Xin xác minh."}, 302
    else:
        client, url, data, done = (
            english_client(),
            f"/api/dossiers/{d.pk}/objections/",
            {"text": "Xin xác minh."},
            201,
        )
    answers, wanted, lodged = {}, {}, 0
    for name in EVERYONE:
        wanted[name] = expected(name, sees=SEES_SUBMITTED, doers=OBJECTORS, done=done, ui=channel == "web")
        answers[name], _ = _post(channel, client, getattr(w, name), url, data)
        lodged += answers[name] == done
        assert Objection.objects.filter(dossier=d).count() == lodged, name
    assert answers == wanted


@pytest.mark.parametrize("channel", CHANNELS)
def test_only_the_standing_body_resolves_an_objection(channel, people, client):
    w = add_outsiders(people)
    d = public_notice(w, new_dossier(w))
    objection = approvals.objection_lodge(actor=w.member, dossier=fresh(d), text="Xin xác minh sáng kiến.")
    if channel == "web":
        url = reverse("objection-resolve", args=[d.pk, objection.pk])
        data, done = {"resolve-resolution": "Đã xác minh."}, 302
    else:
        client, url = english_client(), f"/api/objections/{objection.pk}/resolve/"
        data, done = {"resolution": "Đã xác minh."}, 200
    answers, wanted = {}, {}
    for name in EVERYONE:
        if name == "officer":
            continue
        wanted[name] = expected(name, sees=SEES_SUBMITTED, ui=channel == "web", done=None)
        answers[name], _ = _post(channel, client, getattr(w, name), url, data)
    assert answers == wanted
    assert Objection.objects.get(pk=objection.pk).resolved_by is None

    answer, _ = _post(channel, client, w.officer, url, data)
    assert answer == done
    objection.refresh_from_db()
    assert objection.resolved_by == w.officer


@pytest.mark.parametrize("channel", CHANNELS)
def test_only_the_authority_that_granted_an_award_revokes_it(channel, people, client):
    w = add_outsiders(people)
    d = awaiting_decision(w, new_dossier(w))
    decision = wf.decision_issue(actor=w.chair, dossiers=[d], title="Tặng Giấy khen")
    award = decision.awards.get()
    if channel == "web":
        url, data, done = (
            reverse("decision-revoke", args=[decision.pk]),
            {"revoke-awards": [award.pk], "revoke-reason": "Hồ sơ giả mạo."},
            302,
        )
    else:
        client, url = english_client(), f"/api/decisions/{decision.pk}/revoke/"
        data, done = {"awards": [award.pk], "reason": "Hồ sơ giả mạo."}, 201
    answers, wanted = {}, {}
    for name in EVERYONE:
        if name == "chair":
            continue
        wanted[name] = expected(name, sees=SEES_SUBMITTED, ui=channel == "web", done=None)
        answers[name], _ = _post(channel, client, getattr(w, name), url, data)
    assert answers == wanted
    award.refresh_from_db()
    assert award.revoked_by is None

    answer, response = _post(channel, client, w.chair, url, data)
    assert answer == done
    award.refresh_from_db()
    assert award.revoked_by.symbol == "02/QĐ-UBND"
    if channel == "api":
        assert (response.data["symbol"], response.data["revokes"]["symbol"]) == ("02/QĐ-UBND", "01/QĐ-UBND")


@pytest.mark.parametrize("channel", CHANNELS)
def test_claiming_a_task_is_for_its_role_at_its_unit(channel, people, client):
    """Taking the council's task: only its secretary; 404 to whoever may not see the dossier."""
    w = add_outsiders(people)
    d = in_council(w, new_dossier(w))
    task_id = wf.open_task(d, wf.DossierFlow.council).pk
    if channel == "web":
        url, done = reverse("task-claim", args=[task_id]), 302
    else:
        client, url, done = english_client(), f"/api/tasks/{task_id}/claim/", 200
    answers, wanted = {}, {}
    for name in EVERYONE:
        if name == "secretary":
            continue
        wanted[name] = expected(name, sees=SEES_SUBMITTED, ui=channel == "web", done=None)
        answers[name], _ = _post(channel, client, getattr(w, name), url, {})
    assert answers == wanted
    assert open_steps(d) == [("council", STATUS.NEW)]

    answer, _ = _post(channel, client, w.secretary, url, {})
    assert answer == done
    assert open_steps(d) == [("council", STATUS.ASSIGNED)]
