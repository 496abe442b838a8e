"""Công khai without an account: a citizen lodges an objection to a nominee list under public
notice from the public page, leaving a name and a phone number or e-mail address, and keeps a
receipt code to look it up later.

The law asks that the list be public so that anyone may object before the council meets (Luật
TĐKT 2022, Điều 5: công khai, minh bạch; DOMAIN.md, step 4), so the form takes objections only
while the notice runs (from `starts_on` to `ends_on`, before the standing body closes it). The
objection joins the dossier's others: the standing body sees it and must resolve it before the
notice closes, as any objection (approvals.services.notice_close).
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit import services as audit
from dossiers.models import Dossier, DossierState, Nominee, NomineeOutcome
from dossiers.services import lock_dossier
from org import limits
from org.errors import TransitionNotAllowed

from .models import Objection, PublicNotice

ANONYMOUS = "anonymous"  # the audit trail's actor for an act without an account (audit.signals)
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: read aloud, typed by hand
RECEIPT_LENGTH = 10


def open_notices_q(day) -> Q:
    """Notices open on `day`: the period has begun and not ended, and the dossier is still under
    notice (the standing body has not closed it)."""
    return Q(
        starts_on__lte=day,
        ends_on__gte=day,
        closed_at__isnull=True,
        dossier__state=DossierState.PUBLIC_NOTICE,
    )


def noticed_nominees(dossier_id):
    """The nominees the notice lists: those found eligible at appraisal, still in the dossier."""
    return Nominee.objects.current().filter(dossier_id=dossier_id, outcome=NomineeOutcome.ELIGIBLE)


def _new_receipt() -> str:
    while True:
        code = "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(RECEIPT_LENGTH))
        if not Objection.objects.filter(receipt_code=code).exists():
            return code


def _check_contact(contact: str) -> None:
    """A phone number (9 to 15 digits, spaces, dots, dashes, +) or an e-mail address."""
    if "@" in contact:
        from django.core.validators import validate_email

        try:
            validate_email(contact)
        except ValidationError:
            raise ValidationError({"contact": _("Enter a valid e-mail address or phone number.")}) from None
        return
    digits = [c for c in contact if c.isdigit()]
    if not (9 <= len(digits) <= 15) or any(not (c.isdigit() or c in " .-+()") for c in contact):
        raise ValidationError({"contact": _("Enter a valid e-mail address or phone number.")})


def masked_contact(contact: str) -> str:
    """ "0912 345 678" → "*********678", "mai.lt@example.vn" → "m*****@example.vn"."""
    if "@" in contact:
        local, _at, domain = contact.partition("@")
        return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"
    digits = "".join(c for c in contact if c.isdigit())
    return "*" * max(len(digits) - 3, 0) + digits[-3:]


def objection_lodge_public(*, notice, name, contact, text, nominee=None, actor=ANONYMOUS) -> Objection:
    """Lodge a citizen's objection to a nominee list under public notice (no account). Refused
    outside the notice period with the dates it runs; the nominee must be one the notice lists.
    One audit event, actor "anonymous", with the client's address (the request's context)."""
    name, contact, text = (name or "").strip(), (contact or "").strip(), (text or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("Give your name.")]
    if not contact:
        errors["contact"] = [_("Give a phone number or an e-mail address we can reach you at.")]
    if not text:
        errors["text"] = [_("Write the objection.")]
    if errors:
        raise ValidationError(errors)
    limits.require_texts(
        {"name": (name, limits.NAME), "contact": (contact, limits.NAME), "text": (text, limits.TEXT)}
    )
    _check_contact(contact)
    with transaction.atomic():
        dossier = lock_dossier(Dossier(pk=notice.dossier_id))
        notice = PublicNotice.objects.get(pk=notice.pk)
        today = timezone.localdate()
        is_open = PublicNotice.objects.filter(open_notices_q(today), pk=notice.pk).exists()
        if not is_open:
            raise TransitionNotAllowed(
                _(
                    "Objections to this list are taken only during its public notice, from %(start)s to "
                    "%(end)s."
                )
                % {
                    "start": date_format(notice.starts_on, "d/m/Y"),
                    "end": date_format(notice.ends_on, "d/m/Y"),
                }
            )
        if nominee is not None and not noticed_nominees(dossier.pk).filter(pk=nominee.pk).exists():
            raise ValidationError({"nominee": _("This person is not on the list under notice.")})
        objection = Objection.objects.create(
            dossier=dossier,
            nominee=nominee,
            text=text,
            lodger_name=name,
            lodger_contact=contact,
            receipt_code=_new_receipt(),
        )
        audit.record(
            actor=actor,
            action="objection.lodge_public",
            target=objection,
            scope=audit.scope_of(dossier),
            data={
                "dossier_id": dossier.pk,
                "nominee_id": nominee.pk if nominee else None,
                "receipt": objection.receipt_code,
                "name": name,
                # The contact stays on the objection for the standing body; the append-only chain
                # keeps only enough of it to tell two contacts apart.
                "contact": masked_contact(contact),
                "text": text,
            },
        )
    return objection


def objection_by_receipt(code: str) -> Objection | None:
    """The public objection a receipt code names, or None."""
    code = "".join((code or "").split()).upper()
    if not code or len(code) > 16:
        return None
    return (
        Objection.objects.filter(receipt_code=code, lodged_by__isnull=True)
        .select_related("nominee__award_type", "dossier__unit", "dossier__reviewing_unit")
        .first()
    )
