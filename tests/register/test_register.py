"""The register of outgoing documents: one running number per issuing body and year, shared by
every kind of document; numbers issued on paper recorded and skipped; a rolled-back issue leaves
no gap; the council numbers its minutes in a series of its own."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from approvals import services as approvals
from approvals.models import Decision
from audit.models import AuditEvent
from org.models import EntrySource, RegisterEntry, RegisterSeries, Role
from org.register_numbers import register_take
from org.register_services import register_record_outside
from tests import factories as f
from tests import paper
from tests.workflows.conftest import awaiting_decision, in_council, new_dossier

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 11)


def take(unit, *, on=DAY, symbol="QĐ-UBND", series=RegisterSeries.DOCUMENTS):
    with transaction.atomic():
        return register_take(
            unit=unit,
            year=on.year,
            symbol=symbol,
            subject="Về việc khen thưởng",
            on=on,
            actor="system",
            series=series,
        ).number


def outside(actor, unit, number, *, on=dt.date(2026, 3, 2), symbol="CV-UBND"):
    return register_record_outside(
        actor=actor,
        unit=unit,
        year=on.year,
        number=number,
        symbol=symbol,
        issued_on=on,
        subject="Về việc tổng kết phong trào thi đua",
    )


def test_numbers_run_from_one_per_body_shared_by_every_kind_of_document(world):
    assert [take(world.commune), take(world.commune, symbol="TTr-UBND"), take(world.commune)] == [1, 2, 3]
    assert take(world.province) == 1
    numbers = RegisterEntry.objects.filter(register__unit=world.commune).values_list("number", "symbol")
    assert list(numbers) == [(1, "QĐ-UBND"), (2, "TTr-UBND"), (3, "QĐ-UBND")]


def test_numbers_restart_at_one_every_calendar_year(world):
    take(world.commune, on=dt.date(2026, 12, 31))
    take(world.commune, on=dt.date(2026, 12, 31))
    assert take(world.commune, on=dt.date(2027, 1, 1)) == 1


def test_the_council_and_the_certificates_keep_series_of_their_own(world):
    take(world.commune)
    assert take(world.commune, symbol="BB-HĐTĐKT", series=RegisterSeries.COUNCIL) == 1
    assert take(world.commune, symbol="GK", series=RegisterSeries.CERTIFICATES) == 1
    assert take(world.commune) == 2


def test_a_number_recorded_from_paper_is_skipped_by_the_engine(world, clerk):
    assert take(world.commune) == 1
    entry = outside(clerk, world.commune, 2)
    assert take(world.commune) == 3
    assert entry.source == EntrySource.OUTSIDE and entry.recorded_by == clerk
    event = AuditEvent.objects.get(action="register.record_outside")
    assert event.object_id == str(entry.pk) and event.data["number"] == 2 and event.scope


def test_a_gap_left_by_a_paper_number_ahead_is_filled_so_the_register_has_no_hole(world, clerk):
    outside(clerk, world.commune, 3)
    outside(clerk, world.commune, 6)
    assert [take(world.commune) for _ in range(5)] == [1, 2, 4, 5, 7]


def test_a_paper_number_the_engine_already_gave_is_refused_and_nothing_is_written(world, clerk):
    take(world.commune)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        outside(clerk, world.commune, 1)
    assert "01/QĐ-UBND" in str(refused.value.message_dict["number"])
    assert RegisterEntry.objects.count() == 1 and AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "number, issued_on, field",
    [
        (0, dt.date(2026, 3, 2), "number"),
        ("4", dt.date(2026, 3, 2), "number"),
        (4, dt.date(2025, 12, 30), "issued_on"),
    ],
)
def test_a_paper_number_must_be_a_number_of_that_year(world, clerk, number, issued_on, field):
    with pytest.raises(ValidationError) as refused:
        register_record_outside(
            actor=clerk,
            unit=world.commune,
            year=2026,
            number=number,
            symbol="CV-UBND",
            issued_on=issued_on,
            subject="Công văn",
        )
    assert field in refused.value.message_dict
    assert not RegisterEntry.objects.exists()


def test_only_the_records_clerk_of_that_body_records_paper_numbers(world, clerk):
    other_clerk = f.user_with_role(Role.RECORDS_CLERK, world.province, username="vanthu_tinh")
    for someone in (world.chair, world.officer, other_clerk):
        with pytest.raises(PermissionDenied):
            outside(someone, world.commune, 1)
    admin = f.UserFactory(username="root", is_superuser=True)
    assert outside(admin, world.commune, 1).number == 1
    assert outside(clerk, world.commune, 2).number == 2


def test_a_rolled_back_issue_leaves_no_gap(world):
    take(world.commune)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert (
            register_take(
                unit=world.commune, year=2026, symbol="QĐ-UBND", subject="x", on=DAY, actor="system"
            ).number
            == 2
        )
        raise RuntimeError("the decision could not be issued")
    assert take(world.commune) == 2


@pytest.mark.django_db(transaction=True)
def test_a_number_is_taken_only_inside_the_transaction_of_its_document(world):
    with pytest.raises(RuntimeError):
        register_take(unit=world.commune, year=2026, symbol="QĐ-UBND", subject="x", on=DAY, actor="system")


def test_a_decision_bears_the_registers_number_and_its_entry_names_it(people, clerk):
    w = people
    take(w.commune, symbol="TTr-UBND")
    outside(clerk, w.commune, 2, symbol="QĐ-UBND")
    decision = approvals.decision_issue(
        actor=w.chair, dossiers=[awaiting_decision(w, new_dossier(w))], title="Về việc tặng Giấy khen"
    )
    assert decision.number == 3 and decision.symbol == "03/QĐ-UBND"
    entry = RegisterEntry.objects.get(register__unit=w.commune, number=3)
    assert (entry.source, entry.symbol, entry.issued_on, entry.recorded_by) == (
        EntrySource.ENGINE,
        "QĐ-UBND",
        decision.signed_on,
        w.chair,
    )
    assert entry.content_type.model_class() is Decision and entry.object_id == str(decision.pk)

    revocation = approvals.decision_revoke(
        actor=w.chair, awards=list(decision.awards.all()), reason="Hồ sơ kê khai không trung thực"
    )
    assert revocation.number == 4
    assert RegisterEntry.objects.get(register__unit=w.commune, number=4).object_id == str(revocation.pk)


def test_the_minutes_take_the_councils_number_once(people):
    w = people
    dossier = in_council(w, new_dossier(w))
    meeting = paper.record(secretary=w.secretary, council=w.council, dossiers=[dossier])
    entry = RegisterEntry.objects.get(register__series=RegisterSeries.COUNCIL)
    assert (entry.register.unit, entry.number, entry.symbol) == (w.commune, 1, "BB-HĐTĐKT")
    assert entry.object_id == str(meeting.pk)
    assert take(w.commune) == 1  # the body's own register is another series
