"""A session lasts a working day (SESSION_COOKIE_AGE, 8 hours), and signing in gives a new
session id."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_session_ends_after_a_working_day(client, world, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    session = client.session
    session["seen"] = True
    session.save()
    before = session.session_key

    client.post(reverse("login"), {"username": "head_a", "password": "pw-test-123"})

    assert client.session.session_key != before  # no session fixation
    with time_machine.travel(timezone.now() + dt.timedelta(hours=7, minutes=50), tick=True):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(hours=8, minutes=1), tick=True):
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
