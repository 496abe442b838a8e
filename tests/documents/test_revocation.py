"""Revocation (CRL) checked when configured: the demo CA writes its CRL's address into the
certificates it issues (SIGNING_CRL_URL) and publishes the CRL (`manage.py signing_crl`); with
SIGNING_REVOCATION set, a revoked signer's signature is not trusted, a good one still is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from documents import appearance, services, signing
from documents.models import GeneratedKind as K
from org.models import Role
from tests import factories as f

from .helpers import pdf_bytes
from .tsa import LoopbackServer


@pytest.fixture
def crl_server(settings, tmp_path):
    """A fresh demo CA in its own directory, its CRL served on loopback, and the keys issued
    with that address in them: the chair's and the commune's agency key."""
    directory = tmp_path / "keys"
    directory.mkdir()
    with LoopbackServer(None, directory) as server:
        settings.SIGNING_KEYS_DIR = str(directory)
        settings.SIGNING_TRUST_ROOTS = None
        settings.SIGNING_CRL_URL = server.url + signing.CA_CRL
        yield server


@pytest.fixture
def issued(crl_server, decided, world, settings):
    directory, secret = signing.keys_dir(), signing.passphrase()
    signing.issue_user_key(
        directory, username="chair", full_name="Vũ Đức Thắng", organisation="Phường Long Biên", secret=secret
    )
    signing.issue_agency_key(directory, unit=world.commune, secret=secret)
    png = appearance.signature_image_png("Vũ Đức Thắng")
    services.signature_image_set(
        actor=world.chair, user=world.chair, uploaded_file=SimpleUploadedFile("c.png", png, "image/png")
    )
    clerk = f.user_with_role(Role.RECORDS_CLERK, world.commune, username="clerk")
    document = services.document_render(actor=world.officer, kind=K.DECISION, subject=decided)
    document = services.document_sign(actor=world.chair, document=document)
    return pdf_bytes(services.document_issue(actor=clerk, document=document))


def test_the_certificates_name_the_crl_address(issued, crl_server):
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import pkcs12

    _key, cert, _chain = pkcs12.load_key_and_certificates(
        signing.key_path("chair").read_bytes(), signing.passphrase()
    )
    points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert points[0].full_name[0].value == crl_server.url + "ca.crl"


def test_a_revoked_signer_is_not_trusted_when_revocation_is_checked(issued, settings, capsys):
    call_command("signing_crl", "--revoke", "chair")
    assert "revoked chair" in capsys.readouterr().out
    settings.SIGNING_REVOCATION = "require"
    chair, *agency = signing.validate(issued)  # the agency's seal and its annex
    assert chair.intact and chair.valid and chair.revoked
    assert not chair.trusted and not chair.bottom_line
    assert len(agency) == 2 and all(a.trusted and a.bottom_line and not a.revoked for a in agency)


def test_without_revocation_checking_the_crl_is_not_read(issued, settings):
    call_command("signing_crl", "--revoke", "chair")
    settings.SIGNING_REVOCATION = ""
    assert [c.trusted for c in signing.validate(issued)] == [True, True, True]


def test_required_revocation_data_that_cannot_be_had_is_not_trusted(issued, settings):
    # The CRL was never published: nothing to fetch at the address in the certificates.
    settings.SIGNING_REVOCATION = "require"
    assert [c.trusted for c in signing.validate(issued)] == [False, False, False]
    settings.SIGNING_REVOCATION = "soft"
    assert [c.trusted for c in signing.validate(issued)] == [True, True, True]


def test_a_published_crl_without_revocations_keeps_everyone_trusted(issued, settings):
    call_command("signing_crl")
    settings.SIGNING_REVOCATION = "require"
    assert [(c.trusted, c.revoked) for c in signing.validate(issued)] == [(True, False)] * 3


def test_the_site_serves_the_published_crl_to_anyone(crl_server, client):
    assert client.get("/signing/ca.crl").status_code == 404  # not published yet
    call_command("signing_crl")
    response = client.get("/signing/ca.crl")
    assert response.status_code == 200 and response["Content-Type"] == "application/pkix-crl"
    data = b"".join(response.streaming_content)
    assert data == (signing.keys_dir() / signing.CA_CRL).read_bytes()
