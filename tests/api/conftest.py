"""The API client of the API tests."""

import pytest

from org.models import User

from .helpers import english_client


@pytest.fixture
def api():
    """An API client that answers in English (the site's default is Vietnamese);
    `api.as_(user)` authenticates it as a fresh copy of `user`."""
    client = english_client()

    def as_(user):
        # A fresh instance per login: no permission or scope cache carried over from set-up.
        client.force_authenticate(User.objects.get(pk=user.pk))
        return client

    client.as_ = as_
    return client
