"""Dossiers of school A to import into and export from (the world of tests/conftest.py)."""

import pytest

from tests import factories as f


@pytest.fixture
def target(world):
    """An empty draft of school A, for the imports."""
    return f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
