"""Session and token authentication; nothing for anonymous callers."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from dossiers.models import Dossier
from org.auth import token_digest
from org.models import ApiToken
from org.services import api_token_issue

from .helpers import english_client


def test_a_user_obtains_a_token_and_uses_it(world, draft):
    client = english_client()

    obtained = client.post(
        "/api/auth/token/", {"username": "head_a", "password": "pw-test-123"}, format="json"
    )

    assert obtained.status_code == 200
    token = obtained.data["token"]
    assert ApiToken.objects.get(digest=token_digest(token)).user == world.head_a
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listed = client.get("/api/dossiers/")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.data["results"]] == [draft.pk]


def test_a_second_request_replaces_the_token(world):
    client = english_client()
    credentials = {"username": "head_a", "password": "pw-test-123"}

    first = client.post("/api/auth/token/", credentials, format="json").data["token"]
    second = client.post("/api/auth/token/", credentials, format="json").data["token"]

    assert first != second
    assert english_client(HTTP_AUTHORIZATION=f"Token {first}").get("/api/campaigns/").status_code == 401
    assert english_client(HTTP_AUTHORIZATION=f"Token {second}").get("/api/campaigns/").status_code == 200
    assert ApiToken.objects.get().digest == token_digest(second)


def test_a_wrong_password_gets_no_token(world):
    response = english_client().post(
        "/api/auth/token/", {"username": "head_a", "password": "nope"}, format="json"
    )

    assert response.status_code == 400
    assert "token" not in response.data
    assert not ApiToken.objects.exists()


def test_a_token_writes_as_its_user(world, complete_draft):
    token = api_token_issue(actor=world.head_a)
    client = english_client(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.post(f"/api/dossiers/{complete_draft.pk}/submit/")

    assert response.status_code == 200
    assert Dossier.objects.get(pk=complete_draft.pk).state == "submitted"


def test_an_unknown_token_is_refused(world, draft):
    client = english_client(HTTP_AUTHORIZATION="Token " + "0" * 40)

    response = client.get("/api/dossiers/")

    assert response.status_code in (401, 403)
    assert "results" not in response.data


def test_anonymous_callers_get_nothing(world, draft):
    client = english_client()

    for url in (
        "/api/dossiers/",
        f"/api/dossiers/{draft.pk}/",
        "/api/campaigns/",
        "/api/award-types/",
    ):
        response = client.get(url)
        assert response.status_code in (401, 403), url
        assert set(response.data) == {"detail"}


def test_session_login_works_and_writes_need_the_csrf_token(world, draft):
    client = english_client(enforce_csrf_checks=True)
    client.force_login(world.staff_a)

    assert client.get(f"/api/dossiers/{draft.pk}/").status_code == 200
    refused = client.patch(f"/api/dossiers/{draft.pk}/", {"title": "Không CSRF"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.data["detail"]
    assert Dossier.objects.get(pk=draft.pk).title == draft.title


def test_token_issue_is_audited_and_throttled(db, world):
    from rest_framework.test import APIClient

    from audit.models import AuditEvent

    client = APIClient()
    ok = client.post("/api/auth/token/", {"username": "head_a", "password": "pw-test-123"}, format="json")
    assert ok.status_code == 200 and ok.json()["token"]
    assert AuditEvent.objects.filter(action="auth.token_issue", actor="head_a").count() == 1
    statuses = [
        client.post(
            "/api/auth/token/", {"username": "head_a", "password": "wrong"}, format="json"
        ).status_code
        for _ in range(10)
    ]
    assert statuses[-1] == 429


def test_the_token_is_issued_by_the_service_with_its_event(db, world):
    first = api_token_issue(actor=world.head_a)
    again = api_token_issue(actor=world.head_a)

    assert first.key != again.key
    assert ApiToken.objects.get(user=world.head_a).digest == token_digest(again.key)
    events = list(AuditEvent.objects.filter(action="auth.token_issue").order_by("seq"))
    assert [e.data["new"] for e in events] == [True, False]
    assert {(e.actor, e.object_type, e.object_id) for e in events} == {
        ("head_a", "org.user", str(world.head_a.pk))
    }
    assert events[0].scope == world.school_a.path  # the inspectors of the person's unit see it


def test_an_inactive_account_gets_no_token(db, world):
    world.head_a.is_active = False

    with pytest.raises(PermissionDenied):
        api_token_issue(actor=world.head_a)
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action="auth.token_issue").exists()


def test_an_anonymous_caller_is_told_in_vietnamese_unless_english_is_asked(world, client):
    answered = client.get("/api/campaigns/")
    assert answered.status_code in (401, 403)
    assert answered.json()["detail"] == "Chưa gửi thông tin xác thực: đăng nhập hoặc gửi mã truy cập (token)."
    english = english_client().get("/api/campaigns/")
    assert english.json()["detail"] == "Authentication credentials were not provided."
