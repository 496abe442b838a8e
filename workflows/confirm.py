"""What a confirmation page shows and the token of what was confirmed.

Submit, return and decide are confirmed on a page (GET) that shows what will be sent or decided;
the action (POST) carries `confirm_token`, a digest of the dossier as it was shown: its state, its
last change, its current nominees and files. If anything changed in between, the token no longer
matches and the action is refused (the user looks again). The services still decide everything.
"""

import hashlib

from django.utils.translation import gettext as _

from approvals.models import Decision, DecisionKind
from approvals.services import _awardees_of, decision_plan
from documents.contexts import decision_context
from dossiers.models import Attachment, Nominee
from org.errors import TransitionNotAllowed

TOKEN_FIELD = "confirm_token"


def dossier_token(dossier) -> str:
    """A digest of what the confirmation page of `dossier` showed (two queries)."""
    nominees = (
        Nominee.objects.current()
        .filter(dossier_id=dossier.pk)
        .order_by("pk")
        .values_list("pk", "name", "kind", "award_type_id", "outcome")
    )
    attachments = (
        Attachment.objects.filter(dossier_id=dossier.pk, detached=False).order_by("pk").values_list("pk")
    )
    facts = [dossier.pk, dossier.state, dossier.updated_at.isoformat(), list(nominees), list(attachments)]
    return hashlib.sha256(repr(facts).encode()).hexdigest()[:32]


def require_token(data, dossier) -> None:
    """Refuse an action whose confirmation does not match the dossier as it is now."""
    given = (data.get(TOKEN_FIELD) or "").strip()
    if not given:
        raise TransitionNotAllowed(
            _("Confirm this step on its confirmation page first: it shows what will be done.")
        )
    if given != dossier_token(dossier):
        raise TransitionNotAllowed(
            _(
                "The dossier changed after you confirmed (its state, nominees or files): nothing was "
                "done. Look at it again and confirm anew."
            )
        )


def current_attachments(dossier) -> list[Attachment]:
    """The latest version of each file of the dossier (each kind, per nominee)."""
    latest = {}
    for a in (
        Attachment.objects.filter(dossier_id=dossier.pk, detached=False)
        .select_related("kind", "nominee")
        .order_by("kind__name", "nominee_id", "-version")
    ):
        latest.setdefault((a.kind_id, a.nominee_id), a)
    return list(latest.values())


def decision_annex(dossier, signed_on=None) -> dict:
    """The annex the decision would carry: each awardee with the award and the cash (several
    titles for the same period pay the highest only), and the total; `problem` says why the
    amounts cannot be known (no base salary in force)."""
    plan = decision_plan(dossiers=[dossier], signed_on=signed_on)
    problem = "" if plan["base_salary"] else " ".join(plan["problems"])
    if plan["base_salary"]:
        rows = [
            {"nominee": p.nominee, "award": p.nominee.award_type, "amount": p.amount} for p in plan["planned"]
        ]
    else:
        rows = [{"nominee": n, "award": n.award_type, "amount": None} for _d, n in _awardees_of([dossier])]
    total = sum(r["amount"] or 0 for r in rows)
    return {
        "rows": rows,
        "total": total,
        "base_salary": plan["base_salary"],
        "problem": problem,
        "day": plan["day"],
    }


def batch_token(dossiers) -> str:
    """A digest of the dossiers a decision's confirmation showed (each as dossier_token sees it)."""
    facts = [dossier_token(d) for d in sorted(dossiers, key=lambda d: d.pk)]
    return hashlib.sha256(repr(facts).encode()).hexdigest()[:32]


def require_batch_token(data, dossiers) -> None:
    """Refuse a decision whose confirmation does not match its dossiers as they are now."""
    given = (data.get(TOKEN_FIELD) or "").strip()
    if not given:
        raise TransitionNotAllowed(
            _("Confirm this step on its confirmation page first: it shows what will be done.")
        )
    if given != batch_token(dossiers):
        raise TransitionNotAllowed(
            _(
                "A dossier of the decision changed after you confirmed (its state, nominees or files): "
                "nothing was done. Look at the decision again and confirm anew."
            )
        )


def decision_preview(*, actor, dossiers, title, signed_on=None, capacity="") -> dict:
    """What the decision on `dossiers` would say, before anyone signs: the plan of its awards (the
    highest only), the problems that would refuse it and, when it can be written, the document's
    context marked as a draft (no number, no date: the register gives them at signing)."""
    plan = decision_plan(dossiers=dossiers, signed_on=signed_on)
    document = None
    if dossiers and plan["base_salary"]:
        unsigned = Decision(
            issuer=dossiers[0].reviewing_unit,
            year=plan["day"].year,
            number=0,
            kind=DecisionKind.AWARD,
            title=title or "",
            signed_on=plan["day"],
            signed_by=actor,
            signer_capacity=capacity or "",
            base_salary=plan["base_salary"],
        )
        document = decision_context(unsigned, awards=plan["planned"], dossiers=dossiers, draft=True)
    total = sum(p.amount for p in plan["planned"])
    return {**plan, "document": document, "total": total}
