"""Who acted, in which role, from where, when, and in which unit's scope: recorded with every event
and covered by its hash."""

import re

import pytest
from django.db import transaction
from django.test import RequestFactory

from audit.middleware import RequestContextMiddleware, client_ip
from audit.models import AuditEvent
from audit.services import record
from dossiers.services import dossier_update
from org.services import role_assign
from tests import factories as f

from .chains import contract_hash, export_events, run_verify

pytestmark = pytest.mark.django_db


def test_an_event_records_the_actors_roles_at_the_time(world, draft):
    dossier_update(actor=world.staff_a, dossier=draft, title="Hồ sơ mới")

    event = AuditEvent.objects.order_by("-seq").first()
    assert event.roles == ["unit_staff"]
    assert export_events()[-1]["actor_roles"] == ["unit_staff"]


def test_a_later_role_does_not_change_the_roles_recorded_before(world, draft):
    dossier_update(actor=world.staff_a, dossier=draft, title="Lần một")
    first = AuditEvent.objects.order_by("-seq").first()
    role_assign(actor="system", user=world.staff_a, role="unit_head", unit=world.school_a)
    staff = type(world.staff_a).objects.get(pk=world.staff_a.pk)

    dossier_update(actor=staff, dossier=draft, title="Lần hai")

    second = AuditEvent.objects.order_by("-seq").first()
    assert (first.roles, second.roles) == (["unit_staff"], ["unit_head", "unit_staff"])
    assert run_verify()[0] == 0


def test_council_roles_and_the_superuser_are_named_as_roles(world):
    admin = f.UserFactory(is_superuser=True)
    with transaction.atomic():
        record(actor=world.member, action="x.test")
        record(actor=admin, action="x.test")

    member, superuser = AuditEvent.objects.order_by("-seq")[:2][::-1]
    assert member.roles == ["council_member"]
    assert superuser.roles == ["admin"]


def test_system_events_carry_no_roles_and_keep_exactly_the_contract_keys():
    with transaction.atomic():
        record(actor="system", action="x.test", object_type="x", object_id=1)

    (event,) = export_events()
    assert "actor_roles" not in event and "scope" not in event


def test_the_scope_of_a_dossiers_event_is_its_units_path(world, draft):
    dossier_update(actor=world.staff_a, dossier=draft, title="Hồ sơ mới")

    event = AuditEvent.objects.order_by("-seq").first()
    assert event.scope == world.school_a.path
    assert event.scope.startswith(world.commune.path)


def test_the_scope_of_a_role_assignment_is_the_unit_of_the_role(world):
    event = AuditEvent.objects.filter(action="role.assign", data__user="inspector").get()

    assert event.scope == world.commune.path


def test_scope_and_roles_are_hashed_like_every_other_key(world, draft):
    dossier_update(actor=world.staff_a, dossier=draft, title="Hồ sơ mới")
    event = export_events()[-1]

    assert event["hash"] == contract_hash(event)
    assert contract_hash({**event, "scope": "/999/"}) != event["hash"]
    assert contract_hash({**event, "actor_roles": ["chair"]}) != event["hash"]


def test_an_explicit_scope_wins_over_the_targets():
    with transaction.atomic():
        event = record(actor="system", action="x.test", object_type="x", object_id=1, scope="/7/8/")

    assert event.scope == "/7/8/"


def test_web_events_carry_the_client_address_and_user_agent(client, world, draft):
    client.force_login(world.staff_a)

    client.post(
        f"/dossiers/{draft.pk}/edit/",
        {"title": "Tên mới", "procedure_kind": "campaign", "summary": ""},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Firefox/140",
    )

    event = AuditEvent.objects.filter(action="dossier.update").get()
    assert event.data["client"] == {"ip": "203.0.113.9", "user_agent": "Firefox/140"}


def test_behind_our_proxy_the_client_is_the_address_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7", REMOTE_ADDR="10.0.0.1")

    assert client_ip(request) == "198.51.100.7"


def test_without_proxies_a_forwarded_header_is_not_believed(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="192.0.2.1")

    assert client_ip(request) == "192.0.2.1"


def test_the_request_context_ends_with_the_request():
    seen = []

    def view(request):
        from audit.context import request_context

        seen.append(request_context.get())
        return None

    RequestContextMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR="192.0.2.5"))
    from audit.context import request_context

    assert seen[0]["ip"] == "192.0.2.5"
    assert request_context.get() is None


def test_times_are_utc_with_microseconds_and_z():
    with transaction.atomic():
        record(actor="system", action="x.test")

    (event,) = export_events()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", event["ts"])
    assert AuditEvent.objects.get().ts.utcoffset().total_seconds() == 0


@pytest.mark.parametrize("value", [2**53, -(2**53), 1.5])
def test_numbers_the_contract_cannot_hash_are_refused_when_recorded(value):
    with pytest.raises(TypeError), transaction.atomic():
        record(actor="system", action="x.test", data={"n": value})
