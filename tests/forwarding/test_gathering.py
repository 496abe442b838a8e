"""The commune's chair gathers the approved nominees of three lower dossiers (two schools, two
campaigns) into one upward dossier to the province: every file travels by reference (the same
stored file, the same hash, no new file in storage), each nominee is linked to its source, the
upward dossier passes the submission's completeness check, and a refusal creates nothing."""

import os

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from documents.models import GeneratedDocument, GeneratedKind
from documents.permissions import signing_refusal
from documents.services import document_html
from dossiers.models import Attachment, Dossier, DossierState, Nominee
from tests.workflows.conftest import fresh, open_steps
from tests.workflows.test_end_to_end import verify_audit
from workflows import services as wf

pytestmark = pytest.mark.django_db
S = DossierState


def stored_files() -> set[str]:
    root = settings.MEDIA_ROOT
    return {os.path.relpath(os.path.join(d, n), root) for d, _dirs, files in os.walk(root) for n in files}


def test_three_lower_dossiers_go_up_in_one_dossier_with_their_files_by_reference(lower):
    w = lower
    before = stored_files()
    sources = {a.pk: a for a in Attachment.objects.filter(dossier__in=w.lower)}

    upward = wf.dossier_forward(actor=w.chair, dossiers=w.lower, title="Tờ trình đề nghị Bằng khen")

    # No file was copied: the only new file is the upward dossier's own tờ trình (generated).
    new = stored_files() - before
    assert len(new) == 1 and next(iter(new)).startswith("documents/submission/")
    assert (upward.state, upward.unit, upward.reviewing_unit, upward.is_upward) == (
        S.SUBMITTED,
        w.commune,
        w.province,
        True,
    )
    for d in w.lower:
        d = fresh(d)
        assert (d.state, d.forwarded_to_id) == (S.FORWARDED, upward.pk)
    nominees = list(upward.nominees.order_by("pk"))
    assert [(n.name, n.source_id) for n in nominees] == [(d.nominee.name, d.nominee.pk) for d in w.lower]
    rows = list(Attachment.objects.filter(dossier=upward).select_related("source", "nominee"))
    # 3 achievement reports (one per nominee) + the tờ trình and the minutes of each source dossier.
    assert len(rows) == 3 + 3 * 2
    for a in rows:
        original = sources[a.source_id]
        assert (a.file.name, a.sha256, a.size) == (original.file.name, original.sha256, original.size)
        assert a.file.read() == original.file.read()
        if a.nominee_id:
            assert a.nominee.source_id == original.nominee_id
        else:
            assert original.nominee_id is None
    assert open_steps(upward) == [("appraise", "NEW")]
    event = AuditEvent.objects.get(action="dossier.create_upward", object_id=str(upward.pk))
    assert sorted(event.data["from_dossiers"]) == sorted(d.pk for d in w.lower)
    assert {x["sha256"] for x in event.data["attachments"]} == {a.sha256 for a in rows}
    assert verify_audit().startswith("ok ")


def test_an_incomplete_nominee_is_named_with_its_source_and_nothing_is_created(lower):
    w = lower
    second = w.lower[1]
    # Its achievement report was detached after the lower council: the upward dossier lacks it.
    Attachment.objects.filter(nominee=second.nominee).update(detached=True)
    counts = (Dossier.objects.count(), Nominee.objects.count(), Attachment.objects.count())
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        wf.dossier_forward(actor=w.chair, dossiers=w.lower, title="Tờ trình đề nghị Bằng khen")

    assert refused.value.messages == [
        "Missing document: “Báo cáo thành tích” for Trần Văn Hùng "
        f"(Trường Tiểu học Gia Thụy, dossier “{second.title}”)."
    ]
    assert (Dossier.objects.count(), Nominee.objects.count(), Attachment.objects.count()) == counts
    assert AuditEvent.objects.count() == events
    assert {fresh(d).state for d in w.lower} == {S.AWAITING_DECISION}


def test_only_the_chair_forwards(lower):
    w = lower
    with pytest.raises(PermissionDenied):
        wf.dossier_forward(actor=w.officer, dossiers=w.lower, title="Tờ trình")
    assert not Dossier.objects.filter(is_upward=True).exists()


def test_a_file_still_referenced_upward_is_never_deleted(lower):
    w = lower
    upward = wf.dossier_forward(actor=w.chair, dossiers=w.lower, title="Tờ trình")
    upward_row = Attachment.objects.filter(dossier=upward).first()
    with pytest.raises(ValidationError):
        upward_row.delete()
    with pytest.raises(ValidationError):
        upward_row.source.delete()
    assert os.path.exists(upward_row.file.path)


def test_the_higher_level_opens_the_files_of_the_upward_dossier_but_not_the_lower_dossier(lower, client):
    w = lower
    upward = wf.dossier_forward(actor=w.chair, dossiers=w.lower, title="Tờ trình")
    row = Attachment.objects.filter(dossier=upward, nominee__isnull=False).select_related("source").first()

    client.force_login(w.province_officer)
    got = client.get(f"/attachments/{row.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == row.source.file.open("rb").read()
    assert client.get(f"/attachments/{row.source_id}/").status_code == 404
    assert client.get(f"/dossiers/{row.source.dossier_id}/").status_code == 404

    # The school sees its own file, not the commune's upward dossier.
    client.force_login(w.head_a if row.source.dossier.unit == w.school_a else w.head_b)
    assert client.get(f"/attachments/{row.source_id}/").status_code == 200
    assert client.get(f"/attachments/{row.pk}/").status_code == 404


def test_the_one_tor_trinh_lists_every_nominee_with_its_unit_and_source_dossier(lower):
    w = lower
    upward = wf.dossier_forward(actor=w.chair, dossiers=w.lower, title="Tờ trình đề nghị Bằng khen")

    documents = GeneratedDocument.objects.filter(kind=GeneratedKind.SUBMISSION, dossier=upward)
    assert documents.count() == 1 and documents.get().rendered_by == w.chair
    html = document_html(GeneratedKind.SUBMISSION, upward)
    for d in w.lower:
        assert f"{d.unit.name} (hồ sơ “{d.title}”)" in html and d.nominee.name in html
    assert "Trên cơ sở đề nghị của Trường THCS Ngọc Lâm, Trường Tiểu học Gia Thụy" in html
    # The chair of the commune signs it (documents.permissions: the lower level's chair).
    assert not signing_refusal(w.chair, documents.get(), None)
    assert signing_refusal(w.head_a, documents.get(), None)
