"""The emulation services' audit exercises (tests/test_audit_coverage.py merges them): each
brings the `world` to where the service may run and calls it once."""

import datetime as dt

from dossiers.models import NomineeKind
from emulation import services
from emulation.models import RegistrationRequirement
from tests import factories as f


def plan_of(w):
    return services.plan_open(
        actor=w.officer,
        unit=w.commune,
        year=2026,
        title="Kế hoạch tổ chức phong trào thi đua năm 2026",
        registration_deadline=dt.date(2026, 3, 31),
    )


def registration_of(w, service=None):
    return (service or services.registration_add)(
        actor=w.staff_a,
        plan=plan_of(w),
        unit=w.school_a,
        award_type=f.award("tap-the-lao-dong-tien-tien"),
        kind=NomineeKind.COLLECTIVE,
        collective_unit=w.school_a,
    )


def override_of(w, service):
    """A draft of 2026 proposing Chiến sĩ thi đua cơ sở, never registered: the standing body overrides."""
    award = f.award("chien-si-thi-dua-co-so")
    RegistrationRequirement.objects.get_or_create(
        award_type=award, valid_from=dt.date(2024, 1, 1), defaults={"legal_basis": "Luật TĐKT 2022, Điều 12"}
    )
    plan_of(w)
    dossier = f.DossierFactory(unit=w.school_a, campaign=w.campaign, created_by=w.staff_a)
    nominee = f.NomineeFactory(dossier=dossier, award_type=award, date_of_birth=dt.date(1984, 5, 6))
    return service(actor=w.officer, nominee=nominee, reason="Tiếp nhận công tác sau hạn đăng ký.")


AUDIT_EXERCISES = {
    "emulation.services.plan_open": lambda w, service: service(
        actor=w.officer,
        unit=w.commune,
        year=2026,
        title="Kế hoạch tổ chức phong trào thi đua năm 2026",
        registration_deadline=dt.date(2026, 3, 31),
    ),
    "emulation.services.registration_add": lambda w, service: registration_of(w, service),
    "emulation.services.registration_withdraw": lambda w, service: service(
        actor=w.head_a, registration=registration_of(w), reason="Đơn vị rút đăng ký."
    ),
    "emulation.services.registration_override_record": lambda w, service: override_of(w, service),
}
