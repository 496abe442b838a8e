"""The client's address comes only from the configured number of our own proxies
(TRUSTED_PROXY_COUNT), for the audit, the lockout and the API throttle alike."""

import pytest
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.views import APIView

from audit.middleware import client_ip
from org.auth import ClientRateThrottle

pytestmark = pytest.mark.django_db


def request(xff, remote="10.0.0.1"):
    return RequestFactory().post("/api/auth/token/", HTTP_X_FORWARDED_FOR=xff, REMOTE_ADDR=remote)


def throttle_key(django_request):
    view = APIView()
    view.throttle_scope = "token"
    return ClientRateThrottle().get_cache_key(Request(django_request), view)


@pytest.mark.parametrize(
    ("proxies", "xff", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.1"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.1"),  # did not come through both proxies
        (1, "not-an-address", "10.0.0.1"),
    ],
)
def test_the_client_is_the_address_our_outermost_proxy_saw(settings, proxies, xff, expected):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_ip(request(xff)) == expected


def test_the_throttle_ignores_a_made_up_forwarded_address_without_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert throttle_key(request("198.51.100.1")) == throttle_key(request("198.51.100.2"))


def test_behind_one_proxy_the_throttle_counts_per_client_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert throttle_key(request("198.51.100.1")) != throttle_key(request("198.51.100.2"))
    assert throttle_key(request("6.6.6.6, 198.51.100.1")) == throttle_key(request("198.51.100.1"))


def test_forged_forwarded_addresses_do_not_escape_the_token_throttle(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    statuses = [
        client.post(
            "/api/auth/token/",
            {"username": f"guess{n}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(11)
    ]

    assert statuses == [400] * 10 + [429]
