"""The honours tests' world: tests/conftest.py's, with the province's people (tests/honours/builders)."""

import pytest

from tests.workflows import conftest as walks

from .builders import setup

people = walks.people


@pytest.fixture
def hw(people):
    return setup(people)
