"""Certificates of a whole decision made in the background (Celery, eager in tests) with their
progress, into one ZIP."""

import io
import zipfile

from django.urls import reverse

from approvals import services as approvals
from approvals.models import Award
from audit.models import AuditEvent
from documents import services
from documents.models import BatchState, CertificateBatch, GeneratedDocument
from documents.models import GeneratedKind as K
from org.models import User

from .helpers import page_sizes, text


def test_certificates_of_a_decision_in_one_zip(decided, world, client, django_capture_on_commit_callbacks):
    client.force_login(User.objects.get(pk=world.chair.pk))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificate-batch-start", args=[decided.pk]))
    assert response.status_code == 302
    batch = CertificateBatch.objects.get(decision=decided)
    assert (batch.state, batch.done, batch.total, batch.percent) == (BatchState.DONE, 3, 3, 100)
    progress = client.get(reverse("certificate-batch-progress", args=[batch.pk])).content.decode()
    assert "100%" in progress and "hx-trigger" not in progress  # finished: it stops polling
    download = client.get(reverse("certificate-batch-download", args=[batch.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.namelist() == ["001-nguyen-thi-lan.pdf", "002-le-van-thanh.pdf", "003-to-ngu-van.pdf"]
    for name, person in zip(
        archive.namelist(), ["Nguyễn Thị Lan", "Lê Văn Thành", "Tổ Ngữ văn"], strict=True
    ):
        data = archive.read(name)
        assert page_sizes(data) == [(842, 595)] and person in text(data)
    assert GeneratedDocument.objects.filter(kind=K.CERTIFICATE).count() == 3
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-5:] == ["certificate_batch.start", *["document.generate"] * 3, "certificate_batch.finish"]


def test_progress_polls_while_the_batch_runs(decided, world, client):
    batch = CertificateBatch.objects.create(decision=decided, requested_by=world.chair, total=3, done=1)
    client.force_login(User.objects.get(pk=world.chair.pk))
    progress = client.get(reverse("certificate-batch-progress", args=[batch.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in progress and "33%" in progress
    page = client.get(reverse("decision-documents", args=[decided.pk])).content.decode()
    assert "django_htmx/htmx-2.min.js" in page


def test_revoked_awards_get_no_certificate_and_the_api_reports_progress(
    decided, world, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    approvals.decision_revoke(
        actor=world.chair, awards=[Award.objects.get(nominee=decided.nominees[1])], reason="x"
    )
    api = APIClient()
    api.force_authenticate(User.objects.get(pk=world.chair.pk))
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(reverse("documents_api:batch-start", args=[decided.pk]))
    assert response.status_code == 202
    batch = api.get(reverse("documents_api:batch-detail", args=[response.json()["id"]])).json()
    assert (batch["state"], batch["done"], batch["total"]) == ("done", 2, 2)
    download = api.get(batch["download_url"])
    assert len(zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()) == 2


def test_only_the_deciding_body_starts_a_batch(decided, world):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.certificate_batch_start(actor=world.head_a, decision=decided)
    assert not CertificateBatch.objects.exists()
