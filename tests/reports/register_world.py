"""Awards for the register and dashboard tests: decided by the engine (a decided dossier, its
decision and the award, as the chair's decision leaves them) or recorded from elsewhere (through
the recording service)."""

import datetime as dt
import itertools

from approvals.models import Award
from dossiers.history_services import award_record_add
from tests import factories as f

_numbers = itertools.count(1)


def decided_award(w, *, name, year, unit=None, code="giay-khen", kind="individual", **nominee_fields):
    """An award of the commune chair's decision for the period ending in `year`."""
    campaign = f.CampaignFactory(
        organizer=w.commune,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        submission_deadline=dt.date(year, 11, 1),
    )
    dossier = f.DossierFactory(
        unit=unit or w.school_a, campaign=campaign, created_by=w.staff_a, state="decided"
    )
    nominee = f.NomineeFactory(
        dossier=dossier, name=name, kind=kind, award_type=f.award(code), outcome="awarded", **nominee_fields
    )
    decision = f.decision(
        w.commune, w.chair, number=next(_numbers), signed_on=dt.date(year + 1, 1, 15), dossiers=[dossier]
    )
    return Award.objects.create(decision=decision, nominee=nominee, amount=702_000)


def recorded_award(w, *, name, year, unit=None, code="chien-si-thi-dua-co-so", **extra):
    """An award decided on paper, recorded by the commune's standing body."""
    values = dict(
        kind="individual",
        unit=unit or w.school_a,
        name=name,
        award_type=f.award(code) if code else None,
        year=year,
        decision_number=f"{year - 2000}/QĐ-UBND",
        decision_date=dt.date(year, 12, 20),
        issuer="Chủ tịch Ủy ban nhân dân phường Long Biên",
    )
    values.update(extra)
    return award_record_add(actor=w.officer, **values)
