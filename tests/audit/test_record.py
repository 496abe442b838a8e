import unicodedata

import pytest
from django.db import transaction

from audit.models import AuditEvent
from audit.services import AuditOutsideTransaction, record, record_many

from .chains import append_events, contract_hash, export_events

pytestmark = pytest.mark.django_db

GENESIS = "0" * 64


def test_record_appends_contiguous_seq_each_linked_to_the_previous_hash():
    append_events(4)

    events = list(AuditEvent.objects.order_by("seq"))

    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert [e.prev_hash for e in events] == [GENESIS] + [e.hash for e in events[:-1]]


def test_exported_hashes_are_reproduced_by_an_independent_implementation_of_the_contract():
    append_events(3, data={"n": 1, "ok": True, "none": None, "list": [1, "hai", {"b": 2}]})

    exported = export_events()

    assert [e["seq"] for e in exported] == [1, 2, 3]
    previous = GENESIS
    for event in exported:
        assert event["prev_hash"] == previous
        assert event["hash"] == contract_hash(event)
        previous = event["hash"]


def test_record_names_the_target_by_model_label_and_primary_key(django_user_model):
    user = django_user_model.objects.create(username="an")
    with transaction.atomic():
        event = record(actor=user, action="user.create", target=user)

    event.refresh_from_db()
    assert (event.actor, event.object_type, event.object_id) == ("an", "org.user", str(user.pk))


def test_record_outside_a_transaction_raises_and_writes_nothing():
    # The `db` fixture wraps the test in a transaction: it must not count as the caller's.
    with pytest.raises(AuditOutsideTransaction):
        record(actor="system", action="dossier.submit", object_type="x", object_id="1")

    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("data", [{"score": 9.5}, {"nested": {"scores": [1, 2.0]}}])
def test_record_refuses_floats_in_data(data):
    with pytest.raises(TypeError, match="float"), transaction.atomic():
        record(actor="system", action="ballot.count", data=data)

    assert not AuditEvent.objects.exists()


def test_record_refuses_data_keys_that_are_not_strings():
    # JSON would store the key 1 as "1": the stored event would no longer match its hash.
    with pytest.raises(TypeError, match="keys"), transaction.atomic():
        record(actor="system", action="ballot.count", data={1: "một"})


def test_nfd_input_is_stored_and_hashed_as_its_nfc_form():
    nfc = "Hồ sơ đề nghị"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    with transaction.atomic():
        record(actor=nfd, action="dossier.submit", object_id=nfd, data={nfd: nfd})

    (event,) = export_events()

    assert (event["actor"], event["object_id"], event["data"]) == (nfc, nfc, {nfc: nfc})
    assert event["hash"] == contract_hash(event)


def test_several_events_appended_together_are_consecutive_linked_and_cost_two_round_trips(
    django_assert_num_queries,
):
    append_events(1)
    events = [
        {
            "actor": "system",
            "action": f"test.many{n}",
            "object_type": "x",
            "object_id": str(n),
            "data": {"n": n},
        }
        for n in range(3)
    ]
    with transaction.atomic(), django_assert_num_queries(2):  # the chain locked and read, the INSERT
        made = record_many(events)

    assert [e.seq for e in made] == [2, 3, 4]
    assert [e.action for e in AuditEvent.objects.order_by("seq")][1:] == [
        "test.many0",
        "test.many1",
        "test.many2",
    ]
    exported = export_events()
    previous = GENESIS
    for event in exported:
        assert event["prev_hash"] == previous
        assert event["hash"] == contract_hash(event)
        previous = event["hash"]


def test_several_events_outside_a_transaction_write_nothing():
    with pytest.raises(AuditOutsideTransaction):
        record_many([{"actor": "system", "action": "test.many", "object_type": "x", "object_id": "1"}])
    assert not AuditEvent.objects.exists()


def test_an_event_with_a_field_record_does_not_take_is_refused_before_anything_is_written():
    event = {"actor": "system", "action": "test.many", "object_type": "x", "object_id": "1", "colour": "red"}
    with transaction.atomic(), pytest.raises(TypeError, match="colour"):
        record_many([event])
    assert not AuditEvent.objects.exists()
