"""The case file of an audit event: the dossier it concerns (settings.AUDIT_CASE_RESOLVER).

The audit app indexes events by an opaque `case_id`; here the case is the dossier, so that a
dossier's timeline, its evidence bundle and an inspector's search by dossier are one indexed
filter. An event concerns a dossier when it is about
- the dossier itself (submit, receive, accept, council result, opinion, decide, forward …);
- one of its parts: anything with a `dossier` link (nominees, attachments, objections, public
  notices, documents generated for it …), or with a `nominee` link (awards, council results,
  certificates …): the nominee's dossier;
- a nominee, by the event's data, when its object is larger (a meeting's vote, participation or
  recusal on one nominee: `data["nominee_id"]`; an event naming `data["dossier_id"]`).
Events about something larger (a whole meeting, a decision for many dossiers, a member's written
vote on several nominees, a unit, a user) have no case.

The same rules read stored events (`case_of_stored`), for the migration that fills in the cases
of events recorded before the column existed.
"""

from django.apps import apps

from dossiers.models import Dossier, Nominee

DOSSIER = Dossier._meta.label_lower
NOMINEE = Nominee._meta.label_lower


def _int(value) -> int | None:
    if type(value) is int:
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _dossier_of(label, pk) -> int | None:
    """The dossier of a nominee or of a dossier's part, by its id (one query)."""
    if label == NOMINEE:
        return Nominee.objects.filter(pk=pk).values_list("dossier_id", flat=True).first()
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    field = _link(model)
    if field is None:
        return None
    path = "dossier_id" if field == "dossier" else "nominee__dossier_id"
    return model._base_manager.filter(pk=pk).values_list(path, flat=True).first()


def _link(model) -> str | None:
    """ "dossier" or "nominee": how a model's rows belong to a dossier, None when they do not."""
    names = {f.name for f in model._meta.get_fields() if f.many_to_one}
    return "dossier" if "dossier" in names else "nominee" if "nominee" in names else None


def audit_case_for(target, *, object_type="", object_id="", data=None) -> int | None:
    """The id of the dossier the event concerns, or None.

    No query for the dossier and its direct parts (their `dossier_id` is on the row); one, by
    primary key, for an event that names only a nominee whose row is not loaded."""
    if target is None:
        return case_of_stored(object_type, object_id, data, _dossier_of)
    if isinstance(target, Dossier):
        return target.pk
    dossier_id = getattr(target, "dossier_id", None)
    if dossier_id is not None:
        return dossier_id
    if getattr(target, "nominee_id", None) is not None:
        descriptor = getattr(type(target), "nominee", None)
        if descriptor is not None and descriptor.is_cached(target):
            return target.nominee.dossier_id
        return _dossier_of(NOMINEE, target.nominee_id)
    return _from_data(data)


def _from_data(data, lookup=_dossier_of) -> int | None:
    if not isinstance(data, dict):
        return None
    dossier_id = _int(data.get("dossier_id"))
    if dossier_id is not None:
        return dossier_id
    nominee_id = _int(data.get("nominee_id"))
    return lookup(NOMINEE, nominee_id) if nominee_id is not None else None


def case_of_stored(object_type, object_id, data, lookup) -> int | None:
    """The case of an event as stored, with no object at hand: a dossier by its id, a part by
    `data["dossier_id"]` or else by its row (`lookup(label, pk)`: its dossier, or its nominee's),
    anything else by the nominee its data names."""
    if object_type == DOSSIER:
        return _int(object_id)
    if isinstance(data, dict) and _int(data.get("dossier_id")) is not None:
        return _int(data["dossier_id"])
    pk = _int(object_id)
    if pk is not None and "." in object_type:
        found = lookup(object_type, pk)
        if found is not None:
            return found
    return _from_data(data, lookup)
