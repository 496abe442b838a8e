"""The rounds' world: a contest of the commune on its appraisal round's eve (tests/contests/rounds/builders.py)."""

import pytest

from .builders import make_contest


@pytest.fixture
def cw(world):
    return make_contest(world)
