"""A database that cannot be reached answers 503 with Retry-After (a page in Vietnamese, or JSON
under /api/), not a server error: the outage is simulated by making every new connection fail the
way the drivers fail (OperationalError), with the connection closed first."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_down(monkeypatch):
    """Call it to take the database down for the rest of the test: the open connection is set
    aside (kept, to be put back after) and every new one is refused."""
    saved = []

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    def take_down():
        connection.ensure_connection()
        saved.append(connection.connection)
        connection.connection = None
        monkeypatch.setattr(connection, "get_new_connection", refuse)

    yield take_down
    monkeypatch.undo()
    if saved:
        connection.connection = saved[0]


@pytest.fixture
def browser_client():
    # An outage must give a page, not an exception raised to the test.
    return Client(raise_request_exception=False)


def test_a_page_answers_503_in_vietnamese_with_retry_after(world, browser_client, database_down):
    browser_client.force_login(world.head_a)
    database_down()

    response = browser_client.get("/dossiers/")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Dịch vụ tạm thời gián đoạn" in page
    assert "Cơ sở dữ liệu tạm thời không truy cập được. Vui lòng thử lại sau một phút." in page


def test_the_api_answers_503_json(world, browser_client, database_down):
    database_down()

    response = browser_client.get(
        "/api/dossiers/", HTTP_AUTHORIZATION="Token " + "a" * 40, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.json() == {
        "detail": "The database is unavailable at the moment. Please try again in a minute."
    }


def test_an_outage_inside_a_middleware_is_a_503_too(world, browser_client, settings, database_down):
    # Not in a view: Django's 500 handler is reached, and it too tells an outage apart.
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.deploy.test_outage.QueryingMiddleware"]
    database_down()

    response = browser_client.get("/login/")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"


def test_other_errors_stay_500(world, browser_client, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.deploy.test_outage.FailingMiddleware"]

    response = browser_client.get("/login/")

    assert response.status_code == 500
    assert "Retry-After" not in response


class QueryingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return self.get_response(request)


class FailingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise RuntimeError("a defect, not an outage")
