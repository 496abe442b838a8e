"""The council of tests/council (nine members, dossiers before it) for the guide's pages."""

from tests.council.conftest import cw, dossier, meeting, voting  # noqa: F401
