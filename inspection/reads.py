"""How an inspector's read is described for the audit trail (settings.AUDIT_READ_DESCRIBER).

audit.middleware.AuditedReadsMiddleware asks `describe_read` after every response; for an
inspector it returns the event to append (what was read, in which unit), for anyone else None.
"""

from dossiers.models import Attachment, Dossier, Nominee

from .selectors import READ, inspector_paths

# Routes whose read is about one object: URL name → (object type, URL keyword of its id).
READ_OBJECTS = {
    "dossier-detail": ("dossiers.dossier", "pk"),
    "api:dossier-detail": ("dossiers.dossier", "pk"),
    "api:nominee-list": ("dossiers.dossier", "pk"),
    "api:attachment-list": ("dossiers.dossier", "pk"),
    "api:nominee-detail": ("dossiers.nominee", "nominee_id"),
    "attachment-download": ("dossiers.attachment", "pk"),
    "api:attachment-download": ("dossiers.attachment", "pk"),
}


def _read_object(match) -> tuple[str, str]:
    known = READ_OBJECTS.get(match.view_name)
    if known:
        return known[0], str(match.kwargs.get(known[1], ""))
    # Any other page of one dossier (/dossiers/<pk>/…, /api/dossiers/<pk>/…).
    if "pk" in match.kwargs and "dossier" in match.view_name:
        return "dossiers.dossier", str(match.kwargs["pk"])
    return "", ""


def _dossier_of(object_type: str, object_id: str) -> tuple[int | None, str]:
    """(dossier id, unit path) of the object read, in one query; (None, "") when not found."""
    if not object_id.isdigit():
        return None, ""
    if object_type == "dossiers.dossier":
        row = Dossier.objects.filter(pk=object_id).values_list("pk", "unit__path").first()
    elif object_type == "dossiers.attachment":
        row = Attachment.objects.filter(pk=object_id).values_list("dossier_id", "dossier__unit__path").first()
    elif object_type == "dossiers.nominee":
        row = Nominee.objects.filter(pk=object_id).values_list("dossier_id", "dossier__unit__path").first()
    else:
        row = None
    return row or (None, "")


def describe_read(request, response) -> dict | None:
    """The audit event of a read, when the reader is an inspector; None for anyone else.

    The event names the object read (a dossier, a file, a nominee) when the page is about one,
    and carries the path, query, view and status; its scope is the object's unit, or else the
    inspector's own, so that inspectors of that subtree see who read what. Views of this
    workspace describe themselves in `request.audit_read` (the bundle export, for one).
    """
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if user is None or match is None or not user.is_authenticated:
        return None
    paths = inspector_paths(user)
    if not paths:
        return None
    described = getattr(request, "audit_read", None) or {}
    object_type = described.get("object_type")
    object_id = described.get("object_id")
    if object_type is None:
        object_type, object_id = _read_object(match)
    data = {
        "method": request.method,
        "path": request.path,
        "query": request.META.get("QUERY_STRING", "")[:512],
        "view": match.view_name,
        "status": response.status_code,
        **described.get("data", {}),
    }
    dossier_id, scope = _dossier_of(object_type, str(object_id or ""))
    if dossier_id is not None and object_type != "dossiers.dossier":
        data["dossier_id"] = dossier_id
    return {
        "action": described.get("action", READ),
        "object_type": object_type,
        "object_id": str(object_id or ""),
        "scope": scope or paths[0],
        "data": data,
    }
