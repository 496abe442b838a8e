"""Reads on the hottest paths, compiled by the ORM once per process and re-run with new values.

Django builds and compiles a queryset's SQL every time it is evaluated. For a read that joins
five tables that is about 2.5 ms of Python, four times what the database takes to answer it, and
a member's vote makes several such reads. A `PreparedRead` has the ORM build its queryset once
per database (and per `key`, e.g. the day a validity filter compares with), with a sentinel
standing for each named integer argument; it keeps the SQL, the place of each sentinel among the
parameters and the columns' converters, and afterwards runs that SQL with the caller's values
through the connection's own cursor (counted, logged and wrapped like any other query). Each row
comes back as `values()` would give it: a dict keyed by the names the queryset selects, each value
converted as the ORM converts it.

The ORM stays the one place the SQL comes from (tables, joins, what each database spells
differently); only its compilation is kept.
"""

import threading
from collections.abc import Callable, Hashable

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet

# How many compilations one read keeps (per database and key).
KEPT = 16
# Far from any id a table hands out, and distinct per argument.
SENTINEL = -7_345_918_000_000_000


class PreparedRead:
    """`build(*key, **arguments)` returns a `values()` queryset whose filters compare integer
    columns with the named `arguments`; `rows(key=(...), **arguments)` runs it."""

    def __init__(self, build: Callable[..., QuerySet], *, arguments: tuple[str, ...]):
        self.build = build
        self.arguments = arguments
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = threading.Lock()

    def rows(self, *, using: str = "default", key: tuple[Hashable, ...] = (), **values) -> list[dict]:
        if set(values) != set(self.arguments):
            raise TypeError(f"expected the arguments {sorted(self.arguments)}, got {sorted(values)}")
        compiled = self._compiled.get((using, key))
        if compiled is None:
            compiled = self._compile(using, key)
        connection = connections[using]
        params = [values[name] if name is not None else constant for name, constant in compiled.slots]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            found = cursor.fetchall()
        return [compiled.row(values_row, connection) for values_row in found]

    def first(self, **kwargs) -> dict | None:
        found = self.rows(**kwargs)
        return found[0] if found else None

    def _compile(self, using: str, key: tuple) -> "_Compiled":
        sentinels = {name: SENTINEL - number for number, name in enumerate(self.arguments)}
        queryset = self.build(*key, **sentinels)
        if queryset._fields is None and not queryset.query.values_select:
            raise ImproperlyConfigured("A prepared read is a values() queryset.")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in sentinels.items()}
        slots = tuple((by_value[p], None) if type(p) is int and p in by_value else (None, p) for p in params)
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
        with self._lock:
            if len(self._compiled) >= KEPT:
                self._compiled.clear()  # keys that change (a day) leave old ones behind
            self._compiled[(using, key)] = compiled
        return compiled


class _Compiled:
    __slots__ = ("converters", "names", "slots", "sql")

    def __init__(self, sql, slots, names, converters):
        self.sql, self.slots, self.names, self.converters = sql, slots, names, converters

    def row(self, values_row, connection) -> dict:
        values = list(values_row)
        for position, (functions, expression) in self.converters.items():
            value = values[position]
            for function in functions:
                value = function(value, expression, connection)
            values[position] = value
        return dict(zip(self.names, values, strict=True))


def instance(model, row: dict, prefix: str = "", *, using: str = "default"):
    """A `model` object from the `row` of a prepared read, as the ORM would load it with only
    those fields (the others deferred: read on first use): the keys under `prefix` that name one
    of its concrete fields (a foreign key by its name or its attname)."""
    by_name = {}
    for name, value in row.items():
        if not name.startswith(prefix):
            continue
        name = name[len(prefix) :]
        if "__" not in name:
            by_name[name] = value
    names, values = [], []
    for field in model._meta.concrete_fields:
        for name in (field.attname, field.name):
            if name in by_name:
                names.append(field.attname)
                values.append(by_name[name])
                break
    return model.from_db(using, names, values)
