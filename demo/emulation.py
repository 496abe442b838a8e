"""The year's emulation plan in the demo (Luật Thi đua, khen thưởng 2022, Điều 12; seeds 003 and
004: "đăng ký, giới thiệu điển hình tiên tiến"): Phường Long Biên's plan for the year with its
registration deadline, the schools' registrations of their collectives and of every nominee the
demo dossiers propose for a title that requires one (so the drafts stay submittable), and one
nominee never registered whom the standing body let through, with its reason (shown on the
dossier's page). Trạm Y tế and the other units under the ward have registered nothing yet: the
overview lists them. Everything goes through the emulation services and their audit events.
Idempotent: a second run changes nothing."""

import contextlib
import datetime as dt

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from dossiers.models import AwardType, Dossier, Nominee, NomineeKind
from emulation import services
from emulation.checks import _requirements, applicable_plans, registrable_award_types
from emulation.models import EmulationPlan
from emulation.reference_data import seed_registration_requirements
from org.errors import TransitionNotAllowed
from org.models import Role, RoleAssignment, Unit

COMMUNE = "Phường Long Biên"
# The nominee the standing body lets through without a registration: Phùng Văn Nam's dossier
# (Trường Tiểu học Gia Thụy, "Đề nghị Chiến sĩ thi đua cơ sở") waits for its documents.
OVERRIDE_DOSSIER = "Đề nghị Chiến sĩ thi đua cơ sở"
OVERRIDE_REASON = (
    "Đồng chí được điều động về trường từ ngày 15/02, sau khi trường cũ đã gửi bản đăng ký thi đua; "
    "thành tích năm học được trường cũ xác nhận (Công văn số 45/THCS-VP)."
)
# The schools' own collective registrations (the unit itself, "Tập thể lao động tiên tiến").
COLLECTIVES = ["Trường THCS Ngọc Lâm", "Trường Tiểu học Gia Thụy", "Trường Mầm non Hoa Sữa"]


def _deadline(today) -> dt.date:
    """31 March of the year, or (a demo started later in the year) a fortnight ahead, so that the
    units can still register through the pages."""
    deadline = dt.date(today.year, 3, 31)
    if today > deadline:
        deadline = min(today + dt.timedelta(days=14), dt.date(today.year, 12, 31))
    return deadline


def _registrar(unit):
    """The unit's emulation officer, else its head."""
    for role in (Role.UNIT_STAFF, Role.UNIT_HEAD):
        assignment = RoleAssignment.objects.filter(role=role, unit=unit).select_related("user").first()
        if assignment:
            return assignment.user
    return None


def seed_demo_emulation() -> None:
    if not django_apps.get_model("emulation", "RegistrationRequirement").objects.exists():
        seed_registration_requirements(django_apps)
    commune = Unit.objects.filter(name=COMMUNE).first()
    officer = get_user_model().objects.filter(username="officer").first()
    if commune is None or officer is None:
        return
    today = timezone.localdate()
    if EmulationPlan.objects.filter(unit=commune, year=today.year).exists():
        return
    plan = services.plan_open(
        actor=officer,
        unit=commune,
        year=today.year,
        title=f"Kế hoạch tổ chức phong trào thi đua và đăng ký danh hiệu thi đua năm {today.year}",
        number="15/KH-UBND",
        issued_on=min(today, dt.date(today.year, 1, 15)),
        registration_deadline=_deadline(today),
        legal_basis=(
            "Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 152/2025/NĐ-CP; Kế hoạch số "
            "19/KH-HĐTĐKT về phong trào thi đua “Sáng kiến, sáng tạo Thủ đô” giai đoạn 2021–2025"
        ),
    )
    tien_tien = AwardType.objects.get(code="tap-the-lao-dong-tien-tien")
    for unit in Unit.objects.filter(name__in=COLLECTIVES, path__startswith=commune.path):
        services.registration_add(
            actor=_registrar(unit),
            plan=plan,
            unit=unit,
            award_type=tien_tien,
            kind=NomineeKind.COLLECTIVE,
            collective_unit=unit,
        )
    # Every nominee of the year's dossiers proposed for a title that requires a registration.
    dossiers = Dossier.objects.filter(unit__path__startswith=commune.path).select_related("unit", "campaign")
    for dossier in dossiers.order_by("pk"):
        if not applicable_plans(dossier):
            continue
        nominees = list(Nominee.objects.current().filter(dossier=dossier).select_related("award_type"))
        required = _requirements([n.award_type_id for n in nominees], [plan])
        registrable = set(registrable_award_types(plan, today).values_list("pk", flat=True))
        for nominee in nominees:
            if nominee.award_type_id not in required:
                continue
            if dossier.title == OVERRIDE_DOSSIER:
                services.registration_override_record(actor=officer, nominee=nominee, reason=OVERRIDE_REASON)
                continue
            # A title of a higher level is registered in that level's plan, not the commune's: the
            # demo has no province plan, so the standing body lets the unsubmitted ones be proposed.
            if nominee.award_type_id in registrable:
                _register(plan, dossier.unit, nominee)
            elif dossier.state in ("draft", "returned"):
                services.registration_override_record(actor=officer, nominee=nominee, reason=HIGHER_REASON)


HIGHER_REASON = "Danh hiệu cấp tỉnh: đăng ký theo kế hoạch thi đua của UBND Thành phố."


def _register(plan, unit, nominee):
    if nominee.kind == NomineeKind.COLLECTIVE:
        fields = {"collective_unit": nominee.collective_unit or unit}
    else:
        fields = {
            "person": nominee.person,
            "name": nominee.name,
            "date_of_birth": nominee.date_of_birth,
            "position": nominee.position,
        }
    # Proposed in two dossiers (e.g. withdrawn, then proposed again): registered once.
    with contextlib.suppress(TransitionNotAllowed):
        services.registration_add(
            actor=_registrar(unit),
            plan=plan,
            unit=unit,
            award_type=nominee.award_type,
            kind=nominee.kind,
            **fields,
        )
