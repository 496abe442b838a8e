"""A signed decision is never changed (Luật TĐKT 2022: an award is withdrawn by a new decision
citing the old one, never by editing it). approvals' services never edit a decision, but the
admin, a shell or a future service could: these guards refuse any save that would change what
a signed decision says — its fields, its awards' amounts and nominees, the dossiers it covers.
Marking an award revoked (by the revocation decision) stays possible: that is not a change of
the decision's text.
"""

from django.db.models.signals import m2m_changed, pre_save
from django.utils.translation import gettext as _

from approvals.models import Award, Decision
from org.errors import TransitionNotAllowed

from .models import GeneratedDocument, GeneratedKind

DECISION_FIELDS = [
    "issuer_id",
    "year",
    "number",
    "kind",
    "title",
    "signed_on",
    "signed_by_id",
    "signer_capacity",
    "revokes_id",
    "reason",
    "base_salary",
]
AWARD_FIELDS = ["decision_id", "nominee_id", "amount"]


def is_signed(decision_id) -> bool:
    return GeneratedDocument.objects.filter(
        decision_id=decision_id, kind__in=[GeneratedKind.DECISION, GeneratedKind.REVOCATION], signed=True
    ).exists()


def _refuse(decision_id):
    symbol = Decision.objects.select_related("issuer").get(pk=decision_id).symbol
    raise TransitionNotAllowed(
        _("Decision %(symbol)s is signed: it is never changed. Revoke it by a new decision.")
        % {"symbol": symbol}
    )


def _changed(model, instance, fields) -> bool:
    before = model.objects.filter(pk=instance.pk).values(*fields).first()
    return before is None or any(before[f] != getattr(instance, f) for f in fields)


def guard_decision(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or not is_signed(instance.pk):
        return
    if _changed(Decision, instance, DECISION_FIELDS):
        _refuse(instance.pk)


def guard_award(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance.pk is None:
        if instance.decision_id and is_signed(instance.decision_id):
            _refuse(instance.decision_id)
        return
    old_decision = Award.objects.filter(pk=instance.pk).values_list("decision_id", flat=True).first()
    for decision_id in {old_decision, instance.decision_id} - {None}:
        if is_signed(decision_id) and _changed(Award, instance, AWARD_FIELDS):
            _refuse(decision_id)


def guard_decision_dossiers(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    decision_ids = (pk_set or set()) if reverse else {instance.pk}
    if reverse and action == "pre_clear":
        decision_ids = set(instance.decisions.values_list("pk", flat=True))
    for decision_id in decision_ids:
        if is_signed(decision_id):
            _refuse(decision_id)


def connect():
    pre_save.connect(guard_decision, sender=Decision, dispatch_uid="documents.guard_decision")
    pre_save.connect(guard_award, sender=Award, dispatch_uid="documents.guard_award")
    m2m_changed.connect(
        guard_decision_dossiers,
        sender=Decision.dossiers.through,
        dispatch_uid="documents.guard_decision_dossiers",
    )
