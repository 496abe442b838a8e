"""Forwarding that gathers (trình cấp trên): the approved nominees of many lower dossiers go up in
one new dossier, with one tờ trình, to the next level.

Everything the lower level decided on travels with them, referenced and never copied: each
upward nominee is linked to its source nominee (`Nominee.source`) and carries the same files —
an Attachment row on the upward dossier naming the same stored file and SHA-256, with `source`
pointing at the lower dossier's row — and the dossier-level documents of every source dossier
(its tờ trình, the minutes of the lower council) travel too, each marked with its source. No new
file is written, so nothing can diverge and nothing is left behind if the forwarding is refused.

The upward dossier passes the same completeness check as a unit's submission
(dossiers.services' required documents per rule): a refusal names, for each nominee, its unit
and source dossier and what is missing, and rolls everything back.

approvals.services.dossier_forward is the service (permission, state, audit); this module holds
its parts, so that the pages (what will be sent) and the service read the same selection.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from dossiers.models import Attachment, AwardRule, Nominee, NomineeAuthor, NomineeOutcome, RuleDocument
from dossiers.services import _missing_documents as missing_documents

O = NomineeOutcome
APPROVED = (O.VOTED_IN, O.ELIGIBLE)
# A nominee's own data travels; what belongs to its place in the lower dossier does not.
NOT_COPIED = {"id", "dossier", "source", "outcome", "removed_at"}


def approved_nominees(dossiers) -> list:
    """The approved nominees of `dossiers` (voted in, or eligible without a vote), in order."""
    return list(
        Nominee.objects.current()
        .filter(dossier__in=dossiers, outcome__in=APPROVED)
        .select_related("award_type", "rule", "dossier__unit")
        .prefetch_related("authors")
        .order_by("dossier_id", "pk")
    )


def current_files(dossiers) -> tuple[dict, dict]:
    """What travels from `dossiers`: ({nominee id: [attachment]}, {dossier id: [attachment]}).

    A nominee's slot (kind) sends its current version (the highest, not detached); a dossier's
    own documents likewise, and documents it received from its own sources (a dossier that was
    itself forwarded up) each travel on."""
    by_nominee, by_dossier = {}, {}
    latest = {}
    for a in (
        Attachment.objects.filter(dossier__in=dossiers, detached=False)
        .select_related("kind", "nominee", "source__dossier__unit")
        .order_by("dossier_id", "kind_id", "nominee_id", "-version", "pk")
    ):
        if a.nominee_id is not None and a.nominee.removed_at is not None:
            continue
        key = (a.dossier_id, a.kind_id, a.nominee_id, a.source_id if a.nominee_id is None else None)
        if key not in latest:
            latest[key] = a
    for (dossier_id, _kind, nominee_id, _src), a in latest.items():
        if nominee_id is None:
            by_dossier.setdefault(dossier_id, []).append(a)
        else:
            by_nominee.setdefault(nominee_id, []).append(a)
    return by_nominee, by_dossier


def _copy_of(nominee, upward) -> Nominee:
    values = {
        f.attname: getattr(nominee, f.attname)
        for f in Nominee._meta.concrete_fields
        if f.name not in NOT_COPIED
    }
    return Nominee(dossier=upward, source=nominee, **values)


def _reference(a, *, upward, nominee=None) -> Attachment:
    """A row on the upward dossier naming the same stored file (no bytes are written)."""
    return Attachment(
        dossier=upward,
        nominee=nominee,
        kind=a.kind,
        version=1,
        file=a.file.name,
        original_name=a.original_name,
        content_type=a.content_type,
        size=a.size,
        sha256=a.sha256,
        uploaded_by_id=a.uploaded_by_id,
        source=a,
    )


@dataclass
class Gathered:
    nominees: list = field(default_factory=list)  # [(source, upward)]
    attachments: list = field(default_factory=list)


def gather_into(*, upward, sources, nominees) -> Gathered:
    """Create the upward nominees (with their authors) and the references to every file."""
    by_nominee, by_dossier = current_files(sources)
    copies = Nominee.objects.bulk_create([_copy_of(n, upward) for n in nominees])
    # bulk_create sets primary keys on PostgreSQL and on SQLite ≥ 3.35; re-read to be sure.
    if any(c.pk is None for c in copies):
        fresh = {c.source_id: c for c in Nominee.objects.filter(dossier=upward)}
        copies = [fresh[n.pk] for n in nominees]
    NomineeAuthor.objects.bulk_create(
        [
            NomineeAuthor(
                nominee=copy,
                name=a.name,
                position=a.position,
                share_percent=a.share_percent,
                person_id=a.person_id,
            )
            for n, copy in zip(nominees, copies, strict=True)
            for a in n.authors.all()
        ]
    )
    rows = [
        _reference(a, upward=upward, nominee=copy)
        for n, copy in zip(nominees, copies, strict=True)
        for a in by_nominee.get(n.pk, [])
    ]
    rows += [_reference(a, upward=upward) for d in sources for a in by_dossier.get(d.pk, [])]
    attachments = Attachment.objects.bulk_create(rows)
    return Gathered(nominees=list(zip(nominees, copies, strict=True)), attachments=attachments)


def completeness_problems(*, upward, gathered) -> list[str]:
    """The same check as a unit's submission (the documents each nominee's pinned rule
    requires), on the upward dossier as created; each nominee named with where it comes from."""
    problems = []
    rule_ids = {copy.rule_id for _n, copy in gathered.nominees}
    rules = {
        r.pk: r
        for r in AwardRule.objects.filter(pk__in=rule_ids).prefetch_related(
            Prefetch("ruledocument_set", queryset=RuleDocument.objects.select_related("kind"))
        )
    }
    named, pinned = [], {}
    for source, copy in gathered.nominees:
        if copy.rule_id is None:
            problems.append(_("%(name)s has no pinned rule: it was never submitted.") % {"name": copy})
            continue
        # Only the message's name: the saved row keeps its own name.
        shown = Nominee(pk=copy.pk, name=_named(source), is_enterprise=copy.is_enterprise, kind=copy.kind)
        named.append(shown)
        pinned[copy.pk] = rules[copy.rule_id]
    return problems + missing_documents(upward, named, pinned)


def _named(source) -> str:
    return _("%(name)s (%(unit)s, dossier “%(dossier)s”)") % {
        "name": source.name,
        "unit": source.dossier.unit_name_at_submission or source.dossier.unit.name,
        "dossier": source.dossier.title,
    }


def require_complete(*, upward, gathered) -> None:
    problems = completeness_problems(upward=upward, gathered=gathered)
    if problems:
        raise ValidationError(problems)


def nominee_sources(dossier) -> dict:
    """{upward nominee id: its source nominee, with the source dossier, its unit and the lower
    council's result (`council_result`, or None)}, in one query; empty for a unit's own dossier."""
    if not dossier.is_upward:
        return {}
    rows = (
        Nominee.objects.filter(dossier=dossier, source__isnull=False)
        .select_related("source__dossier__unit", "source__council_result")
        .only(
            "pk",
            "source__name",
            "source__outcome",
            "source__dossier__title",
            "source__dossier__unit_name_at_submission",
            "source__dossier__unit__name",
            "source__council_result__votes_for",
            "source__council_result__members_total",
            "source__council_result__passed",
        )
    )
    out = {}
    for n in rows:
        source = n.source
        source.council_result_or_none = getattr(source, "council_result", None)
        out[n.pk] = source
    return out
