"""Two organisers (or a double click) at once: the ranking is written once and the results
decision takes one number from the register; the other gets a precise refusal and nothing is lost."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from contests import results_services as results
from contests.models import Placing
from org.errors import TransitionNotAllowed
from org.models import RegisterEntry, Role
from tests import factories as f

from .builders import make_contest

pytestmark = pytest.mark.django_db


def test_a_second_ranking_or_decision_is_refused_and_changes_nothing(world):
    contest = make_contest(world)
    results.contest_rank(actor=world.officer, contest=contest)
    before = list(Placing.objects.filter(contest=contest).order_by("pk").values_list("pk", "rank", "amount"))
    with pytest.raises(TransitionNotAllowed):
        results.contest_rank(actor=world.officer, contest=contest)
    assert (
        list(Placing.objects.filter(contest=contest).order_by("pk").values_list("pk", "rank", "amount"))
        == before
    )


def _at_once(calls):
    start = threading.Barrier(len(calls))
    done, refused, errors = [], [], []

    def run(call):
        try:
            translation.activate("en")
            start.wait()
            done.append(call())
        except TransitionNotAllowed as exc:
            refused.append(str(exc.message))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return done, refused, errors


@pytest.mark.postgres
def test_two_organisers_at_once_rank_once_and_prepare_one_decision(transactional_db, world, keys):
    from django.apps import apps

    from dossiers.reference_data import seed_reference_data

    seed_reference_data(apps)
    contest = make_contest(world)
    other = f.user_with_role(Role.STANDING_LEADER, world.commune, username="leader")
    done, refused, errors = _at_once(
        [lambda u=u: results.contest_rank(actor=u, contest=contest) for u in (world.officer, other)]
    )
    assert errors == [] and len(done) == 1 and len(refused) == 1
    assert "cannot be ranked now" in refused[0]
    assert Placing.objects.filter(contest=contest).count() == 24

    done, refused, errors = _at_once(
        [
            lambda u=u: results.contest_decision_prepare(actor=u, contest=contest, signer=world.chair)
            for u in (world.officer, other)
        ]
    )
    assert errors == [] and len(done) == 1 and len(refused) == 1
    assert "already been prepared" in refused[0]
    assert RegisterEntry.objects.filter(register__unit=world.commune).count() == 1
