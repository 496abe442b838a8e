"""Transactional tests here use `audit_transactional_db`: its teardown may empty the audit table."""

from audit.testing import audit_transactional_db  # noqa: F401  (a fixture, requested by name)
