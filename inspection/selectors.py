"""The inspector's workspace (thanh tra): search the audit trail, read a dossier's timeline with what
each edit changed, see whether the chain verifies, and export a dossier's evidence bundle.

Read-only. An inspector holds the role in a unit and sees what happened in that unit and
everything under it: events whose scope (the unit path recorded with each event) lies in the
subtree, and dossiers of units in the subtree once they have left the unit's drafts (a draft is
the unit's own working copy: dossiers.permissions.is_private). Anything else is a 404, like
everywhere else. Every read of an inspector, here or on any other page or API, is itself an
audit event (inspection.reads.describe_read, called by audit.middleware.AuditedReadsMiddleware).

It joins the audit trail (which knows nothing of the domain) with dossiers, their parts and the
organisation's units, so it stands above both in the layer order.
"""

import json
import re
from datetime import UTC, datetime, time, timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from audit import checkpoints
from audit.bundle import BundleFile, write_bundle
from audit.chain import format_ts
from audit.models import AuditEvent
from audit.selectors import case_q, chain_head, event_search, exported, latest_checkpoint
from audit.verify import verify_database
from dossiers.models import Dossier
from dossiers.permissions import is_private
from org import words
from org.models import Role, RoleAssignment, Unit
from org.scopes import scopes_for
from workflows.labels import action_label, field_label, model_label

READ = "inspector.read"
EXPORT = "inspector.export"
PAGE_SIZE = 50
STATUS_CACHE_KEY = "inspection:chain-status"


# --- who inspects what ------------------------------------------------------------------------


def inspector_paths(user, *, load_scopes=False) -> list[str]:
    """The unit paths where `user` holds the inspector role today (outermost only); [] if none.

    Every read asks (to know whether to audit it), so it costs no query on a page that loaded
    the user's scopes already (org.scopes.scopes_for), one query otherwise; then it is cached on
    the user for the request. `load_scopes`: load all the scopes (two queries) when the page
    will need them anyway.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_inspector_paths_cache", None)
    if cached is not None:
        return cached
    scopes = scopes_for(user) if load_scopes else getattr(user, "_scopes_cache", None)
    if scopes is not None:
        found = {s.unit_path for s in scopes if s.role == Role.INSPECTOR}
    else:
        found = set(
            RoleAssignment.objects.active_on(timezone.localdate())
            .filter(user=user, role=Role.INSPECTOR)
            .values_list("unit__path", flat=True)
        )
    paths = sorted(found)
    user._inspector_paths_cache = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return user._inspector_paths_cache


def require_inspector(user) -> list[str]:
    """The inspector's scope; 404 for anyone else (the workspace does not exist for them)."""
    paths = inspector_paths(user, load_scopes=True)
    if not paths or not user.has_perm("audit.view_auditevent"):
        raise Http404
    return paths


def units_in_scope(paths):
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return Unit.objects.filter(q).order_by("path")


def access_dossier(*, paths, pk) -> Dossier:
    """A dossier of a unit in the inspector's subtree that has left the unit's drafts, or 404."""
    try:
        dossier = Dossier.objects.select_related("unit", "campaign").get(pk=pk)
    except (Dossier.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if is_private(dossier) or not any(dossier.unit.path.startswith(p) for p in paths):
        raise Http404
    return dossier


# --- a dossier's events -----------------------------------------------------------------------


def dossier_events_q(dossier) -> Q:
    """Every event about the dossier: itself, its parts, and what a meeting or a decision
    recorded about it or one of its nominees (the events' case, workflows.audit_case)."""
    return case_q(dossier.pk)


def dossier_events(dossier) -> list[AuditEvent]:
    """Every event about the dossier or its parts, inspectors' reads included, oldest first."""
    return list(AuditEvent.objects.filter(dossier_events_q(dossier)).order_by("seq"))


# --- search -----------------------------------------------------------------------------------


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


def event_page(*, paths, dossier=None, unit=None, actor="", action="", since=None, until=None, before=None):
    """One page of events, newest first, and the seq to continue before (None on the last page).

    A dossier's events are shown whatever scope they were recorded with (access to the dossier
    was checked); otherwise only events recorded in the inspector's subtree (or `unit`'s).
    `since`/`until` are local dates, both included. Keyset paging: no COUNT over the chain.
    """
    if unit is not None:
        scopes = [unit.path]
    elif dossier is not None:
        scopes = None
    else:
        scopes = paths
    qs = event_search(
        scopes=scopes,
        actor=actor,
        action=action,
        since=_start_of(since),
        until=_start_of(until + timedelta(days=1)) if until else None,
        extra_q=dossier_events_q(dossier) if dossier is not None else None,
    )
    if before:
        qs = qs.filter(seq__lt=before)
    rows = list(qs[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (rows[-1].seq if more and rows else None)


def changes_of(event) -> list[dict]:
    """What an edit changed, field by field: `data["changes"] = {field: [before, after]}`."""
    changes = (event.data or {}).get("changes")
    if not isinstance(changes, dict):
        return []
    out = []
    for name, values in sorted(changes.items()):
        before, after = values if isinstance(values, list) and len(values) == 2 else (None, values)
        out.append(
            {"field": name, "label": field_label(event.object_type, name), "before": before, "after": after}
        )
    return out


# Objects named on the page by a field of theirs (one query per kind): others by kind and number.
NAMED_OBJECTS = {
    "dossiers.dossier": "title",
    "dossiers.nominee": "name",
    "org.user": "full_name",
    "org.unit": "name",
    "approvals.decision": "title",
}


# A generated document is named by its kind and version ("Quyết định khen thưởng, v2").
DOCUMENT = "documents.generateddocument"


def _document_names(ids) -> dict[tuple[str, str], str]:
    pks = [i for i in ids if i.isdigit()]
    if not pks:
        return {}
    model = apps.get_model(DOCUMENT)
    kinds = dict(model._meta.get_field("kind").flatchoices)
    return {
        (DOCUMENT, str(pk)): f"{kinds.get(kind, kind)}, v{version}"
        for pk, kind, version in model._base_manager.filter(pk__in=pks).values_list("pk", "kind", "version")
    }


def dossier_of(event):
    if event.object_type == "dossiers.dossier":
        return event.object_id
    return (event.data or {}).get("dossier_id") if isinstance(event.data, dict) else None


def object_refs(events) -> dict:
    """What each event is about, in words: {(object_type, object_id): {"text", "url"}}.

    "Hồ sơ: <title>" linking to the dossier's inspection timeline when the inspector may open it
    (the events are those of the inspector's subtree; a unit's private draft keeps its title to
    itself), the names of nominees, people, units and decisions, else the kind and the number.
    A handful of queries, whatever the number of events."""
    wanted: dict[str, set[str]] = {}
    dossier_ids = set()
    for e in events:
        if e.object_type:
            wanted.setdefault(e.object_type, set()).add(e.object_id)
        if (dossier_id := dossier_of(e)) is not None:
            dossier_ids.add(str(dossier_id))
    open_dossiers = {
        str(d.pk): d.title
        for d in Dossier.objects.filter(pk__in=[i for i in dossier_ids if i.isdigit()]).only(
            "pk", "title", "state", "submitted_at"
        )
        if not is_private(d)
    }
    names: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        field = NAMED_OBJECTS.get(object_type)
        if not field or object_type == "dossiers.dossier":
            continue
        model = apps.get_model(object_type)
        pks = [i for i in ids if i.isdigit()]
        for pk, name in model._base_manager.filter(pk__in=pks).values_list("pk", field):
            names[(object_type, str(pk))] = name
    names.update(_document_names(wanted.get(DOCUMENT, ())))
    refs = {}
    for e in events:
        key = (e.object_type, e.object_id)
        if key in refs or not e.object_type:
            continue
        kind = model_label(e.object_type)
        name = open_dossiers.get(e.object_id) if e.object_type == "dossiers.dossier" else names.get(key)
        dossier_id = dossier_of(e)
        url = ""
        if dossier_id is not None and str(dossier_id) in open_dossiers:
            url = reverse("inspection-dossier", args=[dossier_id])
        text = (
            f"{kind[:1].upper()}{kind[1:]}: {name}"
            if name
            else f"{kind[:1].upper()}{kind[1:]} #{e.object_id}"
        )
        refs[key] = {"text": text, "url": url}
    return refs


def in_words(entries) -> list[dict]:
    """For the pages: who acted (by name and position, their roles by title) and what the event
    is about (a link) on each entry; two queries more, whatever the number of entries."""
    events = [entry["event"] for entry in entries]
    people = words.people_by_username(e.actor for e in events)
    refs = object_refs(events)
    for entry in entries:
        e = entry["event"]
        entry["actor"] = words.actor_name(e.actor, people)
        entry["roles"] = words.role_labels(e.roles)
        entry["about"] = refs.get((e.object_type, e.object_id))
    return entries


def entries(events, units_by_path=None) -> list[dict]:
    """Events as the workspace shows them: label, unit, roles, diff."""
    units_by_path = units_by_path or {}
    return [
        {
            "event": e,
            "label": action_label(e.action),
            "unit": units_by_path.get(e.scope, ""),
            "changes": changes_of(e),
            "is_read": e.action in (READ, EXPORT),
            "data_json": json.dumps(e.data, ensure_ascii=False, indent=2, sort_keys=True),
        }
        for e in events
    ]


def entry_json(entry) -> dict:
    """An entry for the API: the event in its exported (contract) form, with label, unit and diff."""
    event = exported(entry["event"])
    event["label"] = entry["label"]
    event["unit"] = entry["unit"]
    event["changes"] = entry["changes"]
    return event


# --- the chain's status -----------------------------------------------------------------------


def own_public_key() -> str:
    """The key checkpoints must be signed with (audit.checkpoints.trusted_public_key): the
    configured public key, else this host's own; "" when there is neither."""
    try:
        return checkpoints.trusted_public_key()
    except checkpoints.CheckpointError:
        return ""


def chain_status() -> dict:
    """The whole chain verified (verify_audit), its head, and the latest checkpoint and whether the
    chain still extends it. Reused for AUDIT_STATUS_CACHE_SECONDS: a full check reads every event."""
    status = cache.get(STATUS_CACHE_KEY)
    if status is not None:
        return status
    checkpoint = latest_checkpoint()
    signed, problem = None, ""
    if checkpoint:
        try:
            signed = checkpoints.check(checkpoint)
        except checkpoints.CheckpointError as exc:
            problem = str(exc)
    result = verify_database(checkpoint=signed)
    latest_seq, latest_hash = chain_head()
    expected_key = own_public_key()
    status = {
        "ok": result.ok,
        "count": result.count,
        "head": result.head,
        "fault_seq": result.fault_seq,
        "message": result.message,
        "verified_at": format_ts(datetime.now(UTC)),
        "latest_seq": latest_seq,
        "latest_hash": latest_hash,
        "checkpoint": (
            {
                "seq": checkpoint.get("seq"),
                "hash": checkpoint.get("hash"),
                "ts": checkpoint.get("ts"),
                "public_key": checkpoint.get("public_key"),
                "signature_ok": signed is not None,
                "problem": problem,
                "extended": bool(signed) and result.ok,
                "key_is_ours": bool(expected_key) and checkpoint.get("public_key") == expected_key,
            }
            if checkpoint
            else None
        ),
    }
    if settings.AUDIT_STATUS_CACHE_SECONDS:
        cache.set(STATUS_CACHE_KEY, status, settings.AUDIT_STATUS_CACHE_SECONDS)
    return status


# --- the evidence bundle ----------------------------------------------------------------------


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", name, flags=re.UNICODE).strip("._")[:80] or "file"


# The dossier's files: what units attach, and what the system generates and signs. Each is vouched
# for by the last event about it that records its SHA-256 (`data["sha256"]`): attachment.add,
# document.generate, document.sign.
FILE_MODELS = ("dossiers.Attachment", "documents.GeneratedDocument")


def _file_models():
    for label in FILE_MODELS:
        try:
            yield apps.get_model(label)
        except LookupError:
            continue


def dossier_files(dossier, events) -> list[BundleFile]:
    vouching = {}
    for e in events:  # oldest first: the last one wins
        if isinstance(e.data, dict) and "sha256" in e.data:
            vouching[(e.object_type, e.object_id)] = e.seq
    files = []
    for model in _file_models():
        label = model._meta.label_lower
        for item in model.objects.filter(dossier=dossier).order_by("pk"):
            name = getattr(item, "original_name", "") or getattr(item, "download_name", "") or item.file.name
            info = {"object_type": label, "object_id": str(item.pk), "name": name}
            for extra in ("version", "detached", "nominee_id", "signed"):
                if hasattr(item, extra):
                    info[extra] = getattr(item, extra)
            files.append(
                BundleFile(
                    path=f"documents/{model._meta.model_name}-{item.pk:06d}-{_safe_name(name)}",
                    open=lambda item=item: item.file.open("rb"),
                    event_seq=vouching.get((label, str(item.pk))),
                    info=info,
                )
            )
    return files


def dossier_evidence(*, dossier, user, target) -> dict:
    """Write the dossier's evidence bundle (audit/bundle.py) into `target`; return its manifest.

    Its events are every event about the dossier and its parts; its documents every file ever
    attached (replaced and detached versions too) and every document generated for it, each
    vouched for by the event that recorded its SHA-256.
    """
    events = dossier_events(dossier)
    subject = {
        "type": Dossier._meta.label_lower,
        "id": dossier.pk,
        "title": dossier.title,
        "unit": dossier.unit.name,
        "unit_path": dossier.unit.path,
        "state": dossier.state,
    }
    return write_bundle(
        target,
        subject=subject,
        events=[exported(e) for e in events],
        files=dossier_files(dossier, events),
        created_by=user.get_username(),
    )
