import datetime as dt

import pytest
from django.apps import apps as django_apps

from emulation import services
from emulation.models import RegistrationRequirement
from emulation.reference_data import seed_registration_requirements
from org.models import Role
from tests import factories as f

DEADLINE = dt.date(2026, 3, 31)  # the clock is pinned at 11/03/2026


@pytest.fixture
def requirements(world):
    """The seeded requirements (a transactional test may have flushed them), and, for the tests,
    one on the Giấy khen the `draft` fixture proposes, so its complete dossier needs a registration."""
    if not RegistrationRequirement.objects.exists():
        seed_registration_requirements(django_apps)
    RegistrationRequirement.objects.create(
        award_type=f.award("giay-khen"),
        valid_from=dt.date(2026, 1, 1),
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
        year=2026,
        title="Kế hoạch tổ chức phong trào thi đua năm 2026",
        number="12/KH-UBND",
        issued_on=dt.date(2026, 1, 15),
        registration_deadline=DEADLINE,
        legal_basis="Luật Thi đua, khen thưởng số 06/2022/QH15",
    )


@pytest.fixture
def past_plan(plan):
    """The same plan with its deadline passed (set on the row: no service moves a deadline back)."""
    plan.registration_deadline = dt.date(2026, 2, 28)
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
