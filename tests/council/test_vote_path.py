"""The vote path: members' votes do not wait for one another, a double click or two tabs give
one vote and a clear message, a vote racing the close is counted or refused (never lost), and
casting a vote costs a fixed number of queries.

The threaded tests run on PostgreSQL with real connections: the meeting's guard is an advisory
lock there (approvals.meeting_services._guard); SQLite's IMMEDIATE transactions serialise every
writer anyway."""

import random
import threading
import time
from collections import Counter

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from approvals import meeting_services as ms
from approvals import sealing
from approvals.models import AgendaItem, MeetingState, OpenVote, Participation, SealedBallot
from audit import services as audit
from audit.models import AuditEvent
from audit.selectors import events_exported
from audit.verify import verify_events
from org.errors import TransitionNotAllowed
from org.models import User
from org.services import api_token_issue
from tests import factories as f
from tests.conftest import on_postgresql

from .conftest import in_council, open_with, schedule
from .helpers import opened_ballots

ALREADY = "You have already voted on"
CLOSED = "The vote of this meeting is closed: nothing can be cast or changed."
WAIT = 30  # seconds any step of a threaded test may take before it counts as a hang


def eleven(cw):
    """The nine members of the fixture's council and two more: eleven voters."""
    cw.members += [f.council_member(cw.council, "member", username=f"m{i}") for i in (6, 7)]
    return cw.members


def in_thread(target, *args):
    """Run `target` in a thread with its own connection; returns (thread, outcome list)."""
    outcome = []

    def run():
        translation.activate("en")
        try:
            outcome.append(("ok", target(*args)))
        except Exception as exc:  # the test reads it
            outcome.append(("error", exc))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def waiting_on_guard(meeting) -> int:
    """How many transactions wait for the meeting's guard right now (pg_locks)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND classid = %s AND objid = %s AND objsubid = 2",
            [ms.MEETING_GUARD, meeting.pk],
        )
        return cursor.fetchone()[0]


def eventually(condition, what):
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.02)


def pause_record(monkeypatch, *, when):
    """Make audit.record wait, inside the caller's transaction, for the events `when(actor,
    action)` picks: returns (reached, release) events."""
    reached, release = threading.Event(), threading.Event()
    real = audit.record

    def record(**kwargs):
        if when(kwargs["actor"], kwargs["action"]):
            reached.set()
            assert release.wait(WAIT), "never released"
        return real(**kwargs)

    monkeypatch.setattr(audit, "record", record)
    return reached, release


@pytest.mark.postgres
@pytest.mark.parametrize("secret", [True, False], ids=["secret", "open"])
def test_eleven_members_voting_at_once_with_double_clicks_count_each_vote_once(transactional_db, cw, secret):
    members = eleven(cw)
    dossiers = [in_council(cw, nominees=3) for _ in range(2)]
    nominees = [n for d in dossiers for n in d.agenda_nominees]
    meeting = open_with(cw, schedule(cw, dossiers, secret_ballot=secret))
    assert meeting.members_total == 11
    chosen = {
        (m.pk, n.pk): random.Random(m.pk * 100 + n.pk).choice(["agree", "disagree"])
        for m in members
        for n in nominees
    }
    outcomes, lock = [], threading.Lock()
    start = threading.Barrier(2 * len(members))

    def tab(member, order):
        start.wait()
        for nominee in order:
            try:
                ms.ballot_cast(
                    actor=member, meeting=meeting, nominee=nominee, choice=chosen[member.pk, nominee.pk]
                )
                result = "cast"
            except TransitionNotAllowed as exc:
                result = str(exc)
            with lock:
                outcomes.append((member.pk, nominee.pk, result))

    # Each member votes from two tabs at once, both in the same order: every vote is clicked twice.
    threads = []
    for member in members:
        order = random.Random(member.pk).sample(nominees, len(nominees))
        threads += [in_thread(tab, member, order) for _ in range(2)]
    for thread, _outcome in threads:
        thread.join(WAIT * 4)
        assert not thread.is_alive(), "a vote hung (deadlock?)"
    assert [o for _t, outcome in threads for o in outcome if o[0] == "error"] == []

    per_vote = Counter((m, n) for m, n, result in outcomes if result == "cast")
    if secret:
        # Exactly one of the two clicks went in; the other was told so.
        assert set(per_vote.values()) == {1} and len(per_vote) == len(members) * len(nominees)
        refusals = [result for *_k, result in outcomes if result != "cast"]
        assert len(refusals) == len(members) * len(nominees)
        assert all(r.startswith(ALREADY) and "a secret ballot cannot be changed" in r for r in refusals)
    else:
        # Open voting: the second click of the same choice changes nothing.
        assert set(per_vote.values()) == {2}
        assert sorted(OpenVote.objects.values_list("member_id", "item__nominee_id", "choice")) == sorted(
            (m, n, c) for (m, n), c in chosen.items()
        )
    assert Participation.objects.filter(item__meeting=meeting).count() == len(members) * len(nominees)
    if secret:
        assert SealedBallot.objects.filter(item__meeting=meeting).count() == len(members) * len(nominees)

    ms.meeting_close(actor=cw.cchair, meeting=meeting)
    told = Counter((n, c) for (_m, n), c in chosen.items())
    for item in AgendaItem.objects.filter(meeting=meeting):
        assert (item.votes_for, item.votes_against) == (
            told[item.nominee_id, "agree"],
            told[item.nominee_id, "disagree"],
        )
    assert verify_events(events_exported()).ok


@pytest.mark.postgres
def test_a_vote_does_not_wait_for_another_members_vote_under_way(transactional_db, cw, monkeypatch):
    """Member A's vote is held inside its transaction, after its checks and writes, before its
    audit event: member B's vote on the same nominee goes through meanwhile (a meeting-wide lock
    would make it wait for A's commit)."""
    dossier = in_council(cw, nominees=1)
    meeting = open_with(cw, schedule(cw, [dossier]))
    nominee = dossier.agenda_nominees[0]
    a, b = cw.others[0], cw.others[1]
    reached, release = pause_record(monkeypatch, when=lambda actor, action: actor == a)

    first, first_outcome = in_thread(
        lambda: ms.ballot_cast(actor=a, meeting=meeting, nominee=nominee, choice="agree")
    )
    assert reached.wait(WAIT)
    second, second_outcome = in_thread(
        lambda: ms.ballot_cast(actor=b, meeting=meeting, nominee=nominee, choice="disagree")
    )
    second.join(WAIT)
    try:
        assert not second.is_alive(), "B's vote waited for A's"
        assert second_outcome[0][0] == "ok"
        assert list(Participation.objects.values_list("member_id", flat=True)) == [b.pk]
    finally:
        release.set()
        first.join(WAIT)
    assert first_outcome[0][0] == "ok"
    assert opened_ballots(meeting) == [(nominee.pk, "agree", ""), (nominee.pk, "disagree", "")]


@pytest.mark.postgres
def test_a_vote_under_way_when_the_chair_closes_is_counted(transactional_db, cw, monkeypatch):
    dossier = in_council(cw, nominees=1)
    meeting = open_with(cw, schedule(cw, [dossier]))
    nominee = dossier.agenda_nominees[0]
    voter = cw.others[0]
    reached, release = pause_record(monkeypatch, when=lambda actor, action: action == "vote.participate")

    vote, vote_outcome = in_thread(
        lambda: ms.ballot_cast(actor=voter, meeting=meeting, nominee=nominee, choice="agree")
    )
    assert reached.wait(WAIT)
    close, close_outcome = in_thread(lambda: ms.meeting_close(actor=cw.cchair, meeting=meeting))
    try:
        # The close waits for the vote under way, which holds the meeting's guard.
        eventually(lambda: waiting_on_guard(meeting) == 1, "the close waits for the vote")
        assert close.is_alive()
    finally:
        release.set()
    vote.join(WAIT)
    close.join(WAIT)
    assert [kind for kind, _v in vote_outcome + close_outcome] == ["ok", "ok"]
    item = AgendaItem.objects.get(meeting=meeting)
    assert (item.votes_for, item.votes_against) == (1, 0)
    assert Participation.objects.get().member_id == voter.pk


@pytest.mark.postgres
def test_a_vote_arriving_while_the_chair_closes_waits_and_is_refused(transactional_db, cw, monkeypatch):
    dossier = in_council(cw, nominees=1)
    meeting = open_with(cw, schedule(cw, [dossier]))
    nominee = dossier.agenda_nominees[0]
    ms.ballot_cast(actor=cw.others[1], meeting=meeting, nominee=nominee, choice="disagree")
    reached, release = pause_record(monkeypatch, when=lambda actor, action: action == "meeting.close")

    close, close_outcome = in_thread(lambda: ms.meeting_close(actor=cw.cchair, meeting=meeting))
    assert reached.wait(WAIT)
    late, late_outcome = in_thread(
        lambda: ms.ballot_cast(actor=cw.others[0], meeting=meeting, nominee=nominee, choice="agree")
    )
    try:
        # The late vote read "voting" before the close committed; it waits for the guard …
        eventually(lambda: waiting_on_guard(meeting) == 1, "the late vote waits for the close")
        assert late.is_alive()
    finally:
        release.set()
    close.join(WAIT)
    late.join(WAIT)
    # … and, once the close has committed, reads the state again and is refused: not lost silently.
    assert close_outcome[0][0] == "ok"
    kind, error = late_outcome[0]
    assert kind == "error" and isinstance(error, TransitionNotAllowed) and str(error) == CLOSED
    item = AgendaItem.objects.get(meeting=meeting)
    assert (item.votes_for, item.votes_against) == (0, 1)
    assert list(Participation.objects.values_list("member_id", flat=True)) == [cw.others[1].pk]
    assert not SealedBallot.objects.exists()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED


def test_a_second_click_that_lands_after_the_checks_is_refused_with_the_same_message(cw, monkeypatch):
    """The other tab's vote commits after this vote's checks, before its write: the unique
    participation refuses this one with the message a member understands, and nothing of it is
    written (the other tab's vote stands)."""
    dossier = in_council(cw, nominees=1)
    meeting = open_with(cw, schedule(cw, [dossier]))
    nominee = dossier.agenda_nominees[0]
    real = sealing.seal
    clicked = []

    def seal(*args, **kwargs):
        if not clicked:
            clicked.append(True)
            ms.ballot_cast(actor=cw.member, meeting=meeting, nominee=nominee, choice="disagree")
        return real(*args, **kwargs)

    monkeypatch.setattr(sealing, "seal", seal)
    events = AuditEvent.objects.count()

    with pytest.raises(TransitionNotAllowed) as refused:
        ms.ballot_cast(actor=cw.member, meeting=meeting, nominee=nominee, choice="agree")

    assert str(refused.value) == f"{ALREADY} {nominee}; a secret ballot cannot be changed."
    assert Participation.objects.count() == 1 and AuditEvent.objects.count() == events + 1
    assert opened_ballots(meeting) == [(nominee.pk, "disagree", "")]


# A secret vote's own queries: the agenda item with its meeting, nominee and the member's place on
# the roll (one), their roles (two); in the transaction the checks again (one), the participation
# and the sealed ballot; the savepoint and its release. The meeting's guard adds one on
# PostgreSQL; the audit chain's append is counted apart (audit/ keeps it down).
VOTE_QUERIES = 8
# Through the API: the token, then the vote's own (the vote's check of the roll stands for the
# view's check that the member may see the meeting, read only to answer a refusal).
API_VOTE_QUERIES = 9


def append_queries() -> int:
    """The round trips of one audit append, as the chain makes them today."""
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        audit.record(
            actor="system",
            action="vote.probe",
            object_type="x",
            object_id="1",
            scope="",
            actor_roles=[],
            case_id=1,
        )
    return len(captured) - 2  # the savepoint and its release


def guard_queries() -> int:
    return 1 if on_postgresql() else 0


def test_casting_a_vote_costs_a_fixed_number_of_queries(cw, django_assert_num_queries):
    dossier = in_council(cw, nominees=2)
    meeting = open_with(cw, schedule(cw, [dossier]))
    expected = VOTE_QUERIES + guard_queries() + append_queries()
    for nominee in dossier.agenda_nominees:
        member = User.objects.get(pk=cw.member.pk)  # as a request would load it: no roles read yet
        with django_assert_num_queries(expected):
            ms.ballot_cast(actor=member, meeting=meeting, nominee=nominee, choice="agree")
    assert Participation.objects.count() == 2


def test_a_vote_through_the_api_costs_a_fixed_number_of_queries(cw, client, django_assert_num_queries):
    dossier = in_council(cw, nominees=2)
    meeting = open_with(cw, schedule(cw, [dossier]))
    key = api_token_issue(actor=cw.member).key
    expected = API_VOTE_QUERIES + guard_queries() + append_queries()
    for nominee in dossier.agenda_nominees:
        with django_assert_num_queries(expected):
            response = client.post(
                f"/api/meetings/{meeting.pk}/ballots/",
                {"nominee": nominee.pk, "choice": "agree"},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {key}",
            )
        assert response.status_code == 201, response.content
    again = client.post(
        f"/api/meetings/{meeting.pk}/ballots/",
        {"nominee": nominee.pk, "choice": "disagree"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert again.status_code == 409
    # In the member's language: the API speaks Vietnamese unless asked otherwise.
    assert (
        again.json()["detail"] == f"Đồng chí đã biểu quyết đối với {nominee}; phiếu kín không thể thay đổi."
    )
