"""Guessing passwords: five failures of a name from an address lock that pair out for fifteen
minutes, on the login page, the admin's and the API's token endpoint, whatever the client writes
in X-Forwarded-For; the right password then fails too, until the cool-off ends or an
administrator unlocks (audited)."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from org.services import signin_unlock
from tests import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "pw-test-123"  # tests.factories.UserFactory
LIMIT = 5


def later(minutes):
    return time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes), tick=True)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, url, username, times, **extra):
    return [
        client.post(url, {"username": username, "password": "wrong-guess"}, **extra).status_code
        for _ in range(times)
    ]


def test_the_login_page_locks_a_name_after_five_failures_even_for_the_right_password(client, world):
    statuses = fail(client, reverse("login"), "head_a", LIMIT)

    assert statuses == [200] * (LIMIT - 1) + [429]
    refused = client.post(reverse("login"), {"username": "head_a", "password": PASSWORD})
    assert refused.status_code == 429
    assert not signed_in(client)
    page = refused.content.decode()
    assert 'data-testid="locked-out"' in page
    assert "Đăng nhập tạm bị khóa" in page  # Vietnamese by default
    assert "09:15" in page  # the fifth failure at 09:00 (pinned clock) + 15 minutes
    assert int(refused["Retry-After"]) in range(14 * 60, 15 * 60 + 1)


def test_the_lockout_ends_after_its_cool_off(client, world):
    fail(client, reverse("login"), "head_a", LIMIT)
    with later(14):
        assert client.post(reverse("login"), {"username": "head_a", "password": PASSWORD}).status_code == 429

    with later(16):
        response = client.post(reverse("login"), {"username": "head_a", "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in(client)


def test_the_admin_login_locks_too(client, db):
    f.UserFactory(username="root", is_staff=True, is_superuser=True)
    url = reverse("admin:login")

    statuses = fail(client, url, "root", LIMIT)
    refused = client.post(url, {"username": "root", "password": PASSWORD, "next": "/admin/"})
    with later(16):
        allowed = client.post(url, {"username": "root", "password": PASSWORD, "next": "/admin/"})

    assert statuses == [200] * (LIMIT - 1) + [429]
    assert refused.status_code == 429 and 'data-testid="locked-out"' in refused.content.decode()
    assert allowed.status_code == 302 and allowed["Location"] == "/admin/"


def test_the_api_token_endpoint_locks_too(client, world):
    url = "/api/auth/token/"
    statuses = [
        client.post(url, {"username": "head_a", "password": "wrong"}).status_code for _ in range(LIMIT)
    ]
    refused = client.post(url, {"username": "head_a", "password": PASSWORD})

    assert statuses == [400] * (LIMIT - 1) + [429]
    assert refused.status_code == 429
    assert "token" not in refused.json()
    assert "Quá nhiều lần đăng nhập sai" in refused.json()["detail"]


def test_a_made_up_forwarded_address_does_not_escape_the_lockout(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(LIMIT):
        client.post(
            reverse("login"),
            {"username": "head_a", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )

    refused = client.post(
        reverse("login"), {"username": "head_a", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="192.0.2.77"
    )

    assert refused.status_code == 429
    assert not signed_in(client)


def test_behind_our_proxy_the_lockout_is_per_client_the_proxy_saw(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    fail(client, reverse("login"), "head_a", LIMIT, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)

    # The attacker cannot pose as someone else by writing more addresses to the left ...
    forged = client.post(
        reverse("login"),
        {"username": "head_a", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9",
        **proxy,
    )
    # ... and the real person, elsewhere, behind the same proxy, still signs in.
    elsewhere = client.post(
        reverse("login"),
        {"username": "head_a", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.1",
        **proxy,
    )

    assert forged.status_code == 429
    assert elsewhere.status_code == 302


def test_the_lockout_is_per_name_and_address_so_no_one_locks_a_person_out_from_afar(client, world):
    fail(client, reverse("login"), "head_a", LIMIT, REMOTE_ADDR="203.0.113.9")

    response = client.post(
        reverse("login"), {"username": "head_a", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10"
    )

    assert response.status_code == 302


def test_an_administrator_unlocks_early_and_it_is_audited(client, world):
    f.UserFactory(username="root", is_staff=True, is_superuser=True)
    fail(client, reverse("login"), "head_a", LIMIT)

    call_command("signin_unlock", "head_a", "--by", "root", stdout=io.StringIO())

    assert client.post(reverse("login"), {"username": "head_a", "password": PASSWORD}).status_code == 302
    event = AuditEvent.objects.get(action="auth.unlock")
    assert (event.actor, event.object_id, event.data["username"]) == ("root", str(world.head_a.pk), "head_a")
    assert event.data["cleared"] >= 1


def test_a_person_without_the_permission_cannot_unlock(client, world):
    fail(client, reverse("login"), "head_a", LIMIT)

    with pytest.raises(PermissionDenied):
        signin_unlock(actor=world.staff_a, username="head_a")

    assert client.post(reverse("login"), {"username": "head_a", "password": PASSWORD}).status_code == 429
    assert not AuditEvent.objects.filter(action="auth.unlock").exists()
