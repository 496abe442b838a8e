"""One decision for many dossiers: the chair signs one decision covering the dossiers of a
campaign, every dossier decided, one number, one audit record per dossier and one for the decision;
refusals name the dossier that blocks; the highest-only cash rule; the annex in the PDF."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from approvals import services as approvals
from approvals.models import Award, Decision, DecisionDraft
from audit.models import AuditEvent
from dossiers.models import DossierState
from org.errors import TransitionNotAllowed
from tests.documents.helpers import text as pdf_text
from tests.workflows.conftest import awaiting_decision, fresh, in_appraisal, new_dossier
from workflows import confirm
from workflows import services as wf

S = DossierState


def three_awaiting(w):
    return [awaiting_decision(w, new_dossier(w)) for _ in range(3)]


def test_one_decision_covers_every_dossier_of_the_campaign(people):
    w = people
    dossiers = three_awaiting(w)
    decision = wf.decision_issue(actor=w.chair, dossiers=dossiers, title="Về việc tặng Giấy khen")
    assert Decision.objects.count() == 1
    assert sorted(d.pk for d in decision.dossiers.all()) == sorted(d.pk for d in dossiers)
    assert all(fresh(d).state == S.DECIDED for d in dossiers)
    assert decision.awards.count() == 3
    decides = AuditEvent.objects.filter(action="dossier.decide").values_list("object_id", flat=True)
    assert sorted(decides) == sorted(str(d.pk) for d in dossiers)
    assert AuditEvent.objects.filter(action="decision.issue").count() == 1


def test_a_dossier_not_awaiting_a_decision_is_named_and_nothing_changes(people):
    w = people
    ready = awaiting_decision(w, new_dossier(w))
    early = in_appraisal(w, new_dossier(w))
    early.title = "Hồ sơ còn đang thẩm định"
    early.save(update_fields=["title"])
    with pytest.raises(TransitionNotAllowed, match="Hồ sơ còn đang thẩm định"):
        wf.decision_issue(actor=w.chair, dossiers=[ready, fresh(early)], title="Về việc tặng Giấy khen")
    assert Decision.objects.count() == 0
    assert fresh(ready).state == S.AWAITING_DECISION


def test_another_bodys_chair_is_refused_naming_the_dossier(people):
    w = people
    d = awaiting_decision(w, new_dossier(w))
    with pytest.raises(PermissionDenied, match=f"no. {d.pk}"):
        wf.decision_issue(actor=w.province_chair, dossiers=[d], title="Về việc tặng Giấy khen")
    assert Decision.objects.count() == 0


def test_a_nominee_decided_at_a_higher_level_blocks_the_decision(people):
    w = people
    ok = awaiting_decision(w, new_dossier(w))
    high = awaiting_decision(w, new_dossier(w, award="tap-the-lao-dong-xuat-sac", kind="collective"))
    with pytest.raises(ValidationError, match="decided at a higher level"):
        approvals.decision_issue(actor=w.chair, dossiers=[ok, high], title="Về việc tặng Giấy khen")
    assert Decision.objects.count() == 0 and fresh(ok).state == S.AWAITING_DECISION


def test_the_signer_may_use_only_their_own_capacities(people):
    w = people
    d = awaiting_decision(w, new_dossier(w))
    with pytest.raises(ValidationError) as refused:
        wf.decision_issue(actor=w.chair, dossiers=[d], title="x", capacity="KT")
    assert "capacity" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        wf.decision_issue(actor=w.vice_chair, dossiers=[d], title="x", capacity="")
    decision = wf.decision_issue(actor=w.vice_chair, dossiers=[d], title="x", capacity="KT")
    assert decision.signer_capacity == "KT"


def test_highest_only_in_one_decision_and_against_an_award_already_held(people):
    w = people
    low = new_dossier(w, award="giay-khen", kind="collective")
    high = new_dossier(w, award="tap-the-lao-dong-tien-tien", kind="collective")
    for d in (low, high):
        d.nominee.collective_unit = w.school_a
        d.nominee.save(update_fields=["collective_unit"])
    low, high = awaiting_decision(w, low), awaiting_decision(w, high)
    decision = wf.decision_issue(actor=w.chair, dossiers=[low, high], title="Về việc khen thưởng")
    awards = {a.nominee.award_type.code: a for a in decision.awards.select_related("nominee__award_type")}
    base = decision.base_salary
    full_high = approvals.cash_amount(
        nominee=high.nominee, rule=awards["tap-the-lao-dong-tien-tien"].nominee.rule, base_salary=base
    )
    assert awards["tap-the-lao-dong-tien-tien"].amount == full_high
    assert awards["giay-khen"].amount == 0
    assert awards["giay-khen"].cash_covered_by_id == awards["tap-the-lao-dong-tien-tien"].pk

    # Later, another Giấy khen for the same unit and period: already paid more, so 0 đ.
    again = new_dossier(w, award="giay-khen", kind="collective")
    again.nominee.collective_unit = w.school_a
    again.nominee.save(update_fields=["collective_unit"])
    again = awaiting_decision(w, again)
    later = wf.decision_issue(actor=w.chair, dossiers=[again], title="Về việc tặng Giấy khen")
    award = later.awards.get()
    assert award.amount == 0 and award.cash_covered_by_id == awards["tap-the-lao-dong-tien-tien"].pk

    text = " ".join(pdf_text(_decision_pdf(later)).split())
    assert "Không nhận tiền thưởng" in text and "cao nhất" in text


def test_different_people_with_the_same_name_are_paid_each(people):
    w = people
    a, b = new_dossier(w), new_dossier(w)
    for d, born in ((a, "1980-01-01"), (b, "1990-02-02")):
        d.nominee.name, d.nominee.date_of_birth = "Nguyễn Văn An", born
        d.nominee.save(update_fields=["name", "date_of_birth"])
    a, b = awaiting_decision(w, a), awaiting_decision(w, b)
    decision = wf.decision_issue(actor=w.chair, dossiers=[a, b], title="Về việc tặng Giấy khen")
    assert all(x.amount > 0 for x in decision.awards.all())


def _decision_pdf(decision):
    from documents.contexts import decision_context
    from documents.rendering import html_to_pdf, render_html

    return html_to_pdf(render_html("documents/decision.html", decision_context(decision)))


def test_the_annex_groups_by_kind_and_award_with_subtotals_and_the_total_in_words(people):
    w = people
    individual = awaiting_decision(w, new_dossier(w))
    collective = awaiting_decision(w, new_dossier(w, award="tap-the-lao-dong-tien-tien", kind="collective"))
    individual.nominee.sex = "female"
    individual.nominee.save(update_fields=["sex"])
    decision = wf.decision_issue(
        actor=w.chair, dossiers=[individual, collective], title="Về việc khen thưởng"
    )
    text = " ".join(pdf_text(_decision_pdf(decision)).split())
    assert "I. Cá nhân" in text.replace("I Cá nhân", "I. Cá nhân") or "Cá nhân" in text
    annex = text[text.index("DANH SÁCH KHEN THƯỞNG") :]
    assert annex.index("Cá nhân") < annex.index("Tập thể")
    assert "Hình thức khen thưởng" in text and "Tập thể lao động tiên tiến" in text
    assert f"Bà {individual.nominee.name}" in text
    assert "Cộng I: 1 trường hợp" in text and "Cộng II: 1 trường hợp" in text
    assert "Tổng cộng: 2 trường hợp" in text
    total = sum(a.amount for a in decision.awards.all())
    from documents.formatting import money, money_words

    assert money(total) in text and money_words(total) in text
    assert "Phòng Kinh tế có trách nhiệm cấp phát tiền thưởng" in text
    assert "Lưu: VT, NV" in text


def test_the_execution_offices_come_from_the_setting(people, settings):
    w = people
    settings.DECISION_OFFICES = {
        "commune": {"finance_office": "Phòng Kinh tế, Hạ tầng và Đô thị", "drafting_abbr": "VHXH"}
    }
    d = awaiting_decision(w, new_dossier(w))
    decision = wf.decision_issue(actor=w.chair, dossiers=[d], title="Về việc tặng Giấy khen")
    text = " ".join(pdf_text(_decision_pdf(decision)).split())
    assert "Phòng Kinh tế, Hạ tầng và Đô thị có trách nhiệm" in text and "Lưu: VT, VHXH" in text


def test_the_standing_body_prepares_and_the_chair_signs_the_draft(people):
    w = people
    dossiers = three_awaiting(w)
    with pytest.raises(PermissionDenied):
        approvals.decision_draft_prepare(actor=w.head_a, dossiers=dossiers, title="x")
    draft = approvals.decision_draft_prepare(
        actor=w.officer, dossiers=dossiers, title="Về việc tặng Giấy khen"
    )
    assert AuditEvent.objects.filter(action="decision.draft_prepare").count() == 1
    decision = wf.decision_issue(
        actor=w.chair, dossiers=list(draft.dossiers.all()), title=draft.title, draft=draft
    )
    assert DecisionDraft.objects.get(pk=draft.pk).decision_id == decision.pk


# --- the pages and the API ---------------------------------------------------------------------------


def test_the_picker_preview_and_signature_on_the_pages(people, client):
    w = people
    dossiers = three_awaiting(w)
    client.force_login(w.chair)
    page = client.get(reverse("decision-prepare"))
    assert page.status_code == 200
    html = page.content.decode()
    assert all(d.title in html for d in dossiers) and html.count("checked") == 3
    query = {
        "decision-dossiers": [d.pk for d in dossiers],
        "decision-title": "Về việc tặng Giấy khen",
        "decision-capacity": "",
    }
    preview = client.get(reverse("decision-prepare-confirm"), query)
    assert preview.status_code == 200 and "DỰ THẢO" in preview.content.decode()
    pdf = client.get(reverse("decision-prepare-pdf"), query)
    assert pdf["Content-Type"] == "application/pdf"
    assert "DỰ THẢO" in pdf_text(pdf.content)
    assert Decision.objects.count() == 0
    token = confirm.batch_token([fresh(d) for d in dossiers])
    done = client.post(reverse("decision-prepare-confirm"), {**query, confirm.TOKEN_FIELD: token})
    assert done.status_code == 302
    assert Decision.objects.count() == 1 and all(fresh(d).state == S.DECIDED for d in dossiers)
    # The decision's page leads the chair on: make the PDF, sign it; the clerk issues it after.
    after = client.get(done["Location"]).content.decode()
    assert "Chưa lập tệp PDF" in after and "rồi ký số" in after
    # Approved and numbered, not yet signed digitally: the message says what is left to do.
    symbol = Decision.objects.get().symbol
    assert f"Đã duyệt và cấp số Quyết định {symbol} cho 3 hồ sơ: hãy lập bản PDF và ký số." in after


def test_the_page_refuses_a_stale_confirmation(people, client):
    w = people
    dossiers = three_awaiting(w)
    client.force_login(w.chair)
    query = {"decision-dossiers": [d.pk for d in dossiers], "decision-title": "x", "decision-capacity": ""}
    refused = client.post(reverse("decision-prepare-confirm"), {**query, confirm.TOKEN_FIELD: "stale"})
    assert refused.status_code == 409 and Decision.objects.count() == 0


def test_the_api_previews_prepares_and_issues_and_names_what_blocks(people):
    from rest_framework.test import APIClient

    w = people
    dossiers = three_awaiting(w)
    api = APIClient()
    api.force_authenticate(w.officer)
    ids = [d.pk for d in dossiers]
    preview = api.post("/api/decisions/preview/", {"dossiers": ids, "title": "x"}, format="json")
    assert preview.status_code == 200 and len(preview.json()["awards"]) == 3
    draft = api.post(
        "/api/decisions/drafts/", {"dossiers": ids, "title": "Về việc tặng Giấy khen"}, format="json"
    )
    assert draft.status_code == 201
    api.force_authenticate(w.chair)
    missing = api.post("/api/decisions/issue/", {"dossiers": [*ids, 999999], "title": "x"}, format="json")
    assert missing.status_code == 400 and "999999" in str(missing.json())
    issued = api.post(
        "/api/decisions/issue/",
        {"dossiers": ids, "title": "Về việc tặng Giấy khen", "draft": draft.json()["id"]},
        format="json",
    )
    assert issued.status_code == 201, issued.content
    assert len(issued.json()["dossiers"]) == 3
    again = api.post("/api/decisions/issue/", {"dossiers": ids, "title": "x"}, format="json")
    assert again.status_code == 409 and str(ids[0]) in str(again.json())
    api.credentials(HTTP_ACCEPT_LANGUAGE="vi")
    again = api.post("/api/decisions/issue/", {"dossiers": ids, "title": "x"}, format="json")
    assert again.json()["detail"].startswith("Không thể quyết định hồ sơ “"), again.json()
    assert Decision.objects.count() == 1 and Award.objects.count() == 3


def test_an_id_beyond_the_64_bit_range_is_a_400_not_a_server_error(people):
    """A dossier or draft id no row can have is refused before the database sees it (SQLite
    cannot bind an integer past 2**63 - 1 in the dossiers' `in` list): as the body is read
    (config/parsers.py), and at the largest id a row could have, by the dossiers' own check."""
    from rest_framework.test import APIClient

    w = people
    ids = [d.pk for d in three_awaiting(w)]
    api = APIClient()
    api.force_authenticate(w.chair)
    for url in ("/api/decisions/preview/", "/api/decisions/issue/"):
        huge = api.post(url, {"dossiers": [*ids, 2**63], "title": "x"}, format="json")
        assert huge.status_code == 400 and "9.223.372.036.854.775.807" in huge.json()["detail"]
        draft = api.post(url, {"dossiers": ids, "title": "x", "draft": 2**64}, format="json")
        assert draft.status_code == 400 and "detail" in draft.json()
        largest = api.post(url, {"dossiers": [*ids, 2**63 - 1], "title": "x"}, format="json")
        assert 400 <= largest.status_code < 500
    assert Decision.objects.count() == 0


def test_the_standing_body_prepares_on_the_page_and_the_chair_opens_the_draft(people, client):
    w = people
    dossiers = three_awaiting(w)
    client.force_login(w.officer)
    page = client.get(reverse("decision-prepare"))
    html = page.content.decode()
    assert page.status_code == 200 and "prepare-button" in html and "preview-button" not in html
    form = {
        "decision-dossiers": [d.pk for d in dossiers[:2]],
        "decision-title": "Về việc tặng Giấy khen đợt 1",
    }
    done = client.post(reverse("decision-prepare"), form)
    assert done.status_code == 302
    draft = DecisionDraft.objects.get()
    assert sorted(d.pk for d in draft.dossiers.all()) == sorted(d.pk for d in dossiers[:2])
    client.force_login(w.chair)
    opened = client.get(reverse("decision-prepare"), {"draft": draft.pk}).content.decode()
    assert "Về việc tặng Giấy khen đợt 1" in opened and opened.count("checked") == 2
    client.force_login(w.head_a)
    assert client.get(reverse("decision-prepare")).status_code == 404
