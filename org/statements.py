"""Several writes in one statement on PostgreSQL: data-modifying CTEs (WITH name AS (INSERT ...
RETURNING id), ...), each part the ORM's own SQL (its insert and update compilers), so the rows
are what `save`, `bulk_create` and `update` would write, in one round trip instead of one each.

The CTEs of one statement all see the snapshot the statement began with: a part never sees what
another part writes, except through what that part RETURNS. Elsewhere (SQLite, in-process, where
a round trip costs nothing) the callers write with the ORM, statement by statement.

A caller runs its models' guards itself before it writes here: the ORM's managers are not
called.
"""

from django.db import connections
from django.db.models import Case, Value, When
from django.db.models.sql import InsertQuery, UpdateQuery


def one_statement(using="default") -> bool:
    """Whether the database of `using` takes several writes in one statement."""
    return connections[using].vendor == "postgresql"


def insertable_fields(model, *, local=False) -> list:
    """The fields an INSERT of `model` writes: every concrete field but the id; with `local`, the
    fields of the model's own table (a child's link to its parent included)."""
    if local:
        return list(model._meta.local_concrete_fields)
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def inserted(model, objs, using, fields=None) -> tuple[str, list]:
    """The ORM's INSERT of `objs`, returning their ids (in the order of `objs` when ordered by
    id: a sequence numbers the rows of one INSERT in order)."""
    query = InsertQuery(model)
    query.insert_values(fields or insertable_fields(model), objs)
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = [model._meta.pk]
    ((text, params),) = compiler.as_sql()
    return text, list(params)


def saved(obj, using) -> tuple[str, list]:
    """The ORM's UPDATE of every field of `obj`, as `obj.save()` writes it."""
    model = type(obj)
    query = UpdateQuery(model)
    query.add_filter("pk", obj.pk)
    query.add_update_fields(
        [(f, None, f.pre_save(obj, False)) for f in model._meta.concrete_fields if not f.primary_key]
    )
    text, params = query.get_compiler(using=using).as_sql()
    return text, list(params)


def updated(queryset, **values) -> tuple[str, list]:
    """The ORM's `queryset.update(**values)`, returning the ids of the rows it changed."""
    query = queryset.query.chain(UpdateQuery)
    query.add_update_values(values)
    text, params = query.get_compiler(queryset.db).as_sql()
    pk = connections[queryset.db].ops.quote_name(queryset.model._meta.pk.column)
    return f"{text} RETURNING {pk}", list(params)


def each_its_own(model, name, values) -> tuple:
    """The one UPDATE that sets field `name` of each row of `values` ({id: value}) to its own
    value, as bulk_update writes it (a CASE; the plain value when they all share one): a
    (queryset, values) pair, for `write_together` or the queryset's update()."""
    field = model._meta.get_field(name)
    distinct = set(values.values())
    value = next(iter(distinct))
    if len(distinct) > 1:
        value = Case(*(When(pk=pk, then=Value(v)) for pk, v in values.items()), output_field=field)
    return model.objects.filter(pk__in=list(values)), {field.attname: value}


def with_parts(parts, final) -> tuple[str, list]:
    """`WITH "name" AS (sql), ... final` from (name, (sql, params)) pairs and the final
    (sql, params)."""
    text = "WITH " + ", ".join(f'"{name}" AS ({sql})' for name, (sql, _) in parts) + " " + final[0]
    return text, [p for _, (_, params) in parts for p in params] + list(final[1])


def write_together(*, inserts=(), updates=(), using="default", then=None) -> list[int]:
    """Insert each (model, objs) of `inserts` (with the ids they hold, when they hold one) and run
    each (queryset, values) of `updates`, in one statement; the new ids are set on the objects
    (saved, as `bulk_create` leaves them). Returns how many rows each update changed.

    `then`: (sql, read), SQL without parameters sent after the statement in the same message;
    `read` gets the first row of its last result."""
    inserts = [(model, list(objs)) for model, objs in inserts if objs]
    parts, answers = [], []
    for n, (model, objs) in enumerate(inserts):
        # Rows whose id was reserved beforehand (org.register_numbers.register_reserve) keep it.
        fields = list(model._meta.concrete_fields) if objs[0].pk is not None else None
        parts.append((f"i{n}", inserted(model, objs, using, fields)))
        answers.append(f'SELECT {n}, id FROM "i{n}"')  # noqa: S608
    for n, (queryset, values) in enumerate(updates):
        parts.append((f"u{n}", updated(queryset, **values)))
        answers.append(f'SELECT {-1 - n}, count(*) FROM "u{n}"')  # noqa: S608
    if not parts:
        return []
    text, params = with_parts(parts, (" UNION ALL ".join(answers) + " ORDER BY 1, 2", ()))
    with connections[using].cursor() as cursor:
        cursor.execute(f"{text}; {then[0]}" if then else text, params)
        rows = cursor.fetchall()
        if then:
            while cursor.nextset():
                last = cursor.fetchone()
            then[1](last)
    ids = {n: [] for n in range(len(inserts))}
    counts = [0] * len(updates)
    for group, value in rows:
        if group >= 0:
            ids[group].append(value)
        else:
            counts[-1 - group] = value
    for n, (_model, objs) in enumerate(inserts):
        for obj, pk in zip(objs, ids[n], strict=True):
            obj.pk = pk
            obj._state.adding, obj._state.db = False, using
    return counts
