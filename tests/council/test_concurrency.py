"""Eleven members vote at once on twenty nominees while the chairperson closes the vote, on
PostgreSQL with real connections: every vote committed before the close is counted exactly
once, every vote after it is refused, and the tally equals a recount of the ballots."""

import random
import threading
from collections import Counter

import pytest
from django.apps import apps
from django.db import connection
from django.utils import translation

from approvals import meeting_services as ms
from approvals.models import AgendaItem, Ballot, MeetingState, Participation
from audit.selectors import events_exported
from audit.verify import verify_events
from dossiers.models import Dossier, DossierState
from dossiers.reference_data import seed_reference_data
from org.errors import TransitionNotAllowed
from tests import factories as f
from workflows import council

from .conftest import open_with, schedule
from .test_handoff import flowing_dossier

MEMBERS = 11
CLOSE_AFTER = 100  # successful votes before the chairperson closes (of 11 × 20 = 220)


@pytest.mark.postgres
def test_votes_racing_the_close_are_counted_exactly_once_or_refused(transactional_db, world):
    seed_reference_data(apps)  # the data migration's rows are gone after an earlier flush
    w = world
    w.cchair = f.council_member(w.council, "chair", username="cchair")
    w.secretary = f.council_member(w.council, "secretary", username="secretary")
    w.members = [w.cchair, w.secretary, w.member] + [
        f.council_member(w.council, "member", username=f"m{i}") for i in range(MEMBERS - 3)
    ]
    dossiers = [flowing_dossier(w, nominees=5) for _ in range(4)]
    nominees = [n for d in dossiers for n in d.agenda_nominees]
    meeting = open_with(w, schedule(w, dossiers))
    assert (len(nominees), meeting.members_total) == (20, MEMBERS)

    cast, refused, errors = [], [], []
    lock = threading.Lock()
    enough = threading.Event()
    start = threading.Barrier(MEMBERS + 1)

    def member(index):
        user = w.members[index]
        order = random.Random(index).sample(nominees, len(nominees))
        try:
            translation.activate("en")  # the messages asserted below (threads start in the default, vi)
            start.wait()
            for nominee in order:
                choice = random.choice(["agree", "agree", "disagree"])
                try:
                    ms.ballot_cast(actor=user, meeting=meeting, nominee=nominee, choice=choice)
                except TransitionNotAllowed as exc:
                    with lock:
                        refused.append((user.pk, nominee.pk, str(exc)))
                    continue
                with lock:
                    cast.append((user.pk, nominee.pk, choice))
                    if len(cast) >= CLOSE_AFTER:
                        enough.set()
        except Exception as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    closed = []

    def chairperson():
        try:
            start.wait()
            enough.wait(timeout=60)
            closed.append(council.meeting_close(actor=w.cchair, meeting=meeting))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=member, args=(i,)) for i in range(MEMBERS)]
    threads.append(threading.Thread(target=chairperson))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(closed) == 1
    assert cast and refused, "the close should fall in the middle of the vote"
    assert {message for *_, message in refused} == {
        "The vote of this meeting is closed: nothing can be cast or changed."
    }
    assert len(cast) + len(refused) == MEMBERS * len(nominees)
    # Exactly once: one participation per vote that went through, none for a refused one.
    assert sorted(Participation.objects.values_list("member_id", "item__nominee_id")) == sorted(
        (m, n) for m, n, _ in cast
    )
    told = Counter((n, c) for _, n, c in cast)
    recount = Counter(Ballot.objects.values_list("item__nominee_id", "choice"))
    assert recount == told
    for item in AgendaItem.objects.filter(meeting=meeting):
        assert (item.votes_for, item.votes_against) == (
            told[(item.nominee_id, "agree")],
            told[(item.nominee_id, "disagree")],
        )
    results = closed[0]
    assert sum(r["votes_for"] + r["votes_against"] for d in results.values() for r in d.values()) == len(cast)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CLOSED
    assert set(Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).values_list("state", flat=True)) == {
        DossierState.COUNCIL_VOTED
    }
    assert verify_events(events_exported()).ok
