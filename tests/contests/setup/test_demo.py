"""The demo's contest (demo/contests.py): Sở Nội vụ's open contest with seed 002's 20 prizes, a jury
of five with its chair, entries of four units (Gia Thụy at its cap), Ngọc Lâm's third entry left
for `unit_head` to send; built once."""

import pytest

from contests import services
from contests.models import Contest, ContestState, EntryState
from demo.contests import NAME, seed_demo_contests
from org.models import Role, UnitLevel
from tests import factories as f

pytestmark = pytest.mark.django_db


class Pdf:
    def render(self, *, title, paragraphs, **_):
        return f.pdf_bytes(paragraphs[0])


@pytest.fixture
def city(db):
    hanoi = f.UnitFactory(name="Thành phố Hà Nội", level=UnitLevel.PROVINCE)
    units = {"hanoi": hanoi}
    for key, name in (
        ("snv", "Sở Nội vụ thành phố Hà Nội"),
        ("skhcn", "Sở Khoa học và Công nghệ"),
        ("giathuy", "Trường Tiểu học Gia Thụy"),
        ("ngoclam", "Trường THCS Ngọc Lâm"),
        ("hoasua", "Trường Mầm non Hoa Sữa"),
        ("tramyte", "Trạm Y tế phường Long Biên"),
    ):
        units[key] = f.UnitFactory(name=name, parent=hanoi)
    for username, key in (
        ("unit_head", "ngoclam"),
        ("head_giathuy", "giathuy"),
        ("head_hoasua", "hoasua"),
        ("head_tramyte", "tramyte"),
    ):
        units[username] = f.user_with_role(Role.UNIT_HEAD, units[key], username=username)
    return units


def test_the_demo_contest_is_open_with_a_unit_at_its_cap_and_a_draft_to_send(city):
    seed_demo_contests(Pdf())
    seed_demo_contests(Pdf())  # idempotent
    contest = Contest.objects.get(name=NAME)
    assert contest.state == ContestState.OPEN and contest.organizer == city["snv"]
    assert services.prize_totals(contest.prizes.all()) == {"count": 20, "cash": 73_000_000}
    assert contest.jurors.count() == 5 and contest.jurors.get(role="chair").user.username == "giamkhao1"
    sent = contest.entries.filter(state=EntryState.SUBMITTED)
    assert sent.filter(unit=city["giathuy"]).count() == 3
    assert sent.values("unit").distinct().count() == 4
    draft = contest.entries.get(state=EntryState.DRAFT)
    assert draft.unit == city["ngoclam"]
    assert services.entry_send(actor=city["unit_head"], entry=draft).state == EntryState.SUBMITTED
