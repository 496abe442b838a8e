"""What a reader is told about a decision: the public page names its signer in the capacity the
decision prints over the signature (Decree 30: "CHỦ TỊCH"; "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"),
and the records clerk's list of what they issued says whether each decision is on the public
pages (published on which day) or not yet."""

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import services as approvals
from approvals.models import CouncilResult
from documents import services
from documents.models import GeneratedKind as K
from documents.publication import decision_publish
from dossiers.models import DossierState, NomineeOutcome
from tests import factories as f
from tests.documents.conftest import DECISION_DAY


def signer_block(page: str) -> str:
    start = page.index('data-testid="public-signer"')
    return page[start : page.index("</dd>", start)]


def test_the_public_page_shows_the_chairs_capacity_then_their_name(client, published, world):
    page = client.get(reverse("public-decision", args=[published.pk])).content.decode()
    block = signer_block(page)
    assert ">CHỦ TỊCH</span>" in block and world.chair.get_full_name() in block
    assert block.index("CHỦ TỊCH") < block.index(world.chair.get_full_name())


@pytest.fixture
def published_kt(world, council_roles, agency_key, clerk):
    """A decision the vice-chair signed on the chair's behalf (KT.), issued and published."""
    dossier = f.DossierFactory(
        unit=world.school_a,
        campaign=world.campaign,
        created_by=world.staff_a,
        reviewing_unit=world.commune,
        state=DossierState.AWAITING_DECISION,
        submitted_at=timezone.now(),
        submission_count=1,
        title="Đề nghị tặng Giấy khen",
    )
    nominee = f.NomineeFactory(
        dossier=dossier,
        name="Trần Minh Khoa",
        workplace="Trường THCS Ngọc Lâm",
        outcome=NomineeOutcome.VOTED_IN,
        rule=f.award("giay-khen").rule_on(DECISION_DAY),
    )
    CouncilResult.objects.create(
        nominee=nominee,
        votes_for=8,
        votes_against=1,
        members_total=9,
        passed=True,
        recorded_by=world.secretary,
    )
    decision = approvals.decision_issue(
        actor=world.vice_chair,
        dossiers=[dossier],
        title="Về việc tặng Giấy khen",
        signed_on=DECISION_DAY,
        capacity="KT",
    )
    document = services.document_render(actor=world.officer, kind=K.DECISION, subject=decision)
    document = services.document_sign(actor=world.vice_chair, document=document)
    services.document_issue(actor=clerk, document=document)
    decision_publish(actor=clerk, decision=decision)
    return decision


def test_the_public_page_shows_a_vice_chair_signing_on_the_chairs_behalf(client, published_kt, world):
    page = client.get(reverse("public-decision", args=[published_kt.pk])).content.decode()
    block = signer_block(page)
    assert "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" in block
    assert block.index("PHÓ CHỦ TỊCH") < block.index(world.vice_chair.get_full_name())


def issued_line(page: str, symbol: str) -> str:
    start = page.index(symbol, page.index("Phát hành gần đây"))
    return page[start : page.index("</li>", start)]


def test_the_clerks_issued_list_says_whether_a_decision_is_published(client, issued, clerk):
    client.force_login(clerk)
    client.cookies["django_language"] = "vi"
    publication = reverse("decision-publication", args=[issued.pk])
    line = issued_line(client.get(reverse("documents-to-issue")).content.decode(), issued.symbol)
    assert "Chưa công bố" in line and f'href="{publication}">Công bố</a>' in line
    assert "Đã công bố" not in line

    decision_publish(actor=clerk, decision=issued)
    line = issued_line(client.get(reverse("documents-to-issue")).content.decode(), issued.symbol)
    day = timezone.localdate().strftime("%d/%m/%Y")
    assert f"Đã công bố ngày {day}" in line and f'href="{publication}">Quản lý công bố</a>' in line
    assert "Chưa công bố" not in line
