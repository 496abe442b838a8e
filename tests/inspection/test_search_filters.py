"""The inspector's search refuses invalid filters with the field named, instead of dropping them
(which showed more events than asked for, as if they were the answer)."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from org.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(User.objects.get(pk=world.inspector.pk))
    return client


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"since": "2026-02-30"}, "since", "Enter a valid date."),
        ({"until": "yesterday"}, "until", "Enter a valid date."),
        ({"since": "2026-03-10", "until": "2026-03-01"}, "until", "“Until” must not be before “From”."),
        ({"dossier": "abc"}, "dossier", "Enter a whole number."),
        ({"before": "0"}, "before", "Ensure this value is greater than or equal to 1."),
    ],
)
def test_an_invalid_filter_is_a_400_naming_the_field(api, submitted, params, field, message):
    response = api.get("/api/inspection/events/", params)

    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_a_unit_outside_the_scope_is_refused_not_ignored(api, world, submitted):
    response = api.get("/api/inspection/events/", {"unit": world.school_b.parent_id + 10_000})

    assert response.status_code == 400
    assert list(response.json()) == ["unit"]


def test_valid_dates_still_filter(api, submitted):
    # The day the events were recorded on (the database's clock on PostgreSQL).
    newest = api.get("/api/inspection/events/", {"dossier": submitted.pk}).data["results"][0]
    day = timezone.localdate(dt.datetime.fromisoformat(newest["ts"]))

    that_day = api.get("/api/inspection/events/", {"dossier": submitted.pk, "since": day, "until": day})
    before = api.get(
        "/api/inspection/events/", {"dossier": submitted.pk, "until": day - dt.timedelta(days=1)}
    )

    assert that_day.status_code == 200 and newest["seq"] in [e["seq"] for e in that_day.data["results"]]
    assert before.status_code == 200 and before.data["results"] == []


def test_the_page_shows_the_error_and_no_events(as_inspector, submitted):
    as_inspector.cookies["django_language"] = "en"

    response = as_inspector.get("/inspection/", {"since": "2026-13-01", "dossier": submitted.pk})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="filter-errors"' in page
    assert "From: Enter a valid date." in page
    assert response.context["entries"] == []


def test_the_page_shows_the_error_in_vietnamese(client, world, submitted):
    client.force_login(world.inspector)
    client.cookies["django_language"] = "vi"

    page = client.get("/inspection/", {"since": "2026-03-10", "until": "2026-03-01"}).content.decode()

    assert "Đến ngày: “Đến ngày” không được trước “Từ ngày”." in page
    # Django's own Vietnamese says "số tổng thể" (a total) for a whole number: ours says "số nguyên".
    page = client.get("/inspection/", {"dossier": "abc"}).content.decode()
    assert "Hãy nhập một số nguyên." in page and "số tổng thể" not in page
