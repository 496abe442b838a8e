"""Signing in and signing out are each one audit event, with the client; the first failed attempt
of a name from an address in a window is one (tests/security/test_auth_failures_audit.py bounds
the rest), names who was tried and never carries the password."""

import json

import pytest
from django.urls import reverse

from audit.models import AuditEvent

from .chains import run_verify

pytestmark = pytest.mark.django_db
PASSWORD = "pw-test-123"  # tests.factories.UserFactory


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_signing_in_is_an_event_with_the_users_roles_unit_and_client(client, world):
    response = client.post(
        reverse("login"),
        {"username": "head_a", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.20",
        HTTP_USER_AGENT="Chromium/140",
    )

    assert response.status_code == 302
    (event,) = events("auth.login")
    assert (event.actor, event.object_type, event.object_id) == ("head_a", "org.user", str(world.head_a.pk))
    assert event.roles == ["unit_head"]
    assert event.scope == world.school_a.path
    assert event.data["client"] == {"ip": "198.51.100.20", "user_agent": "Chromium/140"}


def test_a_failed_sign_in_records_the_name_tried_and_the_address_not_the_password(client, world):
    response = client.post(
        reverse("login"),
        {"username": "head_a", "password": "wrong-Secret-42"},
        REMOTE_ADDR="203.0.113.66",
    )

    assert response.status_code == 200
    (event,) = events("auth.login_failed")
    assert event.actor == "anonymous"
    assert event.data["username"] == "head_a"
    assert event.data["client"]["ip"] == "203.0.113.66"
    assert (event.object_type, event.object_id, event.scope) == (
        "org.user",
        str(world.head_a.pk),
        world.school_a.path,
    )
    assert "wrong-Secret-42" not in json.dumps(event.data)
    assert event.data["window_start"] == "2026-03-11T02:00:00+00:00"  # 09:00 in Hà Nội
    assert not events("auth.login")


def test_failing_again_in_the_window_adds_no_event(client, world):
    for _ in range(3):
        client.post(reverse("login"), {"username": "head_a", "password": "wrong"}, REMOTE_ADDR="203.0.113.66")

    assert len(events("auth.login_failed")) == 1


def test_a_failed_sign_in_for_an_unknown_name_is_recorded_without_a_user(client, db):
    client.post(reverse("login"), {"username": "nobody", "password": "x"})

    (event,) = events("auth.login_failed")
    assert (event.object_id, event.scope, event.data["username"]) == ("", "", "nobody")


def test_a_failed_token_request_is_recorded_too(client, world):
    client.post("/api/auth/token/", {"username": "chair", "password": "guess"})

    (event,) = events("auth.login_failed")
    assert event.data["username"] == "chair"


def test_signing_out_is_an_event(client, world):
    client.force_login(world.chair)

    client.post(reverse("logout"))

    (event,) = events("auth.logout")
    assert event.actor == "chair"
    assert run_verify()[0] == 0
