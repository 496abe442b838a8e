"""What the clusters answer to the layers below them (through settings, never by import)."""

from .models import ClusterMembership, ClusterTerm, TermState


def collective_unit_allowed(dossier, unit) -> bool:
    """A cluster's leader unit proposes its fellow members (units beside it, not under it) as
    collective nominees of its proposal dossier: `unit` was a member of a ranked year `dossier`'s
    unit led (settings.DOSSIER_COLLECTIVE_UNIT_ALLOWED)."""
    years = ClusterTerm.objects.filter(leader_id=dossier.unit_id, state=TermState.CLOSED)
    return ClusterMembership.objects.filter(
        unit_id=unit.pk,
        cluster_id__in=years.values("cluster_id"),
        year__in=years.values("year"),
    ).exists()
