"""The council's world (9 members) of tests/council, for the recusal tests."""

from tests.council.conftest import cw  # noqa: F401
