"""Nominees imported into a dossier from an xlsx file (dossiers.imports reads it)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit import services as audit

from .imports import IMPORT_ACTION, checked_upload, preview_of
from .models import Nominee
from .services import lock_dossier, require_editable


@dataclass
class ImportResult:
    sha256: str
    name: str
    added: list = field(default_factory=list)  # the new Nominee rows
    skipped: list = field(default_factory=list)  # ImportRow already in the dossier
    passed_over: list = field(default_factory=list)  # imports.PassedOver: initiatives, not added
    ignored_columns: list = field(default_factory=list)
    already: object = None  # the audit event of the same file's earlier import: nothing done


def nominees_import(*, actor, dossier, uploaded_file) -> ImportResult:
    """Add the nominees of a filled template to a draft or returned dossier, all or none.

    Who may and when: as for one nominee (services.nominee_add: the unit's own staff or head, a
    draft or a returned dossier). Each row passes the checks of nominee_add; any problem refuses
    the whole file with every problem, each naming its row and column, and nothing is written.
    The same file (by its SHA-256) imported into the same dossier again adds nothing and says
    when it was; a row whose nominee the dossier already has (same kind, award and ID number, or
    name and date of birth) is skipped, and so is an initiative's row (it needs its authors: it is
    added on the dossier's page), without refusing the others. One audit event for the import, with the counts and the
    file's SHA-256, in the transaction that adds the rows.
    """
    data, sha256, name = checked_upload(uploaded_file)
    with transaction.atomic():
        dossier = lock_dossier(dossier)
        require_editable(actor, dossier)
        preview = preview_of(dossier, data, sha256, name)
        result = ImportResult(sha256=sha256, name=name, already=preview.already)
        if preview.already is not None:
            return result
        if preview.problems:
            raise ValidationError(preview.problems)
        result.skipped = preview.to_skip
        result.passed_over = preview.passed_over
        result.ignored_columns = preview.ignored_columns
        result.added = Nominee.objects.bulk_create(
            [Nominee(dossier=dossier, **row.values) for row in preview.to_add]
        )
        if result.added and any(n.pk is None for n in result.added):  # a backend without RETURNING
            result.added = list(Nominee.objects.filter(dossier=dossier).order_by("-pk")[: len(result.added)])[
                ::-1
            ]
        if result.added:
            dossier.save(update_fields=["updated_at"])
        audit.record(
            actor=actor,
            action=IMPORT_ACTION,
            target=dossier,
            data={
                "dossier_id": dossier.pk,
                "file": name,
                "sha256": sha256,
                "rows": len(preview.rows) + len(preview.passed_over),
                "added": len(result.added),
                "skipped": len(result.skipped),
                "nominee_ids": [n.pk for n in result.added],
                "skipped_rows": [{"row": row.row, "nominee_id": row.existing.pk} for row in result.skipped],
                "skipped_initiatives": len(result.passed_over),
                "skipped_initiative_rows": [row.row for row in result.passed_over],
            },
        )
    return result


def import_message(result: ImportResult) -> str:
    """What happened, in a sentence for the page and the API."""
    if result.already is not None:
        return _("This file was already imported into this dossier: nothing was added again.")
    message = _("%(added)s nominees were added from “%(name)s”.") % {
        "added": len(result.added),
        "name": result.name,
    }
    if result.skipped:
        message += " " + _("%(skipped)s rows were already in the dossier and were skipped.") % {
            "skipped": len(result.skipped)
        }
    if result.passed_over:
        message += " " + _(
            "%(count)s initiative rows were skipped: add each initiative with its authors on the dossier's page."
        ) % {"count": len(result.passed_over)}
    return message
