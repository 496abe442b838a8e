import pytest

from . import helpers as h


@pytest.fixture
def contest(world):
    """An open contest of the commune, its entries due 31/03/2026."""
    return h.open_contest(world)
