import pytest

from .builders import initiative_world


@pytest.fixture
def ballot_keys(tmp_path, settings):
    settings.BALLOT_KEYS_DIR = str(tmp_path / "keys")
    return tmp_path / "keys"


@pytest.fixture
def ini(world, ballot_keys):
    return initiative_world(world)
