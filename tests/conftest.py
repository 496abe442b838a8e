"""Suite-wide fixtures and collection rules."""

import pytest
from django.conf import settings


def on_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` exercise PostgreSQL-only behaviour (row locks, advisory locks,
    pg_dump). On the SQLite run they are deselected, not skipped: `.ci/run` runs the suite again
    on PostgreSQL, where they all run."""
    if on_postgresql():
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
