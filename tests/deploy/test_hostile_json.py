"""Hostile JSON bodies are refused with a message, never a 500: 100,000 nested brackets (Python's
json module raises RecursionError, which DRF did not catch) and a body over
DATA_UPLOAD_MAX_MEMORY_SIZE (which DRF's parser never applied), on every JSON endpoint, whoever
calls."""

import io

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.exceptions import ParseError
from rest_framework.test import APIClient

from config.parsers import JSONParser
from dossiers.api_errors import RequestTooLarge
from org.models import User
from tests.api.helpers import english_client

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000
NESTED_MESSAGE = "JSON parse error - the body is nested too deeply."


def json_operations():
    """(method, path) of every operation of the API that takes a JSON body, ids filled with 1."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                found.append((method, path.replace("{id}", "1").replace("{nominee_id}", "1")))
    return sorted(found)


OPERATIONS = json_operations()


def test_every_json_endpoint_is_covered():
    assert ("post", "/api/auth/token/") in OPERATIONS
    assert ("post", "/api/dossiers/") in OPERATIONS
    assert len(OPERATIONS) > 20


def test_deep_nesting_without_signing_in_is_a_400():
    response = english_client().post("/api/auth/token/", DEEP, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": NESTED_MESSAGE}


def test_deep_nesting_signed_in_is_a_400(world):
    client = english_client()
    client.force_authenticate(User.objects.get(pk=world.staff_a.pk))

    response = client.post("/api/dossiers/", DEEP, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": NESTED_MESSAGE}


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_deep_nesting_is_never_a_server_error(world, method, path):
    for user in (None, world.staff_a, world.chair):
        client = APIClient(raise_request_exception=False)
        if user is not None:
            client.force_authenticate(User.objects.get(pk=user.pk))

        response = getattr(client, method)(path, DEEP, content_type="application/json")

        assert response.status_code < 500, (user, response.status_code)
        if response.status_code == 400:
            assert response.json() == {"detail": "Lỗi đọc JSON - nội dung lồng nhau quá nhiều tầng."}


def test_a_body_over_the_upload_limit_is_a_413(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = english_client()
    client.force_authenticate(User.objects.get(pk=world.staff_a.pk))
    body = '{"title": "' + "x" * 2000 + '"}'

    response = client.post("/api/dossiers/", body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than 1000 bytes."}


def test_a_body_within_the_limit_is_parsed(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = english_client()

    response = client.post("/api/auth/token/", {"username": "x", "password": "y"}, format="json")

    assert response.status_code == 400
    assert "detail" in response.json() or "non_field_errors" in response.json()


def test_the_parser_limits_a_body_read_from_the_stream(settings):
    # A real server hands DRF the unread stream: Django's own check never runs on it.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10

    with pytest.raises(RequestTooLarge) as raised:
        JSONParser().parse(io.BytesIO(b'{"title": "far too long"}'))
    assert raised.value.status_code == 413

    assert JSONParser().parse(io.BytesIO(b'{"a": 1}')) == {"a": 1}


def test_the_parser_refuses_deep_nesting_from_the_stream():
    with pytest.raises(ParseError) as raised:
        JSONParser().parse(io.BytesIO(DEEP.encode()))
    assert str(raised.value.detail) == NESTED_MESSAGE


HUGE = (
    '{"id": 1, "nominee": 123456789012345678901234567890, "dossiers": [1, [2, {"x": -99999999999999999999}]]}'
)
HUGE_MESSAGE = "JSON parse error - a number is too large (at most 9,223,372,036,854,775,807)."


def test_a_number_beyond_a_database_integer_is_a_400(world):
    client = english_client()
    client.force_authenticate(User.objects.get(pk=world.chair.pk))

    response = client.post("/api/decisions/preview/", HUGE, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": HUGE_MESSAGE}


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_a_huge_number_is_never_a_server_error(world, method, path):
    """Wherever it sits in the body, on every JSON endpoint: refused as the body is read."""
    for user in (world.staff_a, world.chair):
        client = APIClient(raise_request_exception=False)
        client.force_authenticate(User.objects.get(pk=user.pk))

        response = getattr(client, method)(path, HUGE, content_type="application/json")

        assert response.status_code < 500, (user, response.status_code)


def test_the_parser_finds_a_huge_number_anywhere():
    parse = JSONParser().parse
    assert parse(io.BytesIO(b'{"a": [1, -9223372036854775808, 9223372036854775807, true]}')) == {
        "a": [1, -(2**63), 2**63 - 1, True]
    }
    for body in (b"9223372036854775808", b'[[{"a": -9223372036854775809}]]'):
        with pytest.raises(ParseError):
            parse(io.BytesIO(body))


def test_a_huge_number_is_refused_in_vietnamese(world):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(User.objects.get(pk=world.chair.pk))

    response = client.post("/api/decisions/preview/", HUGE, content_type="application/json")

    assert response.json() == {
        "detail": "Lỗi đọc JSON - có một số quá lớn (tối đa 9.223.372.036.854.775.807)."
    }
