"""The workflow on the web: the dossier's page offers each person the forms of their step (and
only theirs), refusals come back on the page, the inboxes list what each role must do, and the
timeline tells every step with who, when and what was said."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from approvals import services as approvals
from approvals.models import Decision
from dossiers import services as dossier_services
from dossiers.forms import add_service_errors
from dossiers.models import Dossier, DossierState
from tests import factories as f
from tests import paper
from workflows import services as wf
from workflows.forms import ReturnForm

from .conftest import (
    awaiting_decision,
    council_voted,
    fresh,
    in_appraisal,
    in_council,
    new_dossier,
    public_notice,
    returned,
    submitted,
)

S = DossierState


def page(client, user, dossier):
    client.force_login(user)
    response = client.get(reverse("dossier-detail", args=[dossier.pk]))
    assert response.status_code == 200
    return response.content.decode()


def action_urls(html, dossier):
    names = [
        "dossier-receive",
        "dossier-accept",
        "dossier-return",
        "dossier-reject",
        "notice-close",
        "council-result",  # gone: it must never be offered again
        "dossier-opinion",
        "dossier-decide",
        "dossier-forward",
        "dossier-decline",
    ]
    return {name for name in names if f'action="{reverse(name, args=[dossier.pk])}"' in html}


def test_each_person_sees_the_forms_of_their_step_only(people, client):
    w = people
    d = submitted(w, new_dossier(w))
    assert action_urls(page(client, w.officer, d), d) == {"dossier-receive"}
    assert action_urls(page(client, w.chair, d), d) == set()

    wf.appraisal_receive(actor=w.officer, dossier=d)
    assert action_urls(page(client, w.officer, d), d) == {
        "dossier-accept",
        "dossier-return",
        "dossier-reject",
    }
    assert action_urls(page(client, w.head_a, d), d) == set()

    wf.appraisal_accept(actor=w.officer, dossier=d)
    assert action_urls(page(client, w.secretary, d), d) == set()
    assert 'data-testid="awaits-meeting"' in page(client, w.secretary, d)
    assert action_urls(page(client, w.officer, d), d) == set()

    paper.handed_over(secretary=w.secretary, council=w.council, dossiers=[d])
    assert action_urls(page(client, w.vice_chair, d), d) == {"dossier-opinion"}

    wf.opinion_give(actor=w.vice_chair, dossier=d, text="Đồng ý")
    assert action_urls(page(client, w.chair, d), d) == {
        "dossier-decide",
        "dossier-forward",
        "dossier-decline",
    }
    assert action_urls(page(client, w.vice_chair, d), d) == {"dossier-decide"}  # as KT. only
    assert action_urls(page(client, w.member, d), d) == set()


def test_a_return_without_items_comes_back_on_the_page_with_the_message(people, client):
    w = people
    d = in_appraisal(w, new_dossier(w))
    client.force_login(w.officer)
    response = client.post(reverse("dossier-return", args=[d.pk]), {"return-items": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'action="%s"' % reverse("dossier-return", args=[d.pk]) in html
    # Said at the top of the page too: the form may be far below it, on a phone below the fold.
    alert = html.index("alert-danger")
    assert alert < html.index('action="%s"' % reverse("dossier-return", args=[d.pk]))
    assert "Chưa thực hiện được: hãy sửa các mục được đánh dấu đỏ" in html[alert:]
    # ... and the field itself is the one drawn in red.
    assert re.search(r'<textarea[^>]*class="form-control is-invalid"[^>]*id="id_return-items"', html)
    assert not re.search(r'class="[^"]*is-invalid[^"]*"[^>]*id="id_return-further_return_reason"', html)
    assert fresh(d).state == S.IN_APPRAISAL


def test_a_field_the_service_refuses_is_drawn_in_red_too():
    form = ReturnForm(data={"return-items": "Bản sao bằng khen"})
    assert form.is_valid() and "is-invalid" not in str(form["items"])
    add_service_errors(form, ValidationError({"items": "Quá dài."}))
    assert 'class="form-control is-invalid"' in str(form["items"])
    assert 'aria-invalid="true"' in str(form["items"])


def test_a_step_that_is_not_open_is_a_409_page(people, client):
    w = people
    d = in_council(w, new_dossier(w))
    client.force_login(w.officer)
    response = client.post(reverse("dossier-receive", args=[d.pk]))
    assert response.status_code == 409 and 'data-testid="refusal"' in response.content.decode()


def test_the_appraiser_sees_what_changed_since_the_return(people, client):
    w = people
    d = returned(w, new_dossier(w))
    dossier_services.attachment_add(
        actor=w.staff_a,
        dossier=d,
        kind=f.doc_kind("bien-ban"),
        uploaded_file=f.pdf_upload("bien-ban-2.pdf", "Có chữ ký"),
    )
    wf.dossier_submit(actor=w.head_a, dossier=fresh(d))
    html = page(client, w.officer, d)
    assert 'id="changes"' in html and "Bổ sung xác nhận sáng kiến" in html and "bien-ban-2.pdf" in html


def test_public_notice_shows_objections_and_lets_anyone_in_scope_object(people, client):
    w = people
    d = public_notice(w, new_dossier(w))
    client.force_login(w.member)
    response = client.post(
        reverse("objection-lodge", args=[d.pk]), {"objection-text": "Chưa đúng đối tượng."}
    )
    assert response.status_code == 302
    html = page(client, w.officer, d)
    assert "Chưa đúng đối tượng." in html
    objection = d.objections.get()
    assert f'action="{reverse("objection-resolve", args=[d.pk, objection.pk])}"' in html
    assert "notice-close" in action_urls(html, d)


def test_the_timeline_tells_each_step_who_and_what(people, client):
    w = people
    d = returned(w, new_dossier(w))
    html = page(client, w.head_a, d)
    assert "Bổ sung xác nhận sáng kiến" in html  # the return's list, in the timeline and the record
    assert html.count('data-testid="return-request"') == 1
    assert w.officer.full_name in html  # who acted, by name (not their login)


@pytest.mark.calendar
def test_inboxes_list_each_roles_work(people, client):
    w = people
    received = submitted(w, new_dossier(w))
    voting = in_council(w, new_dossier(w))
    signing = awaiting_decision(w, new_dossier(w))
    back = returned(w, new_dossier(w))

    client.force_login(w.officer)
    tasks = client.get(reverse("my-tasks")).context["page"].object_list
    assert {r.dossier.pk for r in tasks} == {received.pk}  # the others: someone else's step, or taken by him
    queue = client.get(reverse("standing-queue")).context["page"].object_list
    assert {r.dossier.pk for r in queue} == {received.pk}
    assert queue[0].due is not None and queue[0].return_by < queue[0].due

    client.force_login(w.secretary)
    assert {r.dossier.pk for r in client.get(reverse("my-tasks")).context["page"].object_list} == {voting.pk}

    client.force_login(w.chair)
    assert {r.dossier.pk for r in client.get(reverse("to-sign")).context["page"].object_list} == {signing.pk}

    client.force_login(w.head_a)
    assert {r.dossier.pk for r in client.get(reverse("my-tasks")).context["page"].object_list} == {back.pk}
    response = client.get(reverse("unit-inbox"), {"section": "returned"})
    assert [d.pk for d in response.context["page"].object_list] == [back.pk]
    assert response.context["counts"]["in_review"] == 3

    client.force_login(w.head_b)
    assert list(client.get(reverse("my-tasks")).context["page"].object_list) == []


@pytest.mark.calendar
def test_inbox_filters(people, client):
    w = people
    one = submitted(w, new_dossier(w))
    two = in_appraisal(w, new_dossier(w))
    client.force_login(w.officer)

    def by(**q):
        return {r.dossier.pk for r in client.get(reverse("standing-queue"), q).context["page"].object_list}

    assert by() == {one.pk, two.pk}
    assert by(holder="mine") == {two.pk}
    assert by(holder="nobody") == {one.pk}
    assert by(q=one.title) == {one.pk}
    assert by(overdue="on") == set()


def test_the_campaign_filter_names_only_the_campaigns_of_the_dossiers_in_the_list(people, client):
    w = people
    spring = f.CampaignFactory(name="Thi đua mùa xuân", organizer=w.commune)
    d = awaiting_decision(w, new_dossier(w))
    other = awaiting_decision(w, new_dossier(w))
    Dossier.objects.filter(pk=other.pk).update(campaign=spring)
    f.CampaignFactory(name="Phong trào của tỉnh", organizer=w.province)  # nothing awaits from it
    client.force_login(w.chair)

    page = client.get(reverse("to-sign"))
    offered = [str(c) for c in page.context["form"].fields["campaign"].queryset]

    assert sorted(offered) == sorted([str(w.campaign), str(spring)])
    assert "Phong trào của tỉnh" not in page.content.decode()
    rows = client.get(reverse("to-sign"), {"campaign": spring.pk}).context["page"].object_list
    assert [r.dossier.pk for r in rows] == [other.pk]
    assert d.pk not in [r.dossier.pk for r in rows]


def test_the_chair_is_reminded_of_the_decisions_awaiting_his_digital_signature(people, client):
    w = people
    d = awaiting_decision(w, new_dossier(w))
    decision = wf.decision_issue(actor=w.chair, dossiers=[d], title="Về việc tặng Giấy khen")
    client.force_login(w.chair)

    page = client.get(reverse("to-sign")).content.decode()

    assert 'data-testid="decisions-to-sign-digitally"' in page
    assert "Quyết định đã duyệt, chờ đồng chí ký số" in page and decision.symbol in page
    assert f'href="/decisions/{decision.pk}/#papers"' in page
    # Not the vice-chair's: he has nothing to sign digitally.
    client.force_login(w.vice_chair)
    assert 'data-testid="decisions-to-sign-digitally"' not in client.get(reverse("to-sign")).content.decode()
    # Once its PDF carries the signature, nothing is left to remind.
    Decision.objects.filter(pk=decision.pk).mark_signed(at=timezone.now())
    client.force_login(w.chair)
    assert 'data-testid="decisions-to-sign-digitally"' not in client.get(reverse("to-sign")).content.decode()


def test_decision_page_and_revocation(people, client):
    w = people
    d = awaiting_decision(w, new_dossier(w))
    decision = wf.decision_issue(actor=w.chair, dossiers=[d], title="Tặng Giấy khen")
    award = decision.awards.get()
    client.force_login(w.chair)
    response = client.post(
        reverse("decision-revoke", args=[decision.pk]),
        {"revoke-awards": [award.pk], "revoke-reason": "Hồ sơ sáng kiến giả mạo."},
    )
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "02/QĐ-UBND" in html and "01/QĐ-UBND" in html
    client.force_login(w.head_b)
    assert client.get(reverse("decision-detail", args=[decision.pk])).status_code == 404


@pytest.mark.calendar
def test_public_notice_close_refusal_lists_reasons_on_the_page(people, client):
    w = people
    d = public_notice(w, new_dossier(w))
    approvals.objection_lodge(actor=w.member, dossier=fresh(d), text="Xin xác minh.")
    client.force_login(w.officer)
    response = client.post(reverse("notice-close", args=[d.pk]))
    assert response.status_code == 400
    assert fresh(d).state == S.PUBLIC_NOTICE


def test_every_page_renders_for_every_state(people, client):
    w = people
    dossiers = [
        submitted(w, new_dossier(w)),
        in_appraisal(w, new_dossier(w)),
        returned(w, new_dossier(w)),
        in_council(w, new_dossier(w)),
        council_voted(w, new_dossier(w)),
        awaiting_decision(w, new_dossier(w)),
    ]
    for user in [w.head_a, w.officer, w.chair, w.inspector]:
        for d in dossiers:
            page(client, user, d)
        for name in ["my-tasks", "standing-queue", "to-sign", "unit-inbox", "decision-list"]:
            assert client.get(reverse(name)).status_code == 200
