import datetime as dt

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from emulation import services
from emulation.models import RegistrationRequirement
from emulation.reference_data import seed_registration_requirements
from org.models import Role
from tests import factories as f


def plan_year() -> int:
    """The year of the campaigns' period (tests/factories.py: it ends 60 days from today), so the
    plan applies to the test's dossiers on whatever day the calendar tests run them."""
    return (timezone.localdate() + dt.timedelta(days=60)).year


def deadline() -> dt.date:
    """Twenty days ahead: 31/03/2026 on the suite's pinned day (11/03/2026)."""
    return timezone.localdate() + dt.timedelta(days=20)


@pytest.fixture
def requirements(world):
    """The seeded requirements (a transactional test may have flushed them), and, for the tests,
    one on the Giấy khen the `draft` fixture proposes, so its complete dossier needs a registration."""
    if not RegistrationRequirement.objects.exists():
        seed_registration_requirements(django_apps)
    RegistrationRequirement.objects.create(
        award_type=f.award("giay-khen"),
        valid_from=dt.date(plan_year() - 1, 1, 1),
        legal_basis="Quy định thử của địa phương",
    )


@pytest.fixture
def leader(world):
    return f.user_with_role(Role.STANDING_LEADER, world.commune, username="leader")


@pytest.fixture
def plan(world, requirements):
    return services.plan_open(
        actor=world.officer,
        unit=world.commune,
        year=plan_year(),
        title=f"Kế hoạch tổ chức phong trào thi đua năm {plan_year()}",
        number="12/KH-UBND",
        issued_on=timezone.localdate() - dt.timedelta(days=55),
        registration_deadline=deadline(),
        legal_basis="Luật Thi đua, khen thưởng số 06/2022/QH15",
    )


@pytest.fixture
def past_plan(plan):
    """The same plan with its deadline passed (set on the row: no service moves a deadline back)."""
    plan.registration_deadline = timezone.localdate() - dt.timedelta(days=11)  # 28/02/2026 on the pinned day
    plan.save(update_fields=["registration_deadline"])
    return plan


def register_name(world, plan, name="Nguyễn Thị Lan", award="giay-khen", dob=dt.date(1985, 4, 2), actor=None):
    return services.registration_add(
        actor=actor or world.staff_a,
        plan=plan,
        unit=world.school_a,
        award_type=f.award(award),
        kind="individual",
        name=name,
        date_of_birth=dob,
        position="Giáo viên",
    )
