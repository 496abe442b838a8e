"""The dossier of every audit event recorded before events carried their case (audit 0005).

Those events were hashed without a `case_id`: writing one into them would change what they export
and break their hash (the chain is append-only anyway). So their case goes to audit.CaseBackfill,
beside the chain, by the rules new events follow (workflows.audit_case.case_of_stored), and a
dossier's timeline reads both: `case_id = 42` and the backfilled seqs of 42. On a database created
after this migration the table stays empty.
"""

from django.db import migrations

BATCH = 5000


def backfill(apps, schema_editor):
    from workflows.audit_case import case_of_stored

    AuditEvent = apps.get_model("audit", "AuditEvent")
    CaseBackfill = apps.get_model("audit", "CaseBackfill")
    using = schema_editor.connection.alias
    found: dict[tuple[str, int], int | None] = {}

    def lookup(label, pk):
        key = (label, pk)
        if key not in found:
            found[key] = _dossier_of(apps, using, label, pk)
        return found[key]

    rows = (
        AuditEvent.objects.using(using)
        .filter(case_id__isnull=True)
        .order_by("seq")
        .values_list("seq", "object_type", "object_id", "data")
    )
    batch = []
    for seq, object_type, object_id, data in rows.iterator(chunk_size=BATCH):
        case_id = case_of_stored(object_type, object_id, data, lookup)
        if case_id is not None:
            batch.append(CaseBackfill(seq=seq, case_id=case_id))
        if len(batch) >= BATCH:
            CaseBackfill.objects.using(using).bulk_create(batch, ignore_conflicts=True)
            batch = []
    CaseBackfill.objects.using(using).bulk_create(batch, ignore_conflicts=True)


def _dossier_of(apps, using, label, pk):
    """The dossier of a nominee or of a part of a dossier (a `dossier` or `nominee` link)."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    links = {f.name for f in model._meta.get_fields() if f.many_to_one}
    if label == "dossiers.nominee" or "dossier" in links:
        path = "dossier_id"
    elif "nominee" in links:
        path = "nominee__dossier_id"
    else:
        return None
    return model._base_manager.using(using).filter(pk=pk).values_list(path, flat=True).first()


def forget(apps, schema_editor):
    apps.get_model("audit", "CaseBackfill").objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0001_initial"),
        ("audit", "0005_case_and_search_indexes"),
        ("dossiers", "0014_fill_search_text"),
        ("approvals", "0014_public_objections"),
        ("documents", "0005_publication"),
    ]

    operations = [migrations.RunPython(backfill, forget, elidable=False)]
