"""An eleven-member council (the nine of tests/council plus two members), as in seed 003."""

import pytest

from tests import factories as f
from tests.council.conftest import cw  # noqa: F401  (the nine-member council)


@pytest.fixture
def c11(cw):  # noqa: F811
    cw.members += [
        f.council_member(cw.council, "member", username=f"m{i}", full_name=f"Ủy viên {i}") for i in (6, 7)
    ]
    return cw
