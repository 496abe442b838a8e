"""The council world of tests/council (a nine-member commune council), everyone with an email
address, and a helper that runs what waits for the commit (notices are sent after commit)."""

import pytest
from django.db.models import F, Value
from django.db.models.functions import Concat

from org.models import User
from tests.council.conftest import cw  # noqa: F401


@pytest.fixture
def people(cw):  # noqa: F811
    User.objects.update(email=Concat(F("username"), Value("@longbien.gov.vn")))
    return cw


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): act()` runs the act's after-commit work, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
