"""The "Căn cứ" lines of the documents come from the legal grounds as data: full citations, in the
usual order, read back from the PDF with pdftotext."""

import pytest

from approvals import services as approvals
from documents import services
from documents.models import GeneratedKind as K
from dossiers.models import CampaignGround, LegalGround

from .conftest import REVOCATION_DAY
from .helpers import pdf_bytes, text

pytestmark = pytest.mark.django_db

LOCAL_GOVERNMENT = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
LAW = "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
DECREE = (
    "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết "
    "một số điều của Luật Thi đua, khen thưởng;"
)
PLAN = (
    "Căn cứ Kế hoạch số 19/KH-HĐTĐKT ngày 28 tháng 4 năm 2021 của Hội đồng Thi đua - Khen thưởng "
    "quận Long Biên về tổ chức phong trào thi đua “Sáng kiến, sáng tạo Thủ đô” giai đoạn 2021 - 2025;"
)


def flat(data) -> str:
    """The PDF's text with its line breaks joined (a citation wraps over two or three lines)."""
    return " ".join(text(data).split())


def positions(content, expected):
    found = [content.find(line) for line in expected]
    assert -1 not in found, [line for line, at in zip(expected, found, strict=True) if at == -1]
    return found


def test_a_decision_prints_the_full_citations_in_order(decided, world):
    CampaignGround.objects.create(
        campaign=world.campaign, ground=LegalGround.objects.get(number="19/KH-HĐTĐKT")
    )
    document = services.document_render(actor=world.chair, kind=K.DECISION, subject=decided)

    content = flat(pdf_bytes(document))

    found = positions(content, [LOCAL_GOVERNMENT, LAW, DECREE, PLAN])
    assert found == sorted(found)
    assert content.count("Căn cứ Luật Thi đua, khen thưởng") == 1
    # The campaign's free text is not printed beside its ground rows.
    assert "Căn cứ Kế hoạch số 19/KH-HĐTĐKT;" not in content


def test_a_campaign_without_ground_rows_falls_back_to_its_text(decided, world):
    document = services.document_render(actor=world.chair, kind=K.DECISION, subject=decided)
    content = flat(pdf_bytes(document))
    found = positions(content, [LOCAL_GOVERNMENT, LAW, DECREE, "Căn cứ Kế hoạch số 19/KH-HĐTĐKT;"])
    assert found == sorted(found)


def test_a_revocation_cites_the_grounds_then_the_decision_it_revokes(decided, world):
    revocation = approvals.decision_revoke(
        actor=world.chair,
        awards=[decided.nominees[0].award],
        reason="Khai man thành tích",
        signed_on=REVOCATION_DAY,
    )
    document = services.document_render(actor=world.chair, kind=K.REVOCATION, subject=revocation)
    content = flat(pdf_bytes(document))
    found = positions(
        content, [LOCAL_GOVERNMENT, LAW, DECREE, "Căn cứ Quyết định số 01/QĐ-UBND ngày 05 tháng 02 năm 2026"]
    )
    assert found == sorted(found)


def test_a_submission_cites_the_rules_grounds_without_the_local_government_law(world, complete_draft):
    from dossiers import services as dossier_services

    dossier = dossier_services.dossier_submit(actor=world.head_a, dossier=complete_draft)
    document = services.document_render(actor=world.head_a, kind=K.SUBMISSION, subject=dossier)
    content = flat(pdf_bytes(document))
    found = positions(content, [LAW, DECREE])
    assert found == sorted(found)
    assert "Tổ chức chính quyền địa phương" not in content
