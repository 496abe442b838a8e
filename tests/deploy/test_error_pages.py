"""Under /api/ every error is JSON `{"detail": ...}` as the schema declares it, never the HTML page
meant for people; elsewhere the pages stay."""

import pytest
from django.test import Client

from org.models import User
from tests.api.helpers import english_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/attachments/null,null/download/",
        "/api/dossiers/abc/",
        "/api/no-such-thing/",
        "/api/meetings/-1/",
    ],
)
def test_an_address_the_api_does_not_have_is_a_json_404(world, path):
    client = english_client()
    client.force_authenticate(User.objects.get(pk=world.staff_a.pk))

    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_the_api_404_is_in_vietnamese_by_default(world):
    response = Client().get("/api/dossiers/abc/")

    assert response.json() == {"detail": "Không tìm thấy."}


def test_a_page_that_does_not_exist_is_still_the_html_page(client, world):
    client.force_login(world.staff_a)

    response = client.get("/dossiers/abc/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_server_error_under_the_api_is_json(world, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.deploy.test_outage.FailingMiddleware"]

    response = Client(raise_request_exception=False).get("/api/dossiers/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred."}
