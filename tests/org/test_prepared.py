"""A prepared read gives what the ORM's values() gives, compiled once per database and key, on
SQLite and PostgreSQL alike; the objects made from its rows load what they lack on first use."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from org.models import RoleAssignment, Unit, UnitLevel, User
from org.prepared import PreparedRead


def roles_on(day, *, user):
    return (
        RoleAssignment.objects.active_on(day)
        .filter(user_id=user)
        .order_by("pk")
        .values("role", "start", "end", "unit", "unit__path", "unit__grants_awards", "unit__dissolved_on")
    )


def orm_rows(day, user):
    return list(roles_on(day, user=user.pk))


@pytest.fixture
def held(world):
    """head_a holds two roles in two units (one dissolved on a date), one of them ended."""
    user = world.head_a
    world.commune.dissolved_on = dt.date(2030, 1, 1)
    world.commune.save(update_fields=["dissolved_on"])
    RoleAssignment.objects.create(user=user, role="inspector", unit=world.commune, start=dt.date(2020, 1, 1))
    RoleAssignment.objects.create(
        user=user, role="unit_staff", unit=world.school_b, start=dt.date(2020, 1, 1), end=dt.date(2021, 1, 1)
    )
    return user


def test_rows_are_the_querysets_values_with_the_orms_conversions(world, held):
    read = PreparedRead(roles_on, arguments=("user",))
    for day in (world.today, dt.date(2020, 6, 1)):
        got = read.rows(key=(day,), user=held.pk)
        assert got == orm_rows(day, held) and got
    row = read.rows(key=(world.today,), user=held.pk)[-1]
    # Dates, booleans and nulls come back as Python's, on either database.
    assert isinstance(row["start"], dt.date) and row["unit__grants_awards"] is True
    assert row["unit__dissolved_on"] == dt.date(2030, 1, 1) and row["end"] is None
    assert read.rows(key=(world.today,), user=world.head_b.pk) == orm_rows(world.today, world.head_b)
    assert read.rows(key=(world.today,), user=0) == []
    assert read.first(key=(world.today,), user=0) is None


def test_it_is_compiled_once_per_key_and_each_run_is_one_query(world, held, django_assert_num_queries):
    built = []

    def build(day, *, user):
        built.append(day)
        return roles_on(day, user=user)

    read = PreparedRead(build, arguments=("user",))
    for user in (held, world.head_b, held):
        with django_assert_num_queries(1):
            read.rows(key=(world.today,), user=user.pk)
    assert built == [world.today]
    read.rows(key=(dt.date(2020, 6, 1),), user=held.pk)
    assert built == [world.today, dt.date(2020, 6, 1)]


def test_an_argument_that_does_not_reach_the_query_as_a_parameter_is_refused(world):
    unused = PreparedRead(lambda *, user: Unit.objects.values("pk"), arguments=("user",))
    with pytest.raises(ImproperlyConfigured):
        unused.rows(user=1)
    not_values = PreparedRead(lambda *, user: Unit.objects.filter(pk=user), arguments=("user",))
    with pytest.raises(ImproperlyConfigured):
        not_values.rows(user=1)
    read = PreparedRead(lambda *, unit: Unit.objects.filter(pk=unit).values("pk"), arguments=("unit",))
    with pytest.raises(TypeError):
        read.rows(user=1)


def test_an_aggregate_and_a_constant_filter_keep_their_values(world):
    read = PreparedRead(
        lambda *, parent: (
            Unit.objects.filter(parent_id=parent, level=UnitLevel.SCHOOL)
            .values("parent")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        arguments=("parent",),
    )
    assert read.rows(parent=world.commune.pk) == [{"parent": world.commune.pk, "n": 2}]
    assert read.rows(parent=world.province.pk) == []


def test_objects_are_the_orms_with_their_related_objects_and_load_the_others_on_use(
    world, django_assert_num_queries
):
    read = PreparedRead(
        lambda *, user: (
            User.objects.filter(pk=user)
            .select_related("unit")
            .only("id", "username", "unit__id", "unit__path")
            .annotate(roles=Count("role_assignments"))
        ),
        arguments=("user",),
    )
    with django_assert_num_queries(1):
        (user,) = read.objects(user=world.head_a.pk)
    with django_assert_num_queries(0):
        assert (user.pk, user.username, user.unit_id, user.roles) == (
            world.head_a.pk,
            "head_a",
            world.school_a.pk,
            1,
        )
        assert (user.unit.pk, user.unit.path) == (world.school_a.pk, world.school_a.path)
        assert not user._state.adding
    with django_assert_num_queries(1):
        assert user.unit.name == "Trường THCS Ngọc Lâm"  # deferred: read when first used
    assert read.objects(user=world.head_b.pk)[0].username == "head_b"
    with pytest.raises(ImproperlyConfigured):
        read.rows(user=world.head_a.pk)


def prepared_on_the_server() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres
def test_on_postgresql_the_read_is_prepared_on_the_server_and_survives_a_rollback(world, held, settings):
    read = PreparedRead(roles_on, arguments=("user",))
    mark = "org_roleassignment"
    before = [s for s in prepared_on_the_server() if mark in s]
    with transaction.atomic():
        assert read.rows(key=(world.today,), user=held.pk) == orm_rows(world.today, held)
    assert len([s for s in prepared_on_the_server() if mark in s]) == len(before) + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        read.rows(key=(world.today,), user=held.pk)
        raise RuntimeError  # rolled back to the savepoint
    assert read.rows(key=(world.today,), user=world.head_b.pk) == orm_rows(world.today, world.head_b)

    settings.DATABASE_PREPARED_STATEMENTS = False
    other = PreparedRead(lambda *, unit: Unit.objects.filter(pk=unit).values("name"), arguments=("unit",))
    assert other.rows(unit=world.commune.pk) == [{"name": "Phường Long Biên"}]
    assert not [s for s in prepared_on_the_server() if "org_unit" in s and "org_roleassignment" not in s]


def test_the_query_log_shows_the_read_with_its_values(world):
    read = PreparedRead(lambda *, unit: Unit.objects.filter(pk=unit).values("name"), arguments=("unit",))
    with CaptureQueriesContext(connection) as ctx:
        read.rows(unit=world.commune.pk)
    (logged,) = ctx.captured_queries
    assert 'FROM "org_unit"' in logged["sql"] and str(world.commune.pk) in logged["sql"]


def test_a_text_argument_is_a_parameter_too(world, django_assert_num_queries):
    built = []

    def build(*, name):
        built.append(name)
        return Unit.objects.filter(name=name).values("pk")

    read = PreparedRead(build, arguments=(), text_arguments=("name",))
    assert read.rows(name="Phường Long Biên") == [{"pk": world.commune.pk}]
    with django_assert_num_queries(1):
        assert read.rows(name="Trường THCS Ngọc Lâm") == [{"pk": world.school_a.pk}]
    assert read.rows(name="x' OR '1'='1") == [] and len(built) == 1
    contains = PreparedRead(
        lambda *, name: Unit.objects.filter(name__contains=name).values("pk"),
        arguments=(),
        text_arguments=("name",),
    )
    with pytest.raises(ImproperlyConfigured):  # the value reaches the query changed (%name%)
        contains.rows(name="Long")


def test_get_is_the_one_object_or_its_models_does_not_exist(world):
    read = PreparedRead(
        lambda *, unit: Unit.objects.filter(pk=unit).select_related("parent"), arguments=("unit",)
    )
    found = read.get(unit=world.school_a.pk)
    assert found == world.school_a and found.parent == world.commune
    with pytest.raises(Unit.DoesNotExist, match="Unit matching query does not exist"):
        read.get(unit=10**9)
