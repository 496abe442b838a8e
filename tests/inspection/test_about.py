"""What an event is about, in the inspector's "Về" column: a generated document by its kind and
version, not by its number."""

from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import translation

from documents.models import GeneratedDocument, GeneratedKind
from inspection.selectors import object_refs
from tests import factories as f


def test_a_generated_document_is_named_by_its_kind_and_version(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dossier = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    document = GeneratedDocument.objects.create(
        kind=GeneratedKind.SUBMISSION,
        subject_key=f"dossier:{dossier.pk}",
        dossier=dossier,
        version=2,
        file=ContentFile(b"%PDF-1.7", name="x.pdf"),
        sha256="0" * 64,
        size=8,
        rendered_sha256="0" * 64,
        source_sha256="0" * 64,
        rendered_by=world.officer,
    )
    events = [
        SimpleNamespace(object_type="documents.generateddocument", object_id=str(document.pk), data={}),
        SimpleNamespace(object_type="documents.generateddocument", object_id="999999", data={}),
    ]
    with translation.override("vi"):
        refs = object_refs(events)
    assert refs[("documents.generateddocument", str(document.pk))]["text"] == "Văn bản được tạo: Tờ trình, v2"
    assert refs[("documents.generateddocument", "999999")]["text"].endswith("#999999")
