"""Each step is taken by its role at its unit and by nobody else: every step, tried by every person
of the world, on the web UI and on the API. A refusal (403 not yours, 404 not visible) changes
nothing — neither the dossier, nor its tasks, nor the audit trail."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db.models import Q
from django.urls import reverse

from approvals import services as approvals
from audit.models import AuditEvent
from dossiers.models import Dossier, DossierState
from org.models import Role
from tests import factories as f
from tests.api.helpers import english_client
from workflows import services as wf

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

S = DossierState
EVERYONE = [
    "staff_a",
    "head_a",
    "head_b",
    "officer",
    "member",
    "secretary",
    "vice_chair",
    "chair",
    "inspector",
    "province_officer",
    "province_chair",
]


def draft(w, d):
    return d


def notice_over(w, d):
    public_notice(w, d)
    notice_period_over(d)
    return fresh(d)


def council_ui(d):
    n = d.nominee.pk
    return {
        "council-members_total": 9,
        f"council-for_{n}": 7,
        f"council-against_{n}": 2,
        f"council-abstain_{n}": 0,
    }


def council_api(d):
    return {"results": [{"nominee": d.nominee.pk, "votes_for": 7, "votes_against": 2, "members_total": 9}]}


@dataclass
class Step:
    name: str
    setup: Callable
    who: str
    ui: tuple  # (url name, data or a function of the dossier)
    api: tuple  # (path suffix, data or a function of the dossier)
    after: str

    def data(self, spec, dossier):
        return spec(dossier) if callable(spec) else spec


STEPS = [
    Step("submit", draft, "head_a", ("dossier-submit", {}), ("submit", {}), S.SUBMITTED),
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
    Step(
        "council-result",
        in_council,
        "secretary",
        ("council-result", council_ui),
        ("council-result", council_api),
        S.COUNCIL_VOTED,
    ),
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
    ),
    Step(
        "forward",
        awaiting_decision,
        "chair",
        ("dossier-forward", {"forward-title": "Tờ trình lên thành phố"}),
        ("forward", {"title": "Tờ trình lên thành phố"}),
        S.FORWARDED,
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


@pytest.fixture
def setup_step(people):
    def make(step):
        d = step.setup(people, new_dossier(people))
        return fresh(d)

    return make


@pytest.mark.parametrize("step", STEPS, ids=[s.name for s in STEPS])
def test_on_the_web_each_step_is_refused_to_all_but_its_role(step, people, setup_step, client):
    d = setup_step(step)
    url_name, spec = step.ui
    url, data = reverse(url_name, args=[d.pk]), step.data(spec, d)
    before = snapshot(d)
    for name in EVERYONE:
        if name == step.who:
            continue
        client.force_login(getattr(people, name))
        response = client.post(url, data)
        assert response.status_code in (403, 404), (name, response.status_code)
        assert snapshot(d) == before, name

    client.force_login(getattr(people, step.who))
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Dossier.objects.get(pk=d.pk).state == step.after


@pytest.mark.parametrize("step", STEPS, ids=[s.name for s in STEPS])
def test_on_the_api_each_step_is_refused_to_all_but_its_role(step, people, setup_step):
    d = setup_step(step)
    suffix, spec = step.api
    url, data = f"/api/dossiers/{d.pk}/{suffix}/", step.data(spec, d)
    before = snapshot(d)
    client = english_client()
    for name in EVERYONE:
        if name == step.who:
            continue
        client.force_authenticate(getattr(people, name))
        response = client.post(url, data, format="json")
        assert response.status_code in (403, 404), (name, response.status_code, response.data)
        assert snapshot(d) == before, name

    client.force_authenticate(getattr(people, step.who))
    response = client.post(url, data, format="json")
    assert response.status_code in (200, 201), response.data
    assert Dossier.objects.get(pk=d.pk).state == step.after


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


def test_only_the_standing_body_resolves_an_objection(people):
    w = people
    d = public_notice(w, new_dossier(w))
    objection = approvals.objection_lodge(actor=w.member, dossier=fresh(d), text="Xin xác minh sáng kiến.")
    client = english_client()
    for name in EVERYONE:
        client.force_authenticate(getattr(w, name))
        answer = client.post(
            f"/api/objections/{objection.pk}/resolve/", {"resolution": "Đã xác minh."}, format="json"
        )
        if name == "officer":
            assert answer.status_code == 200 and answer.data["resolved_by"]["id"] == w.officer.pk
        else:
            assert answer.status_code in (403, 404), (name, answer.status_code)


def test_only_the_authority_that_granted_an_award_revokes_it(people):
    w = people
    d = awaiting_decision(w, new_dossier(w))
    decision = wf.decision_issue(actor=w.chair, dossiers=[d], title="Tặng Giấy khen")
    award = decision.awards.get()
    body = {"awards": [award.pk], "reason": "Hồ sơ giả mạo."}
    client = english_client()
    for name in EVERYONE:
        if name == "chair":
            continue
        client.force_authenticate(getattr(w, name))
        answer = client.post(f"/api/decisions/{decision.pk}/revoke/", body, format="json")
        assert answer.status_code in (403, 404), (name, answer.status_code)
    client.force_authenticate(w.chair)
    answer = client.post(f"/api/decisions/{decision.pk}/revoke/", body, format="json")
    assert answer.status_code == 201
    assert (answer.data["symbol"], answer.data["revokes"]["symbol"]) == ("02/QĐ-UBND", "01/QĐ-UBND")
    assert answer.data["awards"][0]["revoked_by"]["symbol"] == "02/QĐ-UBND"
