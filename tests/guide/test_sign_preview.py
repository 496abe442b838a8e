"""Signing shows the document first: a page with the PDF in a frame served by us (the only
response that may be framed, by our own pages), and the signature only of that very file."""

from django.urls import reverse

from documents import services
from documents.models import GeneratedDocument, Signature
from documents.models import GeneratedKind as K


def _document(world, decided):
    return services.document_render(actor=world.chair, kind=K.DECISION, subject=decided)


def test_the_signing_page_shows_the_pdf_from_our_own_url(decided, world, client):
    document = _document(world, decided)
    client.force_login(world.chair)

    response = client.get(reverse("document-sign", args=[document.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    preview = reverse("document-preview", args=[document.pk])
    assert f'<iframe src="{preview}"' in page and f'name="sha256" value="{document.sha256}"' in page
    assert "Ký văn bản này?" in page
    assert not Signature.objects.exists()  # looking is not signing

    framed = client.get(preview)
    assert framed["Content-Type"] == "application/pdf"
    assert framed["Content-Disposition"].startswith("inline")
    assert framed["X-Frame-Options"] == "SAMEORIGIN"
    policy = framed["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "object-src 'self'" in policy
    # Every other page stays unframeable.
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_signing_the_document_shown_signs_it(decided, world, client):
    document = _document(world, decided)
    client.force_login(world.chair)
    response = client.post(reverse("document-sign", args=[document.pk]), {"sha256": document.sha256})
    assert response.status_code == 302
    assert Signature.objects.get(document=document).signer_id == world.chair.pk


def test_a_document_changed_since_it_was_shown_is_not_signed(decided, world, client):
    document = _document(world, decided)
    client.force_login(world.chair)
    shown = document.sha256
    client.post(reverse("document-sign", args=[document.pk]), {"sha256": shown})  # signed once
    signed = GeneratedDocument.objects.get(pk=document.pk)
    assert signed.sha256 != shown

    response = client.post(reverse("document-sign", args=[document.pk]), {"sha256": shown})

    assert response.status_code == 409
    assert "Văn bản không còn là văn bản đồng chí đã xem" in response.content.decode()
    assert Signature.objects.filter(document=document).count() == 1
    assert GeneratedDocument.objects.get(pk=document.pk).sha256 == signed.sha256


def test_a_signature_without_the_documents_digest_is_refused(decided, world, client):
    document = _document(world, decided)
    client.force_login(world.chair)
    response = client.post(reverse("document-sign", args=[document.pk]))
    assert response.status_code == 409
    assert not Signature.objects.exists()


def test_the_signing_page_is_for_the_signer_only(decided, world, client):
    document = _document(world, decided)
    client.force_login(world.head_a)
    assert client.get(reverse("document-sign", args=[document.pk])).status_code == 403
