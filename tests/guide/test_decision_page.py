"""The decision's page links its PDF (signed or not), each certificate and how far the certificates
are; and the dossier's page offers no withdrawal of a draft that was never sent."""

from django.urls import reverse

from documents import services
from documents.models import GeneratedKind as K


def _section(page, testid):
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</section>", start)]


def test_the_decision_page_links_its_pdf_and_says_whether_it_is_signed(decided, world, client):
    client.force_login(world.chair)
    url = reverse("decision-detail", args=[decided.pk])

    papers = _section(client.get(url).content.decode(), "decision-papers")
    assert "Chưa lập tệp PDF của quyết định này." in papers
    assert reverse("decision-documents", args=[decided.pk]) in papers

    document = services.document_render(actor=world.chair, kind=K.DECISION, subject=decided)
    papers = _section(client.get(url).content.decode(), "decision-papers")
    assert f"{reverse('document-download', args=[document.pk])}?inline=1" in papers
    assert "chưa ký" in papers and reverse("document-sign", args=[document.pk]) in papers

    services.document_sign(actor=world.chair, document=document)
    papers = _section(client.get(url).content.decode(), "decision-papers")
    assert "đã ký" in papers and "chưa ký" not in papers
    assert reverse("document-sign", args=[document.pk]) not in papers  # signed: nothing left to sign


def test_the_decision_page_says_how_many_certificates_are_made_and_links_them(decided, world, client):
    awards = list(decided.awards.order_by("pk"))
    client.force_login(world.chair)
    url = reverse("decision-detail", args=[decided.pk])

    page = client.get(url).content.decode()
    assert f"Đã in 0/{len(awards)} giấy khen" in _section(page, "decision-papers")
    assert page.count('data-testid="certificate-link"') == 0

    certificate = services.document_render(actor=world.chair, kind=K.CERTIFICATE, subject=awards[0])
    page = client.get(url).content.decode()
    assert f"Đã in 1/{len(awards)} giấy khen" in _section(page, "decision-papers")
    assert page.count('data-testid="certificate-link"') == 1
    assert reverse("document-download", args=[certificate.pk]) in page
    assert page.count("Chưa in giấy khen") == len(awards) - 1


def test_a_draft_offers_no_withdrawal_but_a_submitted_dossier_does(complete_draft, world, client):
    from workflows import services as wf

    client.force_login(world.head_a)
    withdraw = reverse("dossier-withdraw", args=[complete_draft.pk])
    assert withdraw not in client.get(reverse("dossier-detail", args=[complete_draft.pk])).content.decode()
    wf.dossier_submit(actor=world.head_a, dossier=complete_draft)
    assert withdraw in client.get(reverse("dossier-detail", args=[complete_draft.pk])).content.decode()
