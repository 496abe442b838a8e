"""What a user may do on a dossier is computed once (workflows.selectors.dossier_actions), and the
dossier's page only renders it: each role sees exactly its own actions, at each state."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from approvals import services as approvals
from dossiers.selectors import dossier_detail
from org.models import Role
from tests import factories as f
from workflows.selectors import dossier_actions

from .conftest import (
    awaiting_decision,
    council_voted,
    in_appraisal,
    in_council,
    new_dossier,
    public_notice,
    returned,
    submitted,
)

NOTHING = frozenset()


def actions_of(user, dossier):
    return dossier_actions(user=user, dossier=dossier_detail(user=user, pk=dossier.pk)).allowed


@pytest.mark.parametrize(
    ("reach", "expected"),
    [
        (
            lambda w, d: d,
            {
                "head_a": {"edit", "submit", "withdraw"},
                "staff_a": {"edit"},
                "officer": None,  # a draft is its unit's own: not even visible
                "chair": None,
            },
        ),
        (
            submitted,
            {"head_a": {"withdraw"}, "staff_a": NOTHING, "officer": {"receive"}, "chair": NOTHING},
        ),
        (
            in_appraisal,
            {"head_a": NOTHING, "officer": {"accept", "return", "reject"}, "secretary": NOTHING},
        ),
        (
            returned,
            {"head_a": {"edit", "submit", "withdraw"}, "staff_a": {"edit"}, "officer": NOTHING},
        ),
        (
            in_council,
            {"secretary": {"claim"}, "officer": NOTHING, "chair": NOTHING, "head_a": NOTHING},
        ),
        (council_voted, {"vice_chair": {"opinion", "claim"}, "chair": NOTHING, "secretary": NOTHING}),
        (
            awaiting_decision,
            {
                "chair": {"decide", "forward", "decline", "claim"},
                "vice_chair": {"decide"},
                "officer": NOTHING,
            },
        ),
    ],
    ids=[
        "draft",
        "submitted",
        "in_appraisal",
        "returned",
        "in_council",
        "council_voted",
        "awaiting_decision",
    ],
)
def test_each_role_gets_exactly_its_actions(people, reach, expected):
    dossier = reach(people, new_dossier(people))
    for name, allowed in expected.items():
        user = getattr(people, name)
        if allowed is None:
            with pytest.raises(Http404):
                dossier_detail(user=user, pk=dossier.pk)
            continue
        assert actions_of(user, dossier) == frozenset(allowed), name


def test_during_the_public_notice_anyone_in_scope_may_object_but_the_inspector(people):
    dossier = public_notice(people, new_dossier(people))
    assert actions_of(people.officer, dossier) == {"close_notice", "claim", "objection"}
    assert "objection" in actions_of(people.head_a, dossier)
    assert "objection" not in actions_of(people.inspector, dossier)


def test_the_decision_step_carries_what_its_form_needs(people):
    dossier = awaiting_decision(people, new_dossier(people))
    chair = dossier_actions(user=people.chair, dossier=dossier_detail(user=people.chair, pk=dossier.pk))
    deputy = dossier_actions(
        user=people.vice_chair, dossier=dossier_detail(user=people.vice_chair, pk=dossier.pk)
    )
    assert [n.pk for n in chair.approved] == [dossier.nominee.pk]
    assert chair.capacity == "" and deputy.capacity == "KT"
    assert chair.needs_forward is False


def test_computing_the_chairs_actions_costs_six_queries(people, django_assert_num_queries):
    dossier = awaiting_decision(people, new_dossier(people))
    loaded = dossier_detail(user=people.chair, pk=dossier.pk)
    # the open tasks, returns, notice, opinions, decisions, forwarded-from (the dossier is loaded)
    with django_assert_num_queries(6):
        dossier_actions(user=people.chair, dossier=loaded)


def test_an_inspector_is_told_why_they_may_not_object(people):
    dossier = public_notice(people, new_dossier(people))
    with pytest.raises(PermissionDenied, match="Inspectors read the record and change nothing"):
        approvals.objection_lodge(actor=people.inspector, dossier=dossier, text="Không đúng sự thật")
    outsider = f.user_with_role(Role.UNIT_HEAD, people.province)  # sees no commune school's dossier
    with pytest.raises(PermissionDenied, match="You may not see this dossier"):
        approvals.objection_lodge(actor=outsider, dossier=dossier, text="Không đúng sự thật")


def test_a_draft_withdrawn_before_it_was_submitted_stays_the_units_own(people, client):
    from dossiers.selectors import dossier_list_for
    from workflows import services as wf

    dossier = new_dossier(people)
    wf.dossier_withdraw(actor=people.head_a, dossier=dossier, reason="Lập lại hồ sơ khác")
    for reviewer in (people.officer, people.chair, people.inspector):
        with pytest.raises(Http404):
            dossier_detail(user=reviewer, pk=dossier.pk)
        assert dossier.pk not in {d.pk for d in dossier_list_for(user=reviewer)}
    assert dossier_detail(user=people.head_a, pk=dossier.pk).pk == dossier.pk
    client.force_login(people.inspector)
    assert client.get(f"/inspection/dossiers/{dossier.pk}/").status_code == 404


def test_the_api_says_what_the_caller_may_do_as_the_page_does(people):
    from rest_framework.test import APIClient

    dossier = awaiting_decision(people, new_dossier(people))
    client = APIClient()
    for name, expected in [
        ("chair", ["claim", "decide", "decline", "forward"]),
        ("vice_chair", ["decide"]),
        ("officer", []),
    ]:
        client.force_authenticate(getattr(people, name))
        data = client.get(f"/api/dossiers/{dossier.pk}/workflow/").data
        assert data["actions"] == expected, name
        assert data["actions"] == sorted(actions_of(getattr(people, name), dossier)), name


def test_the_councils_secretary_is_shown_the_way_to_the_meetings(people):
    dossier = in_council(people, new_dossier(people))
    for name, shown in [("secretary", True), ("officer", False), ("chair", False)]:
        user = getattr(people, name)
        actions = dossier_actions(user=user, dossier=dossier_detail(user=user, pk=dossier.pk))
        assert actions.awaits_meeting is shown, name


def test_the_chair_is_told_when_an_award_must_be_forwarded(people, client):
    """A Bằng khen of the provincial chair is decided up there: the page says so, the form is there."""
    dossier = awaiting_decision(people, new_dossier(people, award="bang-khen-chu-tich-tinh"))
    actions = dossier_actions(user=people.chair, dossier=dossier_detail(user=people.chair, pk=dossier.pk))
    assert actions.needs_forward is True
    client.force_login(people.chair)
    page = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "thuộc thẩm quyền cấp trên: hãy trình hồ sơ lên cấp trên" in page
    client.force_login(people.officer)
    page = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert "thuộc thẩm quyền cấp trên" not in page
