"""How the app talks to its database, as config/settings/base.py sets it up."""

import pytest
from django.db import connection

from config.settings.base import database_from_env


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_does_not_compile_the_apps_queries():
    """At 100,000 dossiers PostgreSQL's JIT spent 440 ms compiling a decisions page whose work
    took 49 ms: the app's connections turn it off."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_jit_is_off_unless_asked_for(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://app@db.example:5432/tdkt")
    assert database_from_env("sqlite:///unused")["OPTIONS"]["options"] == "-c jit=off"
    monkeypatch.setenv("DATABASE_JIT", "1")
    assert "options" not in database_from_env("sqlite:///unused").get("OPTIONS", {})
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/unused.sqlite3")
    monkeypatch.delenv("DATABASE_JIT")
    assert "options" not in database_from_env("sqlite:///unused")["OPTIONS"]
