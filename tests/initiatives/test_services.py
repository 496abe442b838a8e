import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from approvals import sealing
from audit.models import AuditEvent
from dossiers.history import award_history
from dossiers.services import _missing_documents
from initiatives import services
from initiatives.models import (
    InitiativeBallot,
    InitiativeParticipation,
    InitiativeRecusal,
    InitiativeResult,
    InitiativeSealedBallot,
)
from initiatives.models import InitiativeState as S
from org.errors import TransitionNotAllowed
from tests import factories as f

from .builders import review

AGREE, DISAGREE = "agree", "disagree"


def close_and_recognise(ini, meeting):
    services.meeting_close(actor=ini.secretary, meeting=meeting)
    return services.initiative_recognise(
        actor=ini.world.head_a,
        initiative=ini.initiative,
        decision_number="12/QĐ-THCSNL",
        decision_date=dt.date(2026, 3, 11),
        effect_scope="commune",
    )


def test_registered_reviewed_and_recognised_with_a_decision(ini):
    assert ini.initiative.authors.get().person == ini.teacher
    meeting = review(ini, {ini.chair: AGREE, ini.secretary: AGREE, ini.m1: AGREE, ini.m2: DISAGREE})
    recognition = close_and_recognise(ini, meeting)
    ini.initiative.refresh_from_db()
    assert ini.initiative.state == S.RECOGNISED
    item = meeting.agenda.get()
    assert (item.votes_for, item.votes_against, item.result) == (3, 1, InitiativeResult.PASSED)
    assert recognition.signer == ini.world.head_a and recognition.effect_scope == "commune"
    actions = list(
        AuditEvent.objects.filter(action__startswith="initiative")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[:3] == ["initiative_council.set_up", "initiative.register", "initiative.submit"]
    assert actions[-2:] == ["initiative_meeting.close", "initiative.recognise"]


def test_author_on_the_council_is_recused_and_cannot_vote(ini):
    meeting = review(ini, {})
    assert InitiativeRecusal.objects.filter(item__meeting=meeting, member=ini.teacher).exists()
    with pytest.raises(PermissionDenied, match="author"):
        services.ballot_cast(actor=ini.teacher, meeting=meeting, initiative=ini.initiative, choice=AGREE)


def test_recognition_needs_more_than_half_of_all_members_not_of_those_voting(ini):
    # 4 present (quorum of 5 is 4), 3 vote, 2 agree: a majority of the votes but not of all five.
    present = [ini.chair, ini.secretary, ini.m1, ini.teacher]
    meeting = review(ini, {ini.chair: AGREE, ini.secretary: AGREE, ini.m1: DISAGREE}, present=present)
    services.meeting_close(actor=ini.secretary, meeting=meeting)
    ini.initiative.refresh_from_db()
    assert meeting.agenda.get().result == InitiativeResult.FAILED
    assert ini.initiative.state == S.NOT_RECOGNISED
    with pytest.raises(TransitionNotAllowed):
        services.initiative_recognise(
            actor=ini.world.head_a,
            initiative=ini.initiative,
            decision_number="13/QĐ-THCSNL",
            decision_date=dt.date(2026, 3, 11),
            effect_scope="unit",
        )


def test_threshold_is_the_councils_field(ini):
    ini.council.threshold_numerator, ini.council.threshold_denominator = 1, 3
    ini.council.save()
    present = [ini.chair, ini.secretary, ini.m1, ini.teacher]
    meeting = review(ini, {ini.chair: AGREE, ini.secretary: AGREE, ini.m1: DISAGREE}, present=present)
    services.meeting_close(actor=ini.secretary, meeting=meeting)
    assert meeting.agenda.get().result == InitiativeResult.PASSED


def test_no_quorum_without_two_thirds_of_members(ini):
    meeting = services.meeting_schedule(
        actor=ini.secretary,
        council=ini.council,
        held_on=dt.date(2026, 3, 10),
        place="Phòng họp",
        initiatives=[ini.initiative],
    )
    with pytest.raises(ValidationError, match="No quorum: 3 of the 5"):
        services.meeting_open_voting(
            actor=ini.chair, meeting=meeting, present=[ini.chair, ini.secretary, ini.m1]
        )


def test_a_secret_ballot_is_cast_once(ini):
    meeting = review(ini, {ini.chair: AGREE})
    with pytest.raises(TransitionNotAllowed, match="already voted"):
        services.ballot_cast(actor=ini.chair, meeting=meeting, initiative=ini.initiative, choice=DISAGREE)


def test_only_chair_or_secretary_run_the_meeting_and_only_the_head_recognises(ini):
    with pytest.raises(PermissionDenied):
        services.meeting_schedule(
            actor=ini.m1,
            council=ini.council,
            held_on=dt.date(2026, 3, 10),
            place="P",
            initiatives=[ini.initiative],
        )
    meeting = review(ini, {ini.chair: AGREE, ini.secretary: AGREE, ini.m1: AGREE})
    with pytest.raises(PermissionDenied):
        services.meeting_close(actor=ini.m2, meeting=meeting)
    services.meeting_close(actor=ini.chair, meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.initiative_recognise(
            actor=ini.world.staff_a,
            initiative=ini.initiative,
            decision_number="1/QĐ",
            decision_date=dt.date(2026, 3, 11),
            effect_scope="unit",
        )


def test_registration_after_the_deadline_is_refused(ini):
    with pytest.raises(ValidationError, match="closed on 28/02/2026"):
        services.initiative_register(
            actor=ini.teacher,
            unit=ini.world.school_a,
            year=2026,
            title="Sổ tay điện tử chủ nhiệm",
            field="Quản lý",
            summary="…",
            improvement="…",
            deadline=dt.date(2026, 2, 28),
        )


def test_registration_deadline_comes_from_the_settings_hook(ini, settings):
    settings.INITIATIVE_REGISTRATION_DEADLINE = "tests.initiatives.test_services.deadline_of_plan"
    with pytest.raises(ValidationError, match="closed on 31/01/2026"):
        services.initiative_register(
            actor=ini.world.staff_a,
            unit=ini.world.school_a,
            year=2026,
            title="Sổ tay điện tử chủ nhiệm",
            field="Quản lý",
            summary="…",
            improvement="…",
            authors=[{"name": "Lê Thị Hoa"}],
        )


def deadline_of_plan(unit, year):
    return dt.date(year, 1, 31)


def test_someone_of_another_unit_cannot_register_here(ini):
    with pytest.raises(PermissionDenied):
        services.initiative_register(
            actor=ini.teacher_b,
            unit=ini.world.school_a,
            year=2026,
            title="T",
            field="F",
            summary="S",
            improvement="I",
        )


def test_ballot_box_holds_no_link_between_member_and_choice(ini, django_capture_on_commit_callbacks):
    meeting = review(ini, {ini.chair: AGREE, ini.secretary: DISAGREE, ini.m1: AGREE})
    # While the vote is open: what the database holds is the participation and a ciphertext.
    sealed = list(InitiativeSealedBallot.objects.values_list("sealed", flat=True))
    assert len(sealed) == 3 and all(b"agree" not in bytes(s) for s in sealed)
    assert len({len(bytes(s)) for s in sealed}) == 1  # the same size whatever the choice
    assert InitiativeBallot.objects.count() == 0
    assert sealing.has_key(meeting.ballot_key_id)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_close(actor=ini.secretary, meeting=meeting)
    # After the close: plain ballots carry no member, no time and random keys; the sealed rows
    # are gone and so is the key that could open their dead versions.
    fields = {fld.name for fld in InitiativeBallot._meta.get_fields()}
    assert fields == {"id", "item", "choice"}
    assert InitiativeSealedBallot.objects.count() == 0
    assert InitiativeParticipation.objects.count() == 3
    assert not sealing.has_key(meeting.ballot_key_id)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT xmin::text FROM initiatives_initiativeballot")
            ballot_xmins = {r[0] for r in cursor.fetchall()}
            cursor.execute("SELECT xmin::text FROM initiatives_initiativeparticipation")
            participation_xmins = {r[0] for r in cursor.fetchall()}
        # All ballots share the close's transaction, none a voter's.
        assert len(ballot_xmins) == 1 and not ballot_xmins & participation_xmins
    # The audit trail names who took part, never what they chose.
    for event in AuditEvent.objects.filter(action="initiative_meeting.participate"):
        assert "choice" not in event.data and AGREE not in str(event.data)


def test_recognised_initiative_is_in_the_authors_history(ini):
    close_and_recognise(ini, review(ini, {ini.chair: AGREE, ini.secretary: AGREE, ini.m1: AGREE}))
    nominee = f.NomineeFactory(
        dossier=f.DossierFactory(
            unit=ini.world.school_a, campaign=ini.world.campaign, created_by=ini.world.staff_a
        ),
        name="Lê Thị Hoa",
        person=ini.teacher,
        award_type=f.award("chien-si-thi-dua-co-so"),
    )
    entries = [e for e in award_history(nominee) if e.source == "initiative"]
    assert [(e.decision_number, e.year) for e in entries] == [("12/QĐ-THCSNL", 2026)]
    assert "Ứng dụng bản đồ tư duy" in entries[0].award_name


def _cstd_nominee(ini, **identity):
    dossier = f.DossierFactory(
        unit=ini.world.school_a, campaign=ini.world.campaign, created_by=ini.world.staff_a
    )
    nominee = f.NomineeFactory(dossier=dossier, award_type=f.award("chien-si-thi-dua-co-so"), **identity)
    rule = nominee.award_type.rule_on(dt.date(2026, 3, 11))
    return dossier, nominee, {nominee.pk: rule}


def test_recognised_initiative_satisfies_the_sang_kien_document(ini):
    dossier, nominee, rules = _cstd_nominee(ini, name="Lê Thị Hoa", person=ini.teacher)
    assert any("Xác nhận sáng kiến" in p for p in _missing_documents(dossier, [nominee], rules))
    close_and_recognise(ini, review(ini, {ini.chair: AGREE, ini.secretary: AGREE, ini.m1: AGREE}))
    assert not any("Xác nhận sáng kiến" in p for p in _missing_documents(dossier, [nominee], rules))


def test_an_author_named_with_date_of_birth_is_matched_and_another_person_is_not(ini):
    author = ini.initiative.authors.get()
    author.date_of_birth = dt.date(1985, 4, 2)
    author.save()
    close_and_recognise(ini, review(ini, {ini.chair: AGREE, ini.secretary: AGREE, ini.m1: AGREE}))
    dossier, nominee, rules = _cstd_nominee(ini, name="Lê Thị Hoa", date_of_birth=dt.date(1985, 4, 2))
    assert not any("Xác nhận sáng kiến" in p for p in _missing_documents(dossier, [nominee], rules))
    dossier, other, rules = _cstd_nominee(ini, name="Lê Thị Hoa", date_of_birth=dt.date(1990, 1, 1))
    assert any("Xác nhận sáng kiến" in p for p in _missing_documents(dossier, [other], rules))


def test_the_daily_purge_keeps_the_key_of_an_open_initiative_meeting(ini, settings):
    import os
    import time

    from django.core.management import call_command

    meeting = review(ini, {ini.chair: AGREE})
    path = sealing._key_path(meeting.ballot_key_id)
    old = time.time() - 7200
    os.utime(path, (old, old))
    call_command("purge_ballot_keys", stdout=__import__("io").StringIO())
    assert sealing.has_key(meeting.ballot_key_id)
    services.meeting_close(actor=ini.secretary, meeting=meeting)
    assert meeting.agenda.get().votes_for == 1
