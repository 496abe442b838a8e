"""Suite-wide fixtures and collection rules."""

import datetime as dt
import os
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone, translation

from org.models import Role, UnitLevel

from . import factories as f

# Lifts the audit table's append-only guard around every TransactionTestCase flush
# (transactional_db, live_server); see audit/testing.py.
pytest_plugins = ["audit.testing"]


# The suite runs on Vietnam's clock at one instant of an ordinary working day, whatever the real
# date: deadlines count working days, so a run on a Saturday must not see other results. TEST_NOW
# (ISO 8601 with its offset) moves it; tests/run_calendar.sh runs the tests marked `calendar` on
# each day of a week and around Tết that way.
DEFAULT_NOW = "2026-03-11T09:00:00+07:00"  # a Wednesday of a week without holidays; 2025 rules in force


def pinned_now() -> dt.datetime:
    value = os.environ.get("TEST_NOW") or DEFAULT_NOW
    try:
        now = dt.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"TEST_NOW={value!r} is not an ISO 8601 date and time") from None
    if now.tzinfo is None:
        raise pytest.UsageError(f"TEST_NOW={value!r} needs its UTC offset, e.g. 2026-02-17T09:00:00+07:00")
    return now


PINNED_NOW = pinned_now()


def pytest_report_header(config):
    return f"clock pinned at {PINNED_NOW.isoformat()} (TEST_NOW to change it)"


@pytest.fixture(scope="session", autouse=True)
def _pinned_clock_for_the_session():
    """What a session makes once (signing certificates, the live server) is made at that instant
    too: a certificate issued on the real date would not be valid yet on the pinned one."""
    with time_machine.travel(PINNED_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _pinned_clock():
    """Every test starts at the same instant, whatever ran before it; the clock then runs (tick),
    so durations, ordering by time and the audit chain's increasing timestamps behave as in
    production. Python's clock only: Chromium keeps the real one (config/settings/test.py), and
    so does PostgreSQL, which stamps the audit chain's events (audit.services)."""
    with time_machine.travel(PINNED_NOW, tick=True):
        yield


def on_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` exercise PostgreSQL-only behaviour (row locks, advisory locks,
    pg_dump). On the SQLite run they are deselected, not skipped: `.ci/run` runs the suite again
    on PostgreSQL, where they all run."""
    if on_postgresql():
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _english():
    """Service messages are asserted in English (their source text); pages render in the
    language the request asks for (Vietnamese by default) through LocaleMiddleware."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and other cached state must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _rulebook_unkept():
    """What a process keeps of the rulebook (dossiers.rulebook) is kept under the stamp the
    database holds, which many tests share: each test starts with nothing kept, so that what a
    submission reads does not depend on the tests that ran before it."""
    from dossiers import rulebook

    rulebook.forget()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(db):
    """A province, a commune that grants awards (with its council), two schools under it, and one
    person per role. School A and school B are the two units whose data must never mix."""
    from django.apps import apps as django_apps

    from dossiers.models import AwardType
    from dossiers.reference_data import seed_reference_data

    if not AwardType.objects.exists():
        # The award types and rules are seeded by a migration; a transactional test run before
        # this one flushed them (whatever the order the tests run in).
        seed_reference_data(django_apps)
    province = f.UnitFactory(
        name="Thành phố Hà Nội", code="UBND", level=UnitLevel.PROVINCE, grants_awards=True
    )
    commune = f.UnitFactory(
        name="Phường Long Biên", code="UBND", level=UnitLevel.COMMUNE, parent=province, grants_awards=True
    )
    office = f.UnitFactory(name="Phòng Nội vụ", code="PNV", level=UnitLevel.OFFICE, parent=commune)
    school_a = f.UnitFactory(name="Trường THCS Ngọc Lâm", code="THCSNL", parent=commune)
    school_b = f.UnitFactory(name="Trường Tiểu học Gia Thụy", code="THGT", parent=commune)
    council = f.council_for(commune)
    campaign = f.CampaignFactory(name="Sáng kiến, sáng tạo Thủ đô", organizer=commune)
    w = SimpleNamespace(
        province=province,
        commune=commune,
        office=office,
        school_a=school_a,
        school_b=school_b,
        council=council,
        campaign=campaign,
        staff_a=f.user_with_role(Role.UNIT_STAFF, school_a, username="staff_a"),
        head_a=f.user_with_role(Role.UNIT_HEAD, school_a, username="head_a"),
        head_b=f.user_with_role(Role.UNIT_HEAD, school_b, username="head_b"),
        officer=f.user_with_role(Role.STANDING_OFFICER, commune, username="officer"),
        chair=f.user_with_role(Role.CHAIR, commune, username="chair"),
        inspector=f.user_with_role(Role.INSPECTOR, commune, username="inspector"),
        member=f.council_member(council, "member", username="member"),
    )
    w.today = timezone.localdate()
    return w


@pytest.fixture
def draft(world):
    """A draft of school A with one individual nominee for a Giấy khen, no files yet."""
    dossier = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    nominee = f.NomineeFactory(dossier=dossier, name="Nguyễn Thị Lan")
    dossier.nominee = nominee
    return dossier


@pytest.fixture
def complete_draft(draft, world):
    """The draft with every document a Giấy khen needs: tờ trình, biên bản, báo cáo thành tích."""
    from dossiers.services import attachment_add

    attachment_add(
        actor=world.staff_a, dossier=draft, kind=f.doc_kind("to-trinh"), uploaded_file=f.pdf_upload()
    )
    attachment_add(
        actor=world.staff_a,
        dossier=draft,
        kind=f.doc_kind("bien-ban"),
        uploaded_file=f.pdf_upload("bien-ban.pdf"),
    )
    attachment_add(
        actor=world.staff_a,
        dossier=draft,
        kind=f.doc_kind("bao-cao-thanh-tich"),
        nominee=draft.nominee,
        uploaded_file=f.pdf_upload("bao-cao.pdf"),
    )
    return draft
