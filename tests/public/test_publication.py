"""Công bố: an issued decision is published by the standing body or the records office of its
issuing body, never before it is signed and issued, and taken down only with a reason; both
are audit events."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from documents import services
from documents.models import GeneratedKind as K
from documents.models import Publication
from documents.publication import decision_publish, decision_unpublish
from org.errors import TransitionNotAllowed


def test_the_records_clerk_publishes_an_issued_decision_with_its_event(issued, clerk):
    publication = decision_publish(actor=clerk, decision=issued)
    assert publication.document.signatures.filter(agency__isnull=False).exists()
    event = AuditEvent.objects.get(action="decision.publish")
    assert event.actor == "clerk" and event.object_id == str(issued.pk)
    assert event.data["sha256"] == publication.document.sha256


def test_the_standing_body_may_publish_too(issued, world):
    assert decision_publish(actor=world.officer, decision=issued).published_by == world.officer


def test_the_chair_who_signed_does_not_publish(issued, world):
    with pytest.raises(PermissionDenied):
        decision_publish(actor=world.chair, decision=issued)
    assert not Publication.objects.exists()


def test_a_decision_signed_but_not_issued_is_not_published(decided, world, chair_image, agency_key, clerk):
    document = services.document_render(actor=world.officer, kind=K.DECISION, subject=decided)
    services.document_sign(actor=world.chair, document=document)
    with pytest.raises(TransitionNotAllowed):
        decision_publish(actor=clerk, decision=decided)
    assert not AuditEvent.objects.filter(action="decision.publish").exists()


def test_a_decision_without_its_pdf_is_not_published(decided, clerk):
    with pytest.raises(TransitionNotAllowed):
        decision_publish(actor=clerk, decision=decided)


def test_publishing_twice_is_refused(published, clerk):
    with pytest.raises(TransitionNotAllowed):
        decision_publish(actor=clerk, decision=published)


def test_taking_down_needs_a_reason_and_is_recorded(published, clerk):
    with pytest.raises(ValidationError):
        decision_unpublish(actor=clerk, decision=published, reason="  ")
    decision_unpublish(actor=clerk, decision=published, reason="Sai tên một cá nhân trong phụ lục")
    event = AuditEvent.objects.get(action="decision.unpublish")
    assert event.data["reason"] == "Sai tên một cá nhân trong phụ lục"
    assert not Publication.objects.current().exists()
    # Published again: a new publication, the old one kept with its reason.
    decision_publish(actor=clerk, decision=published)
    assert Publication.objects.count() == 2 and Publication.objects.current().count() == 1


def test_the_clerk_publishes_from_the_page_and_the_api(issued, clerk, client):
    client.force_login(clerk)
    page = client.get(reverse("decision-publication", args=[issued.pk]))
    assert page.status_code == 200 and 'data-testid="publish"' in page.content.decode()
    assert (
        client.post(reverse("decision-publication", args=[issued.pk]), {"action": "publish"}).status_code
        == 302
    )
    assert Publication.objects.current().filter(decision=issued).exists()
    refused = client.post(
        reverse("documents_api:decision-unpublish", args=[issued.pk]), {}, content_type="application/json"
    )
    assert refused.status_code == 400
    done = client.post(
        reverse("documents_api:decision-unpublish", args=[issued.pk]),
        {"reason": "Chờ lễ trao tặng"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["withdrawn_reason"] == "Chờ lễ trao tặng"
    again = client.post(reverse("documents_api:decision-publish", args=[issued.pk]))
    assert again.status_code == 201


def test_the_publication_page_is_a_404_for_others(issued, world, client):
    client.force_login(world.head_a)
    assert client.get(reverse("decision-publication", args=[issued.pk])).status_code == 404
    assert client.post(reverse("documents_api:decision-publish", args=[issued.pk])).status_code == 404
