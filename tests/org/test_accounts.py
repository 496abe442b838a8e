"""Accounts changed in the admin: each change of who may sign in and with which powers is one
audit event with the fields before and after; the password never appears, only that it changed."""

import json

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from org.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_making_someone_a_superuser_in_the_admin_is_an_audited_change(admin_client, world):
    user = world.staff_a
    url = reverse("admin:org_user_change", args=[user.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("groups", "user_permissions", "last_login", "date_joined", "password")
    }
    data.update({"is_superuser": "on", "is_staff": "on", "is_active": "on", "unit": user.unit_id})

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.filter(action="user.update").get()
    assert event.data["changes"]["is_superuser"] == [False, True]
    assert event.data["changes"]["is_staff"] == [False, True]
    assert event.data["password_changed"] is False
    assert event.scope == world.school_a.path
    assert User.objects.get(pk=user.pk).is_superuser


def test_an_account_created_in_the_admin_is_audited_without_its_password(admin_client, db):
    response = admin_client.post(
        reverse("admin:org_user_add"),
        {
            "username": "new_officer",
            "password1": "Mat-khau-rat-manh-2026",
            "password2": "Mat-khau-rat-manh-2026",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.filter(action="user.create").get()
    assert event.data["username"] == "new_officer"
    assert "Mat-khau" not in json.dumps(event.data) and "password" not in event.data


def test_saving_an_account_unchanged_writes_no_event(db):
    from org.services import user_update

    user = f.UserFactory()
    before = AuditEvent.objects.count()

    user_update(actor="system", user=User.objects.get(pk=user.pk))

    assert AuditEvent.objects.count() == before
