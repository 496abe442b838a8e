"""The numbers the commune's records office (văn thư) issued on paper before the system was used
this year, recorded in its registers so that the system's numbers visibly skip them (the first
decision the demo issues is 03/QĐ-UBND, the first minutes 02/BB-HĐTĐKT)."""

import datetime as dt

from django.utils import timezone

from org.models import RegisterSeries, Role, RoleAssignment, Unit
from org.register_services import register_record_outside

from .signing import ensure_records_clerks

# Issued on paper by UBND phường Long Biên this year: (series, number, symbol, month, day, subject)
OUTSIDE = [
    (
        RegisterSeries.DOCUMENTS,
        1,
        "KH-UBND",
        1,
        5,
        "Kế hoạch tổ chức phong trào thi đua “Sáng kiến, sáng tạo” năm {year}",
    ),
    (
        RegisterSeries.DOCUMENTS,
        2,
        "CV-UBND",
        1,
        20,
        "Về việc hướng dẫn hồ sơ đề nghị khen thưởng năm {year}",
    ),
    (
        RegisterSeries.COUNCIL,
        1,
        "BB-HĐTĐKT",
        1,
        15,
        "Biên bản họp Hội đồng Thi đua - Khen thưởng phường triển khai nhiệm vụ năm {year}",
    ),
]


def seed_demo_registers() -> None:
    """The commune's paper numbers of this year (dated no later than today), recorded by its
    records clerk (demo.signing makes the clerks: the records office also issues the decisions)."""
    ensure_records_clerks()
    commune = Unit.objects.get(name="Phường Long Biên", grants_awards=True)
    clerk = (
        RoleAssignment.objects.filter(role=Role.RECORDS_CLERK, unit=commune)
        .select_related("user")
        .first()
        .user
    )
    today = timezone.localdate()
    for series, number, symbol, month, day, subject in OUTSIDE:
        register_record_outside(
            actor=clerk,
            unit=commune,
            year=today.year,
            number=number,
            symbol=symbol,
            issued_on=min(dt.date(today.year, month, day), today),
            subject=subject.format(year=today.year),
            series=series,
        )
