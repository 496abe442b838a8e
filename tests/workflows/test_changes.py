"""What the appraiser sees after a resubmission: what changed since the submission that was
returned — files added, replaced (with the same content or not) or dropped, nominees added or
removed, fields edited — from the audit trail and the files' hashes."""

from dossiers import services as dossier_services
from tests import factories as f
from tests.api.helpers import english_client
from workflows import selectors
from workflows import services as wf

from .conftest import fresh, in_appraisal, new_dossier, returned


def test_nothing_to_compare_before_a_return(people):
    d = in_appraisal(people, new_dossier(people))
    assert selectors.changes_since_return(dossier=d) is None


def test_a_return_with_nothing_done_yet_shows_no_change(people):
    d = returned(people, new_dossier(people))
    changes = selectors.changes_since_return(dossier=d)
    assert changes.empty and changes.return_items == ["Bổ sung xác nhận sáng kiến"]


def test_changes_are_classified(people):
    w = people
    d = new_dossier(w)
    second = f.NomineeFactory(dossier=d, name="Phạm Văn Bình")
    dossier_services.attachment_add(
        actor=w.staff_a,
        dossier=d,
        kind=f.doc_kind("bao-cao-thanh-tich"),
        nominee=second,
        uploaded_file=f.pdf_upload("bao-cao-binh.pdf", "Bình"),
    )
    returned(w, d)
    # The same file again (same content), a nominee taken off, a nominee's field edited.
    dossier_services.attachment_add(
        actor=w.staff_a,
        dossier=d,
        kind=f.doc_kind("to-trinh"),
        uploaded_file=f.pdf_upload("to-trinh.pdf"),
    )
    dossier_services.nominee_remove(actor=w.staff_a, nominee=second)
    dossier_services.nominee_update(actor=w.staff_a, nominee=d.nominee, position="Tổ trưởng chuyên môn")
    wf.dossier_submit(actor=w.head_a, dossier=fresh(d))

    changes = selectors.changes_since_return(dossier=d)
    assert [(a.kind.code, same) for a, same in changes.attachments_replaced] == [("to-trinh", True)]
    assert [a.original_name for a in changes.attachments_removed] == ["bao-cao-binh.pdf"]
    assert [n.name for n in changes.nominees_removed] == ["Phạm Văn Bình"]
    assert changes.nominees_added == [] and changes.attachments_added == []
    assert changes.nominee_fields == {
        d.nominee.name: [("position / title", "Giáo viên", "Tổ trưởng chuyên môn")]
    }


def test_the_api_gives_the_open_step_its_deadlines_and_the_changes(people):
    w = people
    d = returned(w, new_dossier(w))
    wf.dossier_submit(actor=w.head_a, dossier=fresh(d))
    client = english_client()
    client.force_authenticate(w.officer)
    data = client.get(f"/api/dossiers/{d.pk}/workflow/").data
    assert [t["step"] for t in data["tasks"]] == ["appraise"]
    assert data["tasks"][0]["due"] and data["tasks"][0]["return_by"]
    assert data["returns"][0]["items"] == ["Bổ sung xác nhận sáng kiến"]
    assert data["changes"]["return_items"] == ["Bổ sung xác nhận sáng kiến"]
