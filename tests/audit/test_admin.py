import pytest
from django.urls import reverse

from audit.models import AuditEvent

from .chains import append_events

pytestmark = pytest.mark.django_db


def test_admin_lists_events(admin_client):
    append_events(2, object_id="42")

    response = admin_client.get(reverse("admin:audit_auditevent_changelist"))

    assert response.status_code == 200
    assert "dossiers.dossier:42" in response.content.decode()


def test_admin_cannot_add_an_event(admin_client):
    response = admin_client.get(reverse("admin:audit_auditevent_add"))

    assert response.status_code == 403


def test_admin_shows_an_event_read_only_and_refuses_to_change_it(admin_client):
    (event,) = append_events(1)
    url = reverse("admin:audit_auditevent_change", args=[event.seq])

    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"actor": "tampered"}).status_code == 403
    assert AuditEvent.objects.get(seq=event.seq).actor == "system"


def test_admin_cannot_delete_an_event(admin_client):
    (event,) = append_events(1)

    response = admin_client.post(reverse("admin:audit_auditevent_delete", args=[event.seq]), {"post": "yes"})

    assert response.status_code == 403
    assert AuditEvent.objects.filter(seq=event.seq).exists()
