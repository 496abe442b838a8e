"""The engine's own awards in a nominee's history (dossiers.history asks every source it knows;
this one is registered when the approvals app loads, so dossiers never imports approvals)."""

from dossiers.history import HistoryEntry, Identity, identity_q, register_history_source

from .models import Award


def engine_awards(identity: Identity) -> list[HistoryEntry]:
    """Awards of the engine's decisions that were not revoked. The year is that of the period
    the award was for (the end of the campaign's period)."""
    q = identity_q(identity, prefix="nominee__")
    if q is None:
        return []
    awards = Award.objects.filter(q, revoked_by__isnull=True).select_related(
        "decision__issuer", "nominee__award_type", "nominee__dossier__campaign"
    )
    return [
        HistoryEntry(
            year=a.nominee.dossier.campaign.period_end.year,
            award_name=a.nominee.award_type.name,
            award_type_id=a.nominee.award_type_id,
            decision_number=a.decision.symbol,
            decision_date=a.decision.signed_on,
            issuer=a.decision.issuer.name,
            source="engine",
            obj=a,
        )
        for a in awards
    ]


def register() -> None:
    register_history_source(engine_awards)
