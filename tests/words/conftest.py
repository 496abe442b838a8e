"""The workflow's people and walks (tests/workflows) for the pages whose words are checked here."""

from tests.workflows.conftest import people  # noqa: F401
