"""Failed sign-ins are in the audit trail without letting an anonymous client grow it without
bound: one event per (address, name) and window, a bounded number of names per address, one
lockout event; the rest only counted (audit.SignInFailures)."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, SignInFailures

pytestmark = pytest.mark.django_db


def sign_in_events():
    return AuditEvent.objects.filter(action__startswith="auth.").exclude(
        action__in=["auth.login", "auth.logout"]
    )


def test_two_hundred_names_from_one_address_add_a_handful_of_events(client, db):
    for n in range(200):
        client.post(reverse("login"), {"username": f"guess{n}", "password": "x"}, REMOTE_ADDR="203.0.113.5")

    per_address = settings.AUDIT_SIGNIN_EVENTS_PER_ADDRESS
    assert sign_in_events().count() <= 2 * per_address + 1
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == per_address
    assert AuditEvent.objects.filter(action="auth.login_failed_counted").count() == 1
    # Every attempt is still counted, on at most per_address + 1 rows.
    counted = SignInFailures.objects.filter(address="203.0.113.5")
    assert counted.count() == per_address + 1
    assert sum(counted.values_list("failures", flat=True)) == 200


def test_a_name_retried_in_a_window_is_one_event_and_one_lockout(client, world):
    for _ in range(12):
        client.post(reverse("login"), {"username": "head_a", "password": "x"}, REMOTE_ADDR="203.0.113.5")

    assert [e.action for e in sign_in_events().order_by("seq")] == ["auth.login_failed", "auth.locked_out"]
    locked = AuditEvent.objects.get(action="auth.locked_out")
    assert (locked.object_id, locked.data["username"]) == (str(world.head_a.pk), "head_a")
    assert locked.data["client"]["ip"] == "203.0.113.5"
    assert timezone.localtime(dt.datetime.fromisoformat(locked.data["until"])).strftime("%H:%M") == "09:15"
    assert SignInFailures.objects.get(username="head_a").failures == 12


def test_the_next_window_records_the_name_again(client, world):
    client.post(reverse("login"), {"username": "head_a", "password": "x"})
    with time_machine.travel(
        timezone.now() + dt.timedelta(minutes=settings.AUDIT_SIGNIN_WINDOW_MINUTES), tick=True
    ):
        client.post(reverse("login"), {"username": "head_a", "password": "x"})

    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 2


def test_other_addresses_have_their_own_allowance(client, db):
    for address in ("203.0.113.5", "203.0.113.6"):
        for n in range(10):
            client.post(reverse("login"), {"username": f"guess{n}", "password": "x"}, REMOTE_ADDR=address)

    events = AuditEvent.objects.filter(action="auth.login_failed")
    assert events.count() == 2 * settings.AUDIT_SIGNIN_EVENTS_PER_ADDRESS
