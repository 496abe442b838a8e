"""The council of tests/council (nine members, dossiers before it) and everyone the workflow needs
(tests/workflows) for the guide's pages; a test uses one or the other."""

from tests.council.conftest import cw, dossier, meeting, voting  # noqa: F401
from tests.documents.conftest import _signing_keys, council_roles, decided, signing_keys_dir  # noqa: F401
from tests.workflows.conftest import people  # noqa: F401
