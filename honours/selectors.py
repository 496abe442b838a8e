"""Reads that depend on who asks: the proposals a person may see, the candidates a province may
propose, and where a dossier's nominees went. Anything out of scope is a 404."""

from django.db.models import Count, Q
from django.http import Http404

from dossiers.models import CENTRAL_LEVEL, DossierState, Nominee, NomineeOutcome
from org.models import UnitLevel
from org.scopes import scopes_for

from .models import HonoursProposal, NomineeResult, ProposedNominee
from .permissions import READ_ROLES, STANDING_ROLES

APPROVED = (NomineeOutcome.VOTED_IN, NomineeOutcome.ELIGIBLE)


def assembling_units(user):
    from org.models import Unit

    ids = {s.unit_id for s in scopes_for(user) if s.role in STANDING_ROLES}
    return Unit.objects.filter(pk__in=ids, level=UnitLevel.PROVINCE).order_by("name")


def _scope_q(user) -> Q:
    if user.is_superuser:
        return Q()
    paths = [s.unit_path for s in scopes_for(user) if s.role in READ_ROLES]
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(unit__path__startswith=path)
    return q


def proposal_list_for(*, user):
    """The proposals of the provinces covered by the reader's roles, newest first, with counts."""
    return (
        HonoursProposal.objects.filter(_scope_q(user))
        .select_related("unit")
        .annotate(
            nominee_count=Count("entries", distinct=True),
            awarded_count=Count("entries", filter=Q(entries__result=NomineeResult.AWARDED), distinct=True),
        )
        .order_by("-year", "-pk")
    )


def entries_of(proposal):
    return list(
        ProposedNominee.objects.filter(proposal=proposal)
        .select_related(
            "nominee__award_type",
            "nominee__dossier__unit",
            "nominee__dossier__campaign",
            "nominee__source__dossier__unit",
            "award_record",
        )
        .order_by("pk")
    )


def proposal_get_for(*, user, pk) -> HonoursProposal:
    proposal = HonoursProposal.objects.filter(_scope_q(user)).select_related("unit").filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def candidates_q(unit) -> Q:
    """The nominees a province may propose upward: approved by its council (voted in, or found
    eligible), of a dossier it handles that waits at its chair's (awaiting a decision, which its
    chair cannot take: the award is decided at the central level), pinned to a central rule, and
    not proposed yet."""
    return Q(
        removed_at__isnull=True,
        dossier__reviewing_unit=unit,
        dossier__state=DossierState.AWAITING_DECISION,
        outcome__in=APPROVED,
        rule__deciding_level=CENTRAL_LEVEL,
        honours_entry__isnull=True,
    )


def candidates_for(unit):
    return (
        Nominee.objects.filter(candidates_q(unit))
        .select_related("award_type", "dossier__unit", "dossier__campaign")
        .order_by("dossier_id", "pk")
    )


def proposals_of_dossier(dossier):
    """Where the dossier's nominees were proposed and what came back (the source dossier's view)."""
    return (
        ProposedNominee.objects.filter(Q(nominee__dossier=dossier) | Q(nominee__source__dossier=dossier))
        .select_related("proposal", "nominee")
        .order_by("pk")
    )
