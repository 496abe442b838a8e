"""Reads on the hottest paths, compiled by the ORM once per process and re-run with new values.

Django builds and compiles a queryset's SQL every time it is evaluated. For a read that joins
five tables that is about 2.5 ms of Python, four times what the database takes to answer it, and
a member's vote makes several such reads. A `PreparedRead` has the ORM build its queryset once
per database (and per `key`, e.g. the day a validity filter compares with), with a sentinel
standing for each named integer argument; it keeps the SQL, the place of each sentinel among the
parameters and the columns' converters, and afterwards runs that SQL with the caller's values
through the connection's own cursor (counted, logged and wrapped like any other query). Each row
comes back as `values()` would give it: a dict keyed by the names the queryset selects, each value
converted as the ORM converts it; or, for a queryset of objects (`objects()`), as the objects the
ORM would make of it, with what it selects with them (select_related) and its annotations, so
that a locking read (select_for_update with `of`, which values() cannot express) is prepared too.

The ORM stays the one place the SQL comes from (tables, joins, what each database spells
differently); only its compilation is kept.
"""

import functools
import threading
from collections.abc import Callable, Hashable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

# How many compilations one read keeps (per database and key).
KEPT = 16
# Far from any id a table hands out, and distinct per argument; a text argument's, no text's.
SENTINEL = -7_345_918_000_000_000
TEXT_SENTINEL = "\x1fprepared-read-argument-"


class PreparedRead:
    """`build(*key, **arguments)` returns a queryset whose filters compare columns with the named
    `arguments`: `rows(key=(...), **arguments)` runs a values() queryset, `objects(...)` one of
    model objects."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        arguments: tuple[str, ...],
        text_arguments: tuple[str, ...] = (),
    ):
        """`arguments` compare with integer columns, `text_arguments` with text columns (exact)."""
        self.build = build
        self.arguments = arguments + text_arguments
        self.text_arguments = text_arguments
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = threading.Lock()

    def rows(self, *, using: str = "default", key: tuple[Hashable, ...] = (), **values) -> list[dict]:
        compiled, found = self._run(using, key, values)
        if compiled.klass_info is not None:
            raise ImproperlyConfigured("A read of objects is run by objects().")
        return [dict(zip(compiled.names, row, strict=True)) for row in found]

    def objects(self, *, using: str = "default", key: tuple[Hashable, ...] = (), **values) -> list:
        compiled, found = self._run(using, key, values)
        if compiled.klass_info is None:
            raise ImproperlyConfigured("A values() read is run by rows().")
        return compiled.instances(found, using)

    def _run(self, using, key, values):
        if set(values) != set(self.arguments):
            raise TypeError(f"expected the arguments {sorted(self.arguments)}, got {sorted(values)}")
        compiled = self._compiled.get((using, key))
        if compiled is None:
            compiled = self._compile(using, key)
        connection = connections[using]
        params = [values[name] if name is not None else constant for name, constant in compiled.slots]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and settings.DATABASE_PREPARED_STATEMENTS:
                _prepared_on_the_server(cursor, connection)
            cursor.execute(compiled.sql, params)
            found = cursor.fetchall()
        return compiled, [compiled.converted(row, connection) for row in found]

    def get(self, *, using: str = "default", key: tuple[Hashable, ...] = (), **values):
        """The one object the read finds, as a queryset's get() gives it: its model's
        DoesNotExist when there is none."""
        found = self.objects(using=using, key=key, **values)
        if not found:
            model = self._compiled[(using, key)].klass_info["model"]
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        return found[0]

    def first(self, **kwargs) -> dict | None:
        found = self.rows(**kwargs)
        return found[0] if found else None

    def _compile(self, using: str, key: tuple) -> "_Compiled":
        sentinels = {
            name: f"{TEXT_SENTINEL}{number}" if name in self.text_arguments else SENTINEL - number
            for number, name in enumerate(self.arguments)
        }
        queryset = self.build(*key, **sentinels)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in sentinels.items()}
        slots = tuple(
            (by_value[p], None) if type(p) in (int, str) and p in by_value else (None, p) for p in params
        )
        missing = set(self.arguments) - {name for name, _constant in slots}
        if missing or any(str(value) in sql for value in sentinels.values()):
            raise ImproperlyConfigured(
                f"The arguments {sorted(missing) or sorted(self.arguments)} must reach the query as parameters."
            )
        query = queryset.query
        # As ValuesIterable names the columns.
        names = (
            tuple(query.selected)
            if query.selected
            else (*query.extra_select, *query.values_select, *query.annotation_select)
        )
        expressions = [selected[0] for selected in compiler.select[: compiler.col_count]]
        compiled = _Compiled(sql, slots, names, compiler.get_converters(expressions))
        if queryset._fields is None:  # objects, as ModelIterable makes them
            compiled.select, compiled.klass_info = compiler.select, compiler.klass_info
            compiled.annotations = dict(compiler.annotation_col_map or {})
        with self._lock:
            if len(self._compiled) >= KEPT:
                self._compiled.clear()  # keys that change (a day) leave old ones behind
            self._compiled[(using, key)] = compiled
        return compiled


def _prepared_on_the_server(wrapper, connection) -> None:
    """Have PostgreSQL keep the read's plan too: the wrapper (which counts and logs) runs it on a
    server-binding cursor that prepares it, once per connection. Planning a read of seven joined
    tables takes the server longer than running it (1.2 ms against 0.3 ms for a step's task).
    Only these reads are prepared: Django's own cursors bind on the client and never prepare,
    and psycopg forgets the prepared statements on a rollback. Behind a pooler in transaction
    mode that cannot keep them (PgBouncer before 1.21), set DATABASE_PREPARED_STATEMENTS=0."""
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django's default: psycopg then never prepares
        raw.prepare_threshold = NEVER_BY_ITSELF
    wrapper.cursor.close()
    wrapper.cursor = _preparing_cursor_class()(raw)


# psycopg prepares what it is asked to, not a query it merely sees again.
NEVER_BY_ITSELF = 2**31 - 1


@functools.cache
def _preparing_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, **kwargs):
            done = super().execute(query, params, prepare=True)
            # What Django's query log shows (connection.queries, assertNumQueries' messages): the
            # statement with its values, as for its own client-binding cursors.
            self._query = _Shown(self.connection, query, params)
            return done

    return PreparingCursor


class _Shown:
    """A prepared read as the query log shows it, composed only if it is looked at."""

    def __init__(self, connection, query, params):
        self._connection, self._text, self._params = connection, query, params

    @property
    def query(self) -> bytes:
        import psycopg

        return psycopg.ClientCursor(self._connection).mogrify(self._text, self._params).encode()


class _Compiled:
    __slots__ = ("annotations", "converters", "klass_info", "names", "select", "slots", "sql")

    def __init__(self, sql, slots, names, converters):
        self.sql, self.slots, self.names, self.converters = sql, slots, names, converters
        self.select, self.klass_info, self.annotations = None, None, {}

    def converted(self, found, connection) -> list:
        values = list(found[: len(self.names)] if self.klass_info is None else found)
        for position, (functions, expression) in self.converters.items():
            value = values[position]
            for function in functions:
                value = function(value, expression, connection)
            values[position] = value
        return values

    def instances(self, rows, using) -> list:
        """What django.db.models.query.ModelIterable makes of the rows: the model's objects with
        the related objects selected with them and the annotations set."""
        fields = self.klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        model = self.klass_info["model"]
        attnames = [selected[0].target.attname for selected in self.select[start:end]]
        populators = get_related_populators(self.klass_info, self.select, using)
        made = []
        for row in rows:
            obj = model.from_db(using, attnames, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in self.annotations.items():
                setattr(obj, name, row[position])
            made.append(obj)
        return made
