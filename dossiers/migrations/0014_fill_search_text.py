"""Fill the award register's search text of the nominees and recorded awards already there (new
rows get it from their save). The folding is written out here, as it was when this ran."""

import unicodedata

from django.db import migrations

LENGTH = 255


def fold(text):
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


def search_text(*parts):
    return " | ".join(p for p in (fold(part) for part in parts) if p)[:LENGTH]


def fill(apps, schema_editor):
    Nominee = apps.get_model("dossiers", "Nominee")
    AwardRecord = apps.get_model("dossiers", "AwardRecord")
    batch = []
    for nominee in Nominee.objects.only("pk", "name").iterator(chunk_size=2000):
        nominee.search_text = search_text(nominee.name)
        batch.append(nominee)
        if len(batch) == 2000:
            Nominee.objects.bulk_update(batch, ["search_text"])
            batch = []
    Nominee.objects.bulk_update(batch, ["search_text"])
    records = list(AwardRecord.objects.only("pk", "name"))
    for record in records:
        record.search_text = search_text(record.name)
    AwardRecord.objects.bulk_update(records, ["search_text"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0013_search_text")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
