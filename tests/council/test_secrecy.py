"""The secret ballot: nothing stored links a ballot to the member who cast it.

The participation (who voted on which nominee) is public, in the minutes; the ballot (what was
voted on which nominee) is anonymous. A link would be: a column of the ballot that names the
member, a time that matches the participation's, or any order of the ballots (key, column,
physical row, inserting transaction) that reproduces the order in which members voted.
"""

import uuid

from django.conf import settings
from django.db import connection, models

from approvals import meeting_services as ms
from approvals.models import Ballot, Participation
from tests.conftest import on_postgresql

from .conftest import in_council, open_with, schedule

TIME_FIELDS = (models.DateField, models.DateTimeField, models.TimeField, models.DurationField)


def test_a_ballot_has_no_member_no_time_and_a_random_key():
    fields = {f.name: f for f in Ballot._meta.get_fields()}

    assert set(fields) == {"id", "item", "choice"}
    assert not [
        f
        for f in fields.values()
        if f.is_relation and f.related_model._meta.label == settings.AUTH_USER_MODEL
    ]
    assert not [f for f in fields.values() if isinstance(f, TIME_FIELDS)]
    pk = Ballot._meta.pk
    assert isinstance(pk, models.UUIDField) and pk.default is uuid.uuid4
    assert not Ballot._meta.ordering and not Ballot._meta.get_latest_by


def test_a_participation_carries_no_ballot_and_no_time():
    fields = Participation._meta.get_fields()

    assert not [f for f in fields if f.is_relation and f.related_model is Ballot]
    assert not [f for f in fields if isinstance(f, TIME_FIELDS)]
    assert not [f for f in Ballot._meta.get_fields() if f.is_relation and f.related_model is Participation]


def _physical_orders():
    """The orders a database keeps without being asked: the row's storage position (SQLite's
    rowid, PostgreSQL's ctid)."""
    column = "ctid" if on_postgresql() else "rowid"
    return {f"by {column}": f"SELECT item_id, choice FROM approvals_ballot ORDER BY {column}"}


def _orders():
    orders = {
        "by pk": list(Ballot.objects.order_by("pk").values_list("item_id", "choice")),
        "by item, pk": list(Ballot.objects.order_by("item_id", "pk").values_list("item_id", "choice")),
        "by choice, pk": list(Ballot.objects.order_by("choice", "pk").values_list("item_id", "choice")),
        "unordered": list(Ballot.objects.values_list("item_id", "choice")),
    }
    with connection.cursor() as cursor:
        for name, sql in _physical_orders().items():
            cursor.execute(sql)
            orders[name] = cursor.fetchall()
    return orders


def _per_item(sequence):
    per_item = {}
    for item_id, choice in sequence:
        per_item.setdefault(item_id, []).append(choice)
    return per_item


TRIALS = 4


def test_no_order_of_the_ballots_reproduces_the_order_of_the_votes(cw):
    """Members vote one after another on three nominees, in a known order with mixed choices;
    whatever order the ballots are read in, the sequence of choices on each nominee does not
    come out as the members cast them (checked on several meetings; a random order matches by
    chance with a probability below 1 in 2,000,000)."""
    reproduced = []
    for trial in range(TRIALS):
        Ballot.objects.all().delete()
        dossier = in_council(cw, nominees=3)
        meeting = open_with(cw, schedule(cw, [dossier]))
        cast = []
        for i, member in enumerate(cw.members):
            for j, nominee in enumerate(dossier.agenda_nominees):
                choice = "agree" if (i + j + trial) % 2 else "disagree"
                ms.ballot_cast(actor=member, meeting=meeting, nominee=nominee, choice=choice)
                cast.append((meeting.agenda.get(nominee=nominee).pk, choice))
        ms.meeting_close(actor=cw.cchair, meeting=meeting)
        in_cast_order = _per_item(cast)
        # The participations are in the order of the votes (they are public: who voted, when).
        assert [p.member_id for p in Participation.objects.filter(item__meeting=meeting).order_by("pk")][
            ::3
        ] == [m.pk for m in cw.members]
        for name, sequence in _orders().items():
            assert sorted(sequence) == sorted(cast)  # every ballot is there, once
            if _per_item(sequence) == in_cast_order:
                reproduced.append((trial, name))

    assert reproduced == []
