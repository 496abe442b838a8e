from tests.workflows.conftest import people  # noqa: F401  (the fixture of everyone by role)
