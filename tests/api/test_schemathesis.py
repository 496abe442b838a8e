"""The OpenAPI schema is one tools can trust: schemathesis generates requests from it for every
operation and checks each answer against it: no server error (5xx), a status code the schema
lists, the content type it declares, a body that matches its schema.

On the demo world (`manage.py seed_demo`, built once for the module and rolled back after it):
every read (GET) as every demo role, and every write (POST, PATCH, DELETE) as the unit's staff and
the standing body's officer, the roles whose writes reach most of the process. Each test runs in a
transaction that is rolled back, so writes never leak from one operation into the next. Examples
are few and derandomized, to stay within a minute or so on two cores.
"""

import io
import os
import shutil
import tempfile

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from demo.data import LOGINS
from org import services as org_services
from org.models import User

ROLES = [username for username, *_ in LOGINS]
WRITERS = ["unit_staff", "officer"]
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")

CONFIG = SchemathesisConfig.from_dict(
    {
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "generation": {"deterministic": True, "database": "none"},
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
        },
    }
)
schema = schemathesis.openapi.from_dict(
    SchemaGenerator().get_schema(request=None, public=True), config=CONFIG
)
schema.app = get_wsgi_application()
# A deeper run: SCHEMATHESIS_EXAMPLES=25 (and SCHEMATHESIS_WRITERS=all for writes as every role).
EXAMPLES = settings(
    max_examples=int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3")),
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)
if os.environ.get("SCHEMATHESIS_WRITERS") == "all":
    WRITERS = ROLES


@pytest.fixture(scope="module", autouse=True)
def _keep_the_test_connection():
    """The demo world lives in a transaction held open for the whole module (`tokens`). Nothing
    may close the connection that holds it on PostgreSQL (SQLite's in-memory test database is
    never closed): not the WSGI application's end-of-request hook (Django's test client unhooks
    it too), nor the teardown of each `django_db` test, which closes every connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    connection.close = lambda: None
    yield
    del connection.close
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def demo_media():
    path = tempfile.mkdtemp(prefix="schemathesis-media-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def _media_root(settings, demo_media):
    """The demo's files (PDFs, attachments) where the module's demo world put them."""
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker, demo_media):
    """The demo world and an API token for each of its logins, built once for the module in a
    transaction rolled back after it; each test runs in a savepoint inside it (`django_db`)."""
    from django.conf import settings as django_settings

    media_root = django_settings.MEDIA_ROOT
    django_settings.MEDIA_ROOT = demo_media
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=io.StringIO())
            yield {
                name: org_services.api_token_issue(actor=User.objects.get(username=name)).key
                for name in ROLES
            }
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            django_settings.MEDIA_ROOT = media_root


def call_as(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}", "Accept-Language": "en"})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@schema.include(method="GET").parametrize()
@EXAMPLES
def test_every_read_conforms_for_every_role(case, role, tokens):
    call_as(case, tokens[role])


@pytest.mark.django_db
@pytest.mark.parametrize("role", WRITERS)
@schema.include(method=list(UNSAFE)).parametrize()
@EXAMPLES
def test_every_write_conforms(case, role, tokens):
    call_as(case, tokens[role])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_is_signed_in_for_the_run(role, tokens, client):
    # Otherwise every answer would be a (documented) 401 and the run would prove nothing.
    response = client.get("/api/dossiers/", HTTP_AUTHORIZATION=f"Token {tokens[role]}")

    assert response.status_code == 200
    assert response.json()["count"] > 0 or role in ("member", "admin")


def test_the_schema_declares_the_errors_and_binary_types(tokens):
    raw = schema.raw_schema
    download = raw["paths"]["/api/attachments/{id}/download/"]["get"]["responses"]
    assert set(download["200"]["content"]) == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "image/jpeg",
        "image/png",
    }
    assert set(raw["paths"]["/api/documents/{id}/download/"]["get"]["responses"]["200"]["content"]) == {
        "application/pdf"
    }
    create = raw["paths"]["/api/dossiers/"]["post"]["responses"]
    assert {"400", "401", "403", "404", "413", "415"} <= set(create)
    nominee = raw["components"]["schemas"]["AttachmentSlotOutput"]["properties"]["nominee"]
    assert nominee.get("nullable") is True
