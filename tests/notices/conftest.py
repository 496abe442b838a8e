"""The council world of tests/council (a nine-member commune council), reused here."""

from tests.council.conftest import cw  # noqa: F401
