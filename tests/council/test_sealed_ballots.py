"""Secret ballots against whoever holds the database (approvals.sealing).

The attack of shared/notes/ballot-secrecy.md, run for real on PostgreSQL: read every row version
of the ballot tables, live and dead, with `pageinspect`, and try to link each to a voter through
the transaction that wrote it (the participation's `xmin`). And the rules that keep the sealed
box honest: one sealed ballot per participation, an altered or missing one stops the close, the
key lives outside the database and dies with the close.
"""

import os
import stat
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from approvals import meeting_services as ms
from approvals import sealing
from approvals.models import Ballot, BallotComment, CouncilMeeting, MeetingState, Participation, SealedBallot
from org.errors import TransitionNotAllowed

from .conftest import in_council, open_with, schedule
from .helpers import unchanged_after

COMMENT = "Nhất trí, thành tích tiêu biểu."


def _run_meeting(cw):
    """Two nominees; one member votes in writing with a comment, seven in the room with mixed
    choices, the vice-chair recuses on the second nominee. Returns (meeting, {(member_id,
    nominee_id): choice})."""
    dossier = in_council(cw, nominees=2)
    first, second = dossier.agenda_nominees
    meeting = schedule(cw, [dossier])
    absent, late = cw.others[0], cw.others[1]
    cast = {(absent.pk, first.pk): "agree", (absent.pk, second.pk): "disagree"}
    ms.written_vote_cast(
        actor=absent,
        meeting=meeting,
        votes={first.pk: {"choice": "agree", "comment": COMMENT}, second.pk: {"choice": "disagree"}},
    )
    ms.recusal_declare(actor=cw.vice, meeting=meeting, nominee=second, note="Anh ruột")
    present = [m for m in cw.members if m not in (absent, late)]
    open_with(cw, meeting, present=present)
    for i, member in enumerate(present):
        for j, nominee in enumerate((first, second)):
            if member == cw.vice and nominee == second:
                continue
            choice = "agree" if (i + j) % 3 else "disagree"
            ms.ballot_cast(actor=member, meeting=meeting, nominee=nominee, choice=choice)
            cast[(member.pk, nominee.pk)] = choice
    return meeting, cast


def _versions(cursor, table):
    """Every row version in the table's pages, live or dead: (t_xmin, t_xmax, raw tuple bytes)."""
    cursor.execute("SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [table])
    (pages,) = cursor.fetchone()
    rows = []
    for page in range(pages):
        cursor.execute(
            "SELECT t_xmin::text::bigint, t_xmax::text::bigint, t_data FROM heap_page_items(get_raw_page(%s, %s))"
            " WHERE t_data IS NOT NULL",
            [table, page],
        )
        rows += [(xmin, xmax, bytes(data)) for xmin, xmax, data in cursor.fetchall()]
    return rows


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_database_holder_links_no_ballot_to_its_voter(cw):
    with connection.cursor() as cursor:
        # Start from empty files: rolled-back tests before this one leave dead rows behind.
        cursor.execute("TRUNCATE approvals_ballot, approvals_ballotcomment, approvals_sealedballot")
    meeting, cast = _run_meeting(cw)
    key_id = CouncilMeeting.objects.get(pk=meeting.pk).ballot_key_id
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text::bigint, member_id FROM approvals_participation")
        voter_of = dict(cursor.fetchall())  # the transaction that wrote a participation → its voter
    assert len(set(voter_of.values())) == 8  # every voter's transactions are known to the attacker

    ms.meeting_close(actor=cw.cchair, meeting=meeting)

    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        opened = {t: _versions(cursor, f"approvals_{t}") for t in ("ballot", "ballotcomment")}
        sealed = _versions(cursor, "approvals_sealedballot")
        cursor.execute("SELECT DISTINCT xmin::text::bigint FROM approvals_agendaitem")
        (close_xid,) = [x for (x,) in cursor.fetchall() if x not in voter_of]

    # The opened ballots and comments, every version of them, were written by the close alone.
    assert len(opened["ballot"]) == len(cast) and len(opened["ballotcomment"]) == 1
    for versions in opened.values():
        assert {xmin for xmin, _xmax, _data in versions} == {close_xid}
        assert not [v for v in versions if v[0] in voter_of or v[1] in voter_of]
    # The sealed rows, dead now, were written in the voters' transactions: that is exactly
    # why they hold nothing readable, and why their key is gone.
    assert {xmin for xmin, _xmax, _data in sealed} <= set(voter_of)
    assert len(sealed) == len(cast)
    for _xmin, _xmax, data in sealed:
        for clear in (b"agree", b"disagree", b"abstain", COMMENT.encode()):
            assert clear not in data
    assert not sealing.has_key(key_id)
    with pytest.raises(sealing.SealError):
        sealing.Opener(key_id)
    # And the count is right: what was cast is what was opened.
    assert sorted(Ballot.objects.values_list("item__nominee_id", "choice")) == sorted(
        (n, c) for (_m, n), c in cast.items()
    )


def test_the_key_lives_outside_the_database_and_dies_with_the_close(cw, django_capture_on_commit_callbacks):
    dossier = in_council(cw)
    meeting = schedule(cw, [dossier])
    meeting.refresh_from_db()
    path = sealing.keys_dir() / f"{meeting.ballot_key_id.hex}.key"

    assert len(bytes(meeting.ballot_public_key)) == 32 and path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_bytes() not in str(CouncilMeeting.objects.values_list().get(pk=meeting.pk)).encode()
    open_with(cw, meeting)
    ms.ballot_cast(actor=cw.member, meeting=meeting, nominee=dossier.agenda_nominees[0], choice="agree")
    with django_capture_on_commit_callbacks(execute=True):
        ms.meeting_close(actor=cw.cchair, meeting=meeting)

    assert not path.exists()
    assert not SealedBallot.objects.exists() and Ballot.objects.get().choice == "agree"


def test_cancelling_destroys_the_key_and_the_uncounted_written_votes(cw, django_capture_on_commit_callbacks):
    dossier = in_council(cw)
    meeting = schedule(cw, [dossier])
    ms.written_vote_cast(
        actor=cw.others[0], meeting=meeting, votes={dossier.agenda_nominees[0].pk: {"choice": "agree"}}
    )
    meeting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        ms.meeting_cancel(actor=cw.secretary, meeting=meeting, reason="Chủ tịch đi công tác")

    assert not sealing.has_key(meeting.ballot_key_id)
    assert not SealedBallot.objects.exists() and not Ballot.objects.exists()


def test_an_open_vote_meeting_has_no_key(cw):
    meeting = schedule(cw, [in_council(cw)], secret_ballot=False)
    meeting.refresh_from_db()
    assert meeting.ballot_key_id is None and meeting.ballot_public_key is None


def test_every_ballot_has_the_same_size_whatever_the_choice(cw, dossier, voting):
    for member, choice in zip(cw.members[:3], ["agree", "disagree", "agree"], strict=True):
        ms.ballot_cast(actor=member, meeting=voting, nominee=dossier.agenda_nominees[0], choice=choice)
    sizes = {len(bytes(b)) for b in SealedBallot.objects.values_list("sealed", flat=True)}
    assert len(sizes) == 1


def _voted(cw, dossier, voting, n=3):
    for member in cw.members[:n]:
        ms.ballot_cast(actor=member, meeting=voting, nominee=dossier.agenda_nominees[0], choice="agree")


def test_a_ballot_removed_from_the_box_stops_the_close(cw, dossier, voting):
    _voted(cw, dossier, voting)
    SealedBallot.objects.filter(pk=SealedBallot.objects.first().pk).delete()
    unchanged_after(
        lambda: ms.meeting_close(actor=cw.cchair, meeting=voting), TransitionNotAllowed, "tampered"
    )
    assert CouncilMeeting.objects.get(pk=voting.pk).state == MeetingState.VOTING


def test_a_ballot_added_to_the_box_stops_the_close(cw, dossier, voting):
    _voted(cw, dossier, voting)
    voting.refresh_from_db()
    item = voting.agenda.get(nominee=dossier.agenda_nominees[0])
    SealedBallot.objects.create(
        item=item,
        sealed=sealing.seal(voting.ballot_public_key, meeting_id=voting.pk, item_id=item.pk, choice="agree"),
    )
    unchanged_after(
        lambda: ms.meeting_close(actor=cw.cchair, meeting=voting), TransitionNotAllowed, "tampered"
    )


def test_an_altered_or_moved_ballot_stops_the_close(cw):
    dossier = in_council(cw, nominees=2)
    meeting = open_with(cw, schedule(cw, [dossier]))
    first, second = dossier.agenda_nominees
    ms.ballot_cast(actor=cw.member, meeting=meeting, nominee=first, choice="agree")
    ms.ballot_cast(actor=cw.member, meeting=meeting, nominee=second, choice="disagree")
    one, other = SealedBallot.objects.order_by("item__position")
    # Swapping the two sealed ballots between the nominees keeps each box's count: the seal,
    # bound to its nominee, is what catches it.
    SealedBallot.objects.filter(pk=one.pk).update(sealed=bytes(other.sealed))
    SealedBallot.objects.filter(pk=other.pk).update(sealed=bytes(one.sealed))
    unchanged_after(
        lambda: ms.meeting_close(actor=cw.cchair, meeting=meeting), TransitionNotAllowed, "tampered"
    )


def test_without_its_key_a_meeting_cannot_be_counted(cw, dossier, voting):
    _voted(cw, dossier, voting)
    voting.refresh_from_db()
    sealing.destroy_key(voting.ballot_key_id)
    unchanged_after(lambda: ms.meeting_close(actor=cw.cchair, meeting=voting), TransitionNotAllowed, "key")


def test_the_close_opens_comments_without_names_and_counts_every_ballot(cw):
    meeting, cast = _run_meeting(cw)
    ms.meeting_close(actor=cw.cchair, meeting=meeting)

    assert list(BallotComment.objects.values_list("comment", flat=True)) == [COMMENT]
    assert {f.name for f in BallotComment._meta.get_fields()} == {"id", "item", "comment"}
    assert Participation.objects.filter(item__meeting=meeting).count() == Ballot.objects.count() == len(cast)


def test_purging_keeps_the_keys_of_meetings_still_voting(cw, dossier, voting, tmp_path, settings):
    settings.BALLOT_KEYS_DIR = tmp_path
    live_id, _pub = sealing.new_key()
    dead_id, _pub = sealing.new_key()
    young_id, _pub = sealing.new_key()
    now = time.time()  # the clock the purge reads
    for key_id, age in ((live_id, 7200), (dead_id, 7200), (young_id, 60)):
        os.utime(tmp_path / f"{key_id.hex}.key", (now - age, now - age))

    gone = sealing.purge_keys([live_id])

    assert gone == [dead_id.hex]
    assert sealing.has_key(live_id) and sealing.has_key(young_id) and not sealing.has_key(dead_id)


def test_the_purge_command_keeps_the_key_of_a_meeting_still_voting(cw, settings, tmp_path):
    settings.BALLOT_KEYS_DIR = tmp_path
    voting = open_with(cw, schedule(cw, [in_council(cw)]))
    voting.refresh_from_db()
    orphan, _pub = sealing.new_key()  # a convening that rolled back
    now = time.time()
    for key_id in (voting.ballot_key_id, orphan):
        os.utime(sealing.keys_dir() / f"{key_id.hex}.key", (now - 7200, now - 7200))

    out = StringIO()
    call_command("purge_ballot_keys", stdout=out)

    assert out.getvalue().strip() == "destroyed 1 ballot key(s)"
    assert sealing.has_key(voting.ballot_key_id) and not sealing.has_key(orphan)
