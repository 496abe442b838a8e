"""Three lower dossiers (two schools of the commune, two campaigns) approved by the commune's
council and awaiting its chair, each with its files, ready to be gathered into one upward
dossier to the province."""

import pytest

from dossiers import services as dossier_services
from org.models import Role
from tests import factories as f
from tests.workflows import conftest as walks
from tests.workflows.conftest import awaiting_decision

people = walks.people  # the world with the commune's and the province's people


def lower_dossier(
    w, *, unit, staff, head, campaign=None, name="Nguyễn Thị Lan", award="bang-khen-chu-tich-tinh"
):
    """A complete dossier of `unit` with one nominee for a provincial award, submitted by `head`
    and walked to the commune chair's decision."""
    dossier = f.DossierFactory(
        unit=unit, campaign=campaign or w.campaign, created_by=staff, title=f"Hồ sơ {name}"
    )
    nominee = f.NomineeFactory(dossier=dossier, award_type=f.award(award), name=name)
    for code in ["to-trinh", "bien-ban", "bao-cao-thanh-tich"]:
        dossier_services.attachment_add(
            actor=staff,
            dossier=dossier,
            kind=f.doc_kind(code),
            uploaded_file=f.pdf_upload(f"{code}.pdf", text=f"{code} {name}"),
            nominee=nominee if code == "bao-cao-thanh-tich" else None,
        )
    dossier.nominee = nominee
    w.head_a, saved = head, w.head_a  # the walk submits as "head_a"
    try:
        return awaiting_decision(w, dossier)
    finally:
        w.head_a = saved


@pytest.fixture
def lower(people):
    w = people
    w.staff_b = f.user_with_role(Role.UNIT_STAFF, w.school_b, username="staff_b")
    w.other_campaign = f.CampaignFactory(name="Thi đua yêu nước năm 2026", organizer=w.commune)
    w.lower = [
        lower_dossier(w, unit=w.school_a, staff=w.staff_a, head=w.head_a, name="Nguyễn Thị Lan"),
        lower_dossier(w, unit=w.school_b, staff=w.staff_b, head=w.head_b, name="Trần Văn Hùng"),
        lower_dossier(
            w, unit=w.school_b, staff=w.staff_b, head=w.head_b, name="Lê Thu Hà", campaign=w.other_campaign
        ),
    ]
    return w
