"""The home page shows each person what concerns their role."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import translation

from dossiers.models import DossierState
from org.models import Role
from org.services import role_assign
from tests import factories as f

from .helpers import text


def dossier(world, unit, state, title):
    return f.DossierFactory(
        unit=unit, campaign=world.campaign, created_by=world.head_a, state=state, title=title
    )


def test_unit_staff_sees_their_units_drafts_and_returned_and_submitted(client, world):
    dossier(world, world.school_a, DossierState.DRAFT, "Dự thảo Ngọc Lâm")
    dossier(world, world.school_a, DossierState.RETURNED, "Bị trả lại Ngọc Lâm")
    dossier(world, world.school_a, DossierState.SUBMITTED, "Đã trình Ngọc Lâm")
    dossier(world, world.school_b, DossierState.SUBMITTED, "Đã trình Gia Thụy")
    client.force_login(world.staff_a)

    response = client.get(reverse("home"))

    sections = {s["key"]: [d.title for d in s["dossiers"]] for s in response.context["sections"]}
    assert sections == {"unit_sent": ["Đã trình Ngọc Lâm"]}
    # Returned dossiers first, then the drafts: the unit's work, above the sections.
    now = response.context["now"]
    assert [d.title for d in now["returned"]] == ["Bị trả lại Ngọc Lâm"]
    assert [d.title for d in now["drafts"]] == ["Dự thảo Ngọc Lâm"]
    assert reverse("dossier-create") in text(response)
    assert "Cán bộ phụ trách thi đua, khen thưởng của đơn vị" in text(response)


def test_standing_officer_sees_submitted_dossiers_waiting_in_scope(client, world):
    dossier(world, world.school_a, DossierState.DRAFT, "Dự thảo Ngọc Lâm")
    dossier(world, world.school_b, DossierState.SUBMITTED, "Đã trình Gia Thụy")
    dossier(world, world.school_b, DossierState.IN_APPRAISAL, "Đang thẩm định Gia Thụy")
    client.force_login(world.officer)

    response = client.get(reverse("home"))

    sections = {s["key"]: [d.title for d in s["dossiers"]] for s in response.context["sections"]}
    assert sections["to_receive"] == ["Đã trình Gia Thụy"]
    assert "Dự thảo Ngọc Lâm" not in text(response)
    assert reverse("dossier-create") not in text(response)


def test_chair_sees_dossiers_awaiting_decision(client, world):
    dossier(world, world.school_b, DossierState.AWAITING_DECISION, "Chờ quyết định Gia Thụy")
    client.force_login(world.chair)

    response = client.get(reverse("home"))

    sections = {s["key"]: [d.title for d in s["dossiers"]] for s in response.context["sections"]}
    assert sections["decision"] == ["Chờ quyết định Gia Thụy"]


def test_council_member_sees_dossiers_before_the_council(client, world):
    dossier(world, world.school_b, DossierState.IN_COUNCIL, "Trình Hội đồng Gia Thụy")
    dossier(world, world.school_b, DossierState.PUBLIC_NOTICE, "Đang niêm yết Gia Thụy")
    dossier(world, world.school_b, DossierState.COUNCIL_VOTED, "Đã bỏ phiếu Gia Thụy")
    client.force_login(world.member)

    response = client.get(reverse("home"))

    sections = {s["key"]: [d.title for d in s["dossiers"]] for s in response.context["sections"]}
    assert sections["council"] == ["Trình Hội đồng Gia Thụy"]


def test_inspector_sees_recent_dossiers_in_scope_and_no_actions(client, world):
    dossier(world, world.school_b, DossierState.DECIDED, "Đã quyết định Gia Thụy")
    dossier(world, world.school_a, DossierState.DRAFT, "Dự thảo Ngọc Lâm")
    client.force_login(world.inspector)

    response = client.get(reverse("home"))

    assert [s["key"] for s in response.context["sections"]] == ["recent"]
    assert [d.title for d in response.context["sections"][0]["dossiers"]] == ["Đã quyết định Gia Thụy"]
    assert reverse("dossier-create") not in text(response)


def test_the_header_names_the_role_that_decides_most_first(client, world):
    """The header has room for a role or two: a chair who also sits on the council reads
    "Chủ tịch" before "Thành viên Hội đồng"."""
    chair = f.council_member(world.council, "member", username="chair_member")
    role_assign(actor="system", user=chair, role=Role.CHAIR, unit=world.commune, start=dt.date(2020, 1, 1))
    client.force_login(chair)

    html = client.get(reverse("home")).content.decode()

    roles = re.search(r'<div class="text-white user-roles">([^<]*)</div>', html).group(1)
    with translation.override("vi"):
        assert roles == f"{Role.CHAIR.label}, {Role.COUNCIL_MEMBER.label}"
        assert roles.startswith("Chủ tịch")
