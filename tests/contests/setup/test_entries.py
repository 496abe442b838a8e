"""Units enter the contest: drafts stay theirs, the head sends at most the cap by the deadline,
withdraws before it, the organiser may refuse an entry (seed 002, plan 4979, III.3)."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation

from audit.models import AuditEvent
from contests import services
from contests.models import EntryFile, EntryState
from contests.selectors import entries_for
from org.errors import TransitionNotAllowed
from org.models import Role
from tests import factories as f

from . import helpers as h

pytestmark = pytest.mark.django_db
AFTER_DEADLINE = dt.datetime.fromisoformat("2026-04-01T08:00:00+07:00")


def test_units_of_the_province_may_enter_but_not_the_organiser(world, contest):
    commune_staff = f.user_with_role(Role.UNIT_STAFF, world.commune, username="commune_staff")
    with pytest.raises(PermissionDenied) as caught:
        services.entry_create(actor=commune_staff, contest=contest, unit=world.commune, **h.entry_values())
    assert "not among the units" in str(caught.value)
    outsider_unit = f.UnitFactory(name="Tỉnh khác")
    outsider = f.user_with_role(Role.UNIT_STAFF, outsider_unit)
    with pytest.raises(PermissionDenied):
        services.entry_create(actor=outsider, contest=contest, unit=outsider_unit, **h.entry_values())
    with pytest.raises(PermissionDenied):  # staff of school A for school B
        services.entry_create(actor=world.staff_a, contest=contest, unit=world.school_b, **h.entry_values())


def test_a_draft_records_its_authors_and_files_with_their_hash(world, contest):
    entry = h.drafted_entry(world, contest)
    assert [a.name for a in entry.authors.all()] == ["Nguyễn Thị Hoa"]
    stored = entry.files.get()
    assert stored.content_type == "application/pdf" and len(stored.sha256) == 64
    event = AuditEvent.objects.get(action="entry_file.add")
    assert event.data["sha256"] == stored.sha256 and event.scope == world.school_a.path
    picture = services.entry_file_add(actor=world.staff_a, entry=entry, uploaded_file=h.png_upload())
    assert picture.content_type == "image/png"


def test_a_file_that_lies_about_its_type_is_refused(world, contest):
    entry = h.drafted_entry(world, contest, with_file=False)
    fake = f.pdf_upload("anh.png")
    with pytest.raises(ValidationError) as caught:
        services.entry_file_add(actor=world.staff_a, entry=entry, uploaded_file=fake)
    assert "file" in caught.value.message_dict
    assert not EntryFile.objects.exists()


def test_only_the_head_sends_and_the_entry_needs_its_description(world, contest):
    entry = h.drafted_entry(world, contest, with_file=False)
    with pytest.raises(PermissionDenied):
        services.entry_send(actor=world.staff_a, entry=entry)
    with pytest.raises(ValidationError) as caught:
        services.entry_send(actor=world.head_a, entry=entry)
    assert "description" in " ".join(caught.value.messages)
    services.entry_file_add(actor=world.staff_a, entry=entry, uploaded_file=f.pdf_upload())
    sent = services.entry_send(actor=world.head_a, entry=entry)
    assert sent.state == EntryState.SUBMITTED and sent.submitted_by == world.head_a
    assert AuditEvent.objects.get(action="entry.send").data == {
        "contest": contest.pk,
        "sent_by_unit": 1,
        "cap": 3,
    }


def test_a_unit_over_its_cap_is_refused_listing_its_sent_entries(world, contest):
    for title in ("Một", "Hai", "Ba"):
        h.sent_entry(world, contest, title=title)
    fourth = h.drafted_entry(world, contest, title="Bốn")
    with pytest.raises(ValidationError) as caught:
        services.entry_send(actor=world.head_a, entry=fourth)
    message = caught.value.messages[0]
    assert "already sent 3 entries" in message
    assert "“Ba”" in message and "“Hai”" in message and "“Một”" in message
    fourth.refresh_from_db()
    assert fourth.state == EntryState.DRAFT
    # Another unit is not held by school A's cap.
    h.sent_entry(
        world, contest, unit=world.school_b, staff=h.school_b_staff(world), head=world.head_b, title="Bốn"
    )


def test_withdrawing_frees_a_place_before_the_deadline(world, contest):
    sent = [h.sent_entry(world, contest, title=t) for t in ("Một", "Hai", "Ba")]
    services.entry_withdraw(actor=world.head_a, entry=sent[0], reason="Chọn sản phẩm khác")
    fourth = h.drafted_entry(world, contest, title="Bốn")
    assert services.entry_send(actor=world.head_a, entry=fourth).state == EntryState.SUBMITTED
    assert AuditEvent.objects.get(action="entry.withdraw").data == {"reason": "Chọn sản phẩm khác"}


def test_a_passed_deadline_is_hard(world, contest):
    draft = h.drafted_entry(world, contest)
    sent = h.sent_entry(world, contest, title="Đã gửi")
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        with pytest.raises(TransitionNotAllowed) as caught:
            services.entry_send(actor=world.head_a, entry=draft)
        assert "The entries deadline was 31/03/2026" in str(caught.value)
        with pytest.raises(TransitionNotAllowed):
            services.entry_create(
                actor=world.staff_a, contest=contest, unit=world.school_a, **h.entry_values()
            )
        with pytest.raises(TransitionNotAllowed):
            services.entry_withdraw(actor=world.head_a, entry=sent)
    draft.refresh_from_db()
    assert draft.state == EntryState.DRAFT


def test_a_sent_entry_no_longer_changes(world, contest):
    entry = h.sent_entry(world, contest)
    with pytest.raises(TransitionNotAllowed):
        services.entry_update(actor=world.staff_a, entry=entry, title="Khác")
    with pytest.raises(TransitionNotAllowed):
        services.entry_file_add(actor=world.staff_a, entry=entry, uploaded_file=f.pdf_upload())


def test_update_replaces_authors_and_records_the_change(world, contest):
    entry = h.drafted_entry(world, contest)
    services.entry_update(
        actor=world.staff_a,
        entry=entry,
        title="Số hóa hồ sơ một cửa liên thông",
        authors=[
            {"name": "Trần Văn Bình", "position": "Phó Trưởng phòng"},
            {"name": "Lê Thu", "position": ""},
        ],
    )
    assert [a.name for a in entry.authors.all()] == ["Trần Văn Bình", "Lê Thu"]
    changes = AuditEvent.objects.get(action="entry.update").data["changes"]
    assert changes["authors"]["after"] == ["Trần Văn Bình", "Lê Thu"]


def test_organiser_refuses_an_entry_with_its_reason(world, contest):
    entry = h.sent_entry(world, contest)
    with pytest.raises(PermissionDenied):
        services.entry_refuse(actor=world.head_b, entry=entry, reason="x")
    with pytest.raises(ValidationError):
        services.entry_refuse(actor=world.officer, entry=entry, reason=" ")
    services.entry_refuse(actor=world.officer, entry=entry, reason="Đã đạt Giải thưởng Sáng tạo năm 2023")
    entry.refresh_from_db()
    assert entry.state == EntryState.INELIGIBLE and entry.ineligible_reason.startswith("Đã đạt")


def test_a_unit_sees_its_drafts_the_organiser_and_jury_only_what_was_sent(world, contest):
    mine = h.drafted_entry(world, contest, title="Bản nháp của A")
    sent = h.sent_entry(world, contest, title="Đã gửi của A")
    theirs = h.drafted_entry(
        world, contest, unit=world.school_b, actor=h.school_b_staff(world), title="Bản nháp B"
    )
    assert set(entries_for(user=world.staff_a, contest=contest)) == {mine, sent}
    assert set(entries_for(user=world.head_b, contest=contest)) == {theirs}
    assert set(entries_for(user=world.officer, contest=contest)) == {sent}
    assert set(entries_for(user=h.jurors(world)[1], contest=contest)) == {sent}


@pytest.mark.postgres
def test_two_heads_at_once_exactly_the_cap_gets_in(transactional_db, world):
    from django.apps import apps

    from dossiers.reference_data import seed_reference_data

    seed_reference_data(apps)
    w = world
    contest = h.open_contest(w, entry_cap_per_unit=2)
    second_head = f.user_with_role(Role.UNIT_HEAD, w.school_a, username="head_a2")
    h.sent_entry(w, contest, title="Đã gửi")
    drafts = [h.drafted_entry(w, contest, title=f"Sản phẩm {i}") for i in range(2)]
    start = threading.Barrier(2)
    sent, refused, errors = [], [], []

    def send(head, entry):
        try:
            translation.activate("en")
            start.wait()
            services.entry_send(actor=head, entry=entry)
            sent.append(entry.pk)
        except ValidationError as exc:
            refused.append(exc.messages[0])
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=a) for a in ((w.head_a, drafts[0]), (second_head, drafts[1]))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(sent) == 1 and len(refused) == 1
    assert "already sent 2 entries" in refused[0]
    assert contest.entries.filter(state=EntryState.SUBMITTED).count() == 2
