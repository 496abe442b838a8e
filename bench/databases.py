"""The database a bench works in: its own, created next to the one DATABASE_URL names and dropped at
the end, so a bench never touches real data. Not a bench itself."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://")


@contextmanager
def throwaway_database(url: str, *, name: str, keep=False, reuse=False) -> Iterator[str]:
    """The URL of PostgreSQL database `name` (fresh unless `reuse`; dropped unless `keep`) on the
    server `url` names; for any other URL, a temporary SQLite file."""
    if not url.startswith(POSTGRES_SCHEMES):
        with tempfile.TemporaryDirectory(prefix=f"{name}_") as tmp:
            yield f"sqlite:///{tmp}/bench.sqlite3"
        return
    if not reuse:
        postgres_admin(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        postgres_admin(url, f"CREATE DATABASE {name}")
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            postgres_admin(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def postgres_admin(url: str, sql: str) -> None:
    """Run `sql` outside a transaction in the database the URL names (CREATE/DROP DATABASE)."""
    import psycopg

    conninfo = urlunsplit(urlsplit(url)._replace(scheme="postgresql"))
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql)
