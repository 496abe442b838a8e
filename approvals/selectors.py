"""Reads of decisions, filtered by who asks: a decision the user may not see is a 404."""

from django.http import Http404

from dossiers.permissions import can_view_dossier

from .models import Decision
from .permissions import decision_dossiers, keeps_records_of


def access_decision(*, user, pk) -> Decision:
    """The decision `pk` for whoever may see one of the dossiers it speaks about (for a
    revocation, those of the decision it revokes); anyone else gets a 404, whether it exists or
    not. The records office of the issuing body reads it too. It comes with what its pages and the API show: `covered_dossiers`, `award_list` (its
    awards; for a revocation, the awards it revoked) and their `total_amount`."""
    try:
        decision = (
            Decision.objects.select_related("issuer", "signed_by", "revokes__issuer")
            .prefetch_related("revoked_by__issuer")
            .get(pk=pk)
        )
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    dossiers = decision_dossiers(decision)
    for dossier in dossiers:  # the page links only the dossiers the user may open
        dossier.viewable = can_view_dossier(user, dossier)
    if not any(d.viewable for d in dossiers) and not keeps_records_of(user, decision):
        raise Http404
    decision.covered_dossiers = dossiers
    awards = decision.revoked_awards if decision.revokes_id else decision.awards
    decision.award_list = list(
        awards.select_related("nominee__award_type", "nominee__dossier", "revoked_by__issuer").order_by(
            "nominee__kind", "nominee__name", "pk"
        )
    )
    decision.total_amount = sum(a.amount for a in decision.award_list)
    return decision
