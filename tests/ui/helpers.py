"""Small helpers shared by the UI tests."""

from django.urls import reverse

from audit.models import AuditEvent


def text(response) -> str:
    return response.content.decode()


def detail_url(dossier) -> str:
    return reverse("dossier-detail", args=[dossier.pk])


def last_event() -> AuditEvent | None:
    return AuditEvent.objects.order_by("-seq").first()
