"""Submit, return and decide are confirmed on a page (GET) showing what will be sent or decided;
the action (POST) needs the token of what was confirmed, and a change in between is refused with
nothing done."""

import re

from django.urls import reverse

from approvals.models import Award, Decision, ReturnRequest
from dossiers import services as dossier_services
from dossiers.models import Dossier, DossierState
from tests import factories as f
from tests.workflows.conftest import awaiting_decision, fresh, in_appraisal, new_dossier
from workflows.confirm import dossier_token

S = DossierState


def _token(page) -> str:
    return re.search(r'name="confirm_token" value="([0-9a-f]+)"', page).group(1)


def test_the_submit_confirmation_lists_nominees_files_and_the_receiving_body(complete_draft, world, client):
    client.force_login(world.head_a)

    response = client.get(reverse("dossier-submit", args=[complete_draft.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert complete_draft.nominee.name in page and complete_draft.nominee.award_type.name in page
    files = page[page.index('data-testid="confirm-attachments"') :].split("</ul>")[0]
    assert "bien-ban.pdf" in files and files.count("<li>") == 3
    assert f"cơ quan thường trực của <strong>{complete_draft.reviewing_unit.name}</strong>" in page
    assert fresh(complete_draft).state == S.DRAFT  # looking is not submitting

    response = client.post(
        reverse("dossier-submit", args=[complete_draft.pk]), {"confirm_token": _token(page)}
    )

    assert response.status_code == 302
    assert fresh(complete_draft).state == S.SUBMITTED


def test_a_submit_confirmed_before_a_change_is_refused_and_nothing_moves(complete_draft, world, client):
    client.force_login(world.head_a)
    page = client.get(reverse("dossier-submit", args=[complete_draft.pk])).content.decode()
    dossier_services.attachment_add(
        actor=world.staff_a,
        dossier=complete_draft,
        kind=f.doc_kind("to-trinh"),
        uploaded_file=f.pdf_upload("v2.pdf"),
    )

    response = client.post(
        reverse("dossier-submit", args=[complete_draft.pk]), {"confirm_token": _token(page)}
    )

    assert response.status_code == 409
    assert "Hồ sơ đã thay đổi sau khi đồng chí xác nhận" in response.content.decode()
    assert fresh(complete_draft).state == S.DRAFT


def test_a_submit_without_confirmation_is_refused(complete_draft, world, client):
    client.force_login(world.head_a)
    response = client.post(reverse("dossier-submit", args=[complete_draft.pk]))
    assert response.status_code == 409
    assert fresh(complete_draft).state == S.DRAFT


def test_the_dossier_page_leads_to_the_confirmation_not_to_the_action(complete_draft, world, client):
    client.force_login(world.head_a)
    page = client.get(reverse("dossier-detail", args=[complete_draft.pk])).content.decode()
    url = reverse("dossier-submit", args=[complete_draft.pk])
    assert f'href="{url}" data-testid="submit-button"' in page
    assert f'method="post" action="{url}"' not in page


def test_the_return_confirmation_shows_the_reasons(people, client):
    d = in_appraisal(people, new_dossier(people))
    client.force_login(people.officer)
    query = {"return-items": "Bổ sung xác nhận sáng kiến\nBản sao bằng khen năm trước"}

    response = client.get(reverse("dossier-return", args=[d.pk]), query)

    page = response.content.decode()
    assert response.status_code == 200
    items = page[page.index('data-testid="confirm-items"') :].split("</ol>")[0]
    assert "<li>Bổ sung xác nhận sáng kiến</li>" in items and "<li>Bản sao bằng khen năm trước</li>" in items
    assert fresh(d).state == S.IN_APPRAISAL

    body = {
        "confirm_token": _token(page),
        "return-items": query["return-items"],
        "return-further_return_reason": "",
    }
    response = client.post(reverse("dossier-return", args=[d.pk]), body)

    assert response.status_code == 302
    assert fresh(d).state == S.RETURNED
    assert ReturnRequest.objects.get(dossier=d).items == [
        "Bổ sung xác nhận sáng kiến",
        "Bản sao bằng khen năm trước",
    ]


def test_a_stale_return_is_refused_with_nothing_returned(people, client):
    d = in_appraisal(people, new_dossier(people))
    client.force_login(people.officer)
    page = client.get(reverse("dossier-return", args=[d.pk]), {"return-items": "Bổ sung"}).content.decode()
    Dossier.objects.filter(pk=d.pk).update(title="Đổi tên")  # someone changed it (a save moves updated_at)
    dossier = fresh(d)
    dossier.save()

    response = client.post(
        reverse("dossier-return", args=[d.pk]), {"confirm_token": _token(page), "return-items": "Bổ sung"}
    )

    assert response.status_code == 409
    assert fresh(d).state == S.IN_APPRAISAL and not ReturnRequest.objects.filter(dossier=d).exists()


def test_an_empty_return_list_comes_back_on_the_dossier_page(people, client):
    d = in_appraisal(people, new_dossier(people))
    client.force_login(people.officer)
    response = client.get(reverse("dossier-return", args=[d.pk]), {"return-items": "  "})
    assert response.status_code == 400
    assert 'id="workflow"' in response.content.decode() or "dossier-return" in response.content.decode()


def test_the_decision_confirmation_shows_the_annex_and_the_total(people, client):
    d = awaiting_decision(people, new_dossier(people))
    client.force_login(people.chair)
    query = {"decide-title": "Về việc khen thưởng", "decide-capacity": "", "decide-signed_on": ""}

    response = client.get(reverse("dossier-decide", args=[d.pk]), query)

    page = response.content.decode()
    assert response.status_code == 200
    annex = page[page.index('data-testid="confirm-annex"') :].split("</table>")[0]
    assert d.nominee.name in annex and d.nominee.award_type.name in annex
    total = re.search(r'data-testid="confirm-total"><span class="text-nowrap">([^<]+)<', annex).group(1)
    assert total.endswith(" đ") and total != "0 đ"
    assert not Decision.objects.exists()

    response = client.post(reverse("dossier-decide", args=[d.pk]), {**query, "confirm_token": _token(page)})

    assert response.status_code == 302
    decision = Decision.objects.get()
    cash = sum(a.amount for a in Award.objects.filter(decision=decision))
    assert total == f"{cash:,} đ".replace(",", ".")


def test_a_stale_decision_is_refused_and_nothing_is_signed(people, client):
    d = awaiting_decision(people, new_dossier(people))
    client.force_login(people.chair)
    query = {"decide-title": "Về việc khen thưởng"}
    page = client.get(reverse("dossier-decide", args=[d.pk]), query).content.decode()
    stale = _token(page)
    fresh(d).save()
    assert dossier_token(fresh(d)) != stale

    response = client.post(reverse("dossier-decide", args=[d.pk]), {**query, "confirm_token": stale})

    assert response.status_code == 409
    assert not Decision.objects.exists() and fresh(d).state == S.AWAITING_DECISION


def test_the_confirmation_is_only_for_who_may_take_the_step(complete_draft, world, client):
    client.force_login(world.staff_a)  # drafts, but only the head submits
    response = client.get(reverse("dossier-submit", args=[complete_draft.pk]))
    assert response.status_code == 409
