"""A fresh demo signs and issues out of the box: `seed_demo` then `issue_demo_keys` (what `make
run` does) give every signer a key and a signature image, each issuing body its agency key and
seal, and the audit its checkpoint key; a decision of the demo is then signed by its chair and
issued by the records clerk, and both signatures validate. `render_samples` then writes the
README's samples from that demo, leaving its data and files as they were."""

import io

import pytest
from django.core.management import call_command

from approvals.models import Decision
from audit import checkpoints
from documents import selectors, services, signing
from documents.models import GeneratedDocument, Signature, SignatureImage
from fund import services as fund_services
from fund.models import EntryKind, FundEntry
from org.models import User

from .helpers import pdf_bytes, text


@pytest.fixture
def fresh_keys(settings, tmp_path):
    settings.SIGNING_KEYS_DIR = str(tmp_path / "signing")
    settings.SIGNING_TRUST_ROOTS = None
    settings.AUDIT_CHECKPOINT_KEY = tmp_path / "audit" / "checkpoint-key.pem"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def test_a_fresh_demo_signs_and_issues_a_decision(db, fresh_keys, capsys):
    call_command("seed_demo")
    call_command("issue_demo_keys")
    first = capsys.readouterr().out
    assert "clerk" in first and "agency keys made" in first and "waiting for the records clerk" in first
    keys = sorted(p.name for p in (fresh_keys / "signing").iterdir())
    assert {"ca.pem", "chair.p12", "vice_chair.p12", "secretary.p12", "unit_head.p12"} <= set(keys)
    assert "agency-ubnd-phuong-long-bien.p12" in keys and "agency-ubnd-phuong-long-bien.png" in keys
    assert checkpoints.load_private_key() is not None
    chair = User.objects.get(username="chair")
    assert SignatureImage.objects.filter(user=chair).exists()

    # Idempotent: nothing is made again.
    call_command("issue_demo_keys")
    assert "0 signer keys made, 0 signature images made, 0 agency keys made" in capsys.readouterr().out
    assert sorted(p.name for p in (fresh_keys / "signing").iterdir()) == keys

    # The demo leaves one decision signed by the chair for the records clerk, who issues it.
    clerk = User.objects.get(username="clerk")
    [document] = selectors.documents_to_issue(user=clerk)
    decision = document.decision
    assert decision.signed_by == chair and document.signatures.get().signer == chair
    # Not issued, so not charged to the award fund, and nobody paid for it; the decision the demo
    # published is charged and two of its awardees paid.
    assert not FundEntry.objects.filter(decision=decision).exists()
    published = Decision.objects.exclude(pk=decision.pk).get(kind="award", issuer=decision.issuer)
    assert FundEntry.objects.filter(decision=published, kind=EntryKind.CHARGE).exists()
    assert FundEntry.objects.filter(decision=published, kind=EntryKind.PAYMENT).exists()
    document = services.document_issue(actor=clerk, document=document)
    charged = FundEntry.objects.get(decision=decision, kind=EntryKind.CHARGE)
    assert charged.amount == fund_services.decision_cash(decision) > 0
    checks = signing.validate(pdf_bytes(document))
    assert [(c.signer_name, c.bottom_line) for c in checks] == [
        ("Vũ Đức Thắng", True),
        (decision.issuer.name, True),
        (decision.issuer.name, True),  # its information on the annex
    ]
    assert Signature.objects.get(document=document, agency__isnull=False).agency == decision.issuer
    assert not selectors.documents_to_issue(user=clerk).exists()

    # The README's samples from this demo: the issued decision with both signatures, and nothing
    # the command did stays behind.
    counts = (GeneratedDocument.objects.count(), Signature.objects.count())
    media = sorted(p.relative_to(fresh_keys) for p in (fresh_keys / "media").rglob("*"))
    out = fresh_keys / "samples"
    call_command("render_samples", str(out), stdout=io.StringIO())
    names = sorted(p.name for p in out.iterdir())
    for stem in ("to-trinh", "trich-ngang", "bien-ban", "quyet-dinh", "quyet-dinh-huy-bo", "giay-khen"):
        assert f"{stem}.pdf" in names and f"{stem}.png" in names
    assert "quyet-dinh-ky.png" in names
    sample = (out / "quyet-dinh.pdf").read_bytes()
    assert [c.bottom_line for c in signing.validate(sample)] == [True, True, True]  # signer, seal, annex
    assert decision.symbol in text(sample).replace("\n", " ")
    assert (GeneratedDocument.objects.count(), Signature.objects.count()) == counts
    assert sorted(p.relative_to(fresh_keys) for p in (fresh_keys / "media").rglob("*")) == media
