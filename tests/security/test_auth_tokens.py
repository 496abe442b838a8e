"""API tokens expire (401 with a message that says so), can be revoked by their holder (API and
page) or by an administrator, each audited; only a digest of the key is stored."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from org.models import ApiToken
from org.services import api_token_issue, api_token_revoke
from tests import factories as f
from tests.api.helpers import english_client

pytestmark = pytest.mark.django_db


def with_token(key):
    return english_client(HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_is_refused_with_401_once_expired(world, settings):
    token = api_token_issue(actor=world.head_a)
    assert with_token(token.key).get("/api/campaigns/").status_code == 200

    with time_machine.travel(
        timezone.now() + dt.timedelta(days=settings.API_TOKEN_TTL_DAYS, minutes=1), tick=True
    ):
        response = with_token(token.key).get("/api/campaigns/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert "expired" in response.json()["detail"]


def test_the_key_is_stored_only_as_a_digest(world):
    token = api_token_issue(actor=world.head_a)

    row = ApiToken.objects.get(user=world.head_a)
    assert token.key not in (row.digest, row.prefix)
    assert len(token.key) == 40 and row.prefix == token.key[:8]


def test_the_holder_revokes_through_the_api(world):
    token = api_token_issue(actor=world.head_a)
    client = with_token(token.key)

    response = client.delete("/api/auth/token/")

    assert response.status_code == 204
    assert with_token(token.key).get("/api/campaigns/").status_code == 401
    event = AuditEvent.objects.get(action="auth.token_revoke")
    assert (event.actor, event.object_id, event.data["prefix"]) == (
        "head_a",
        str(world.head_a.pk),
        token.key[:8],
    )


def test_revoking_needs_a_token_to_revoke(world):
    client = english_client()
    client.force_authenticate(world.head_a)

    response = client.delete("/api/auth/token/")

    assert response.status_code == 400
    assert "holds no API token" in str(response.json())


def test_the_holder_revokes_on_the_page_and_issues_with_the_password(client, world):
    client.force_login(world.head_a)
    old = api_token_issue(actor=world.head_a)

    page = client.get(reverse("api-token"))
    assert old.key[:8] in page.content.decode()
    revoked = client.post(reverse("api-token"), {"revoke": "1"})
    assert revoked.status_code == 302
    assert not ApiToken.objects.filter(user=world.head_a).exists()

    wrong = client.post(reverse("api-token"), {"issue": "1", "password": "wrong"})
    issued = client.post(reverse("api-token"), {"issue": "1", "password": "pw-test-123"})

    assert wrong.status_code == 400
    assert issued.status_code == 200
    key = issued.context["issued_key"]
    assert key in issued.content.decode()
    assert with_token(key).get("/api/campaigns/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.token_revoke").count() == 1


def test_an_administrator_revokes_anyones_token_others_cannot(world):
    token = api_token_issue(actor=world.head_a)
    f.UserFactory(username="root", is_staff=True, is_superuser=True)

    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=world.staff_a, user=world.head_a)
    assert with_token(token.key).get("/api/campaigns/").status_code == 200

    call_command("api_token_revoke", "head_a", "--by", "root", stdout=io.StringIO())

    assert with_token(token.key).get("/api/campaigns/").status_code == 401
    assert AuditEvent.objects.get(action="auth.token_revoke").actor == "root"
