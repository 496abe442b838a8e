"""The tờ trình that forwards dossiers upward is the commune's own outgoing document: it bears the
number the commune's register gives when the chair forwards, after the numbers already given."""

import pytest

from documents.models import GeneratedDocument, GeneratedKind
from org.models import RegisterEntry, RegisterSeries, Role
from org.register_services import register_record_outside
from tests import factories as f
from tests.documents.helpers import pdf_bytes, text
from workflows import services as wf

pytestmark = pytest.mark.django_db


def test_the_forwarding_submission_takes_the_next_number_of_the_registers(lower):
    w = lower
    clerk = f.user_with_role(Role.RECORDS_CLERK, w.commune, username="vanthu")
    register_record_outside(
        actor=clerk,
        unit=w.commune,
        year=2026,
        number=1,
        symbol="CV-UBND",
        issued_on=w.today,
        subject="Công văn hướng dẫn hồ sơ khen thưởng",
    )

    upward = wf.dossier_forward(actor=w.chair, dossiers=w.lower, title="Tờ trình đề nghị Bằng khen")

    entry = RegisterEntry.objects.get(
        register__unit=w.commune, register__series=RegisterSeries.DOCUMENTS, number=2
    )
    assert (entry.symbol, entry.object_id) == ("TTr-UBND", str(upward.pk))
    document = GeneratedDocument.objects.get(kind=GeneratedKind.SUBMISSION, dossier=upward)
    assert "Số: 02/TTr-UBND" in " ".join(text(pdf_bytes(document)).split())
