import pytest

from org.models import Role
from tests import factories as f
from tests.workflows.conftest import people  # noqa: F401  (the fixture, for the walks here)


@pytest.fixture
def clerk(world):
    """The records clerk (văn thư) of the commune that grants awards."""
    return f.user_with_role(Role.RECORDS_CLERK, world.commune, username="vanthu")
