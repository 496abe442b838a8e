"""Transactional tests here use `audit_transactional_db`: its teardown may empty the audit table.
`checkpoint_key`: a fresh Ed25519 checkpoint key and checkpoint folder for the test."""

import pytest

from audit import checkpoints
from audit.testing import audit_transactional_db  # noqa: F401  (a fixture, requested by name)


@pytest.fixture
def checkpoint_key(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_KEY = tmp_path / "keys" / "checkpoint.pem"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return checkpoints.generate_key()
