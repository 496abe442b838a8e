"""Suite-wide fixtures and collection rules."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone, translation

from org.models import Role, UnitLevel

from . import factories as f

# Lifts the audit table's append-only guard around every TransactionTestCase flush
# (transactional_db, live_server); see audit/testing.py.
pytest_plugins = ["audit.testing"]


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
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(db):
    """A province, a commune that grants awards (with its council), two schools under it, and one
    person per role. School A and school B are the two units whose data must never mix."""
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
