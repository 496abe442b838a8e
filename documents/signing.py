"""Keys, certificates, PAdES signatures and their validation (pyHanko), as measured in
shared/notes/documents.md.

Where keys live: settings.SIGNING_KEYS_DIR (default BASE_DIR/var/signing, git-ignored) holds one
PKCS#12 per signer, `<username>.p12`, opened with settings.SIGNING_KEY_PASSPHRASE (from the
environment), and the certificates of the authorities we trust, settings.SIGNING_TRUST_ROOTS
(default: the demo CA, `<dir>/ca.pem`). A real deployment puts its own keys and CA there;
`manage.py issue_signing_cert` makes a demo CA and demo keys. Keys are never in the repository.

Every signature is appended as an incremental update: the previous bytes stay as the prefix.
Every signature is an approval signature: what may follow it is another signature (a new
signature field and its appearance, which pyHanko's difference analysis accepts as form filling)
and nothing else; any change of the content makes it report modification OTHER, not valid. (A
certification signature would forbid the later *visible* signatures: the second signer's image
and the agency's seal.)

Decree 30/2020, Appendix I: the signer's signature shows the signer's signature image at the
signing block (the template reserves a named box: WeasyPrint writes each element's id as a named
destination, so its position is read from the PDF itself, see `anchor_box`); the agency's
signature, applied by the records office, shows the seal over the left third of it; an annex in
the same file carries the agency's signature as text (name, time) at its top right. An agency
signs with a key of its own, `agency-<code>-<name>.p12`, its seal beside it (`….png`).

Optional, by setting: SIGNING_TSA_URL (an RFC 3161 timestamp authority: each signature then
carries a signature timestamp), SIGNING_CRL_URL (written into the certificates the demo CA issues
as their CRL distribution point; `manage.py signing_crl` publishes the CRL) and
SIGNING_REVOCATION ("require": a certificate without revocation data is not trusted; "soft":
checked when the data can be fetched; empty: not checked).
"""

import datetime as dt
import hashlib
import io
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

DEMO_PASSPHRASE = "demo-signing-only"  # the demo keys' passphrase; real keys use the setting
CA_CERT = "ca.pem"
CA_KEY = "ca-key.pem"
CA_CRL = "ca.crl"
REVOKED = "revoked.txt"  # serials (hex) the demo CA has revoked, one a line
BYTES_RESERVED = 16384  # fixed signature size: no second pass to measure it (notes: ≈ 2× faster)

_lock = threading.Lock()
_signers: dict = {}
_roots: dict = {}


class SigningKeyMissing(Exception):
    """The signer has no key and certificate on this server."""


# --- configuration ----------------------------------------------------------------------------


def _setting(name):
    """A setting, else the environment variable of the same name (settings win)."""
    return getattr(settings, name, None) or os.environ.get(name) or None


def keys_dir() -> Path:
    configured = _setting("SIGNING_KEYS_DIR")
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "signing"


def passphrase() -> bytes:
    return (_setting("SIGNING_KEY_PASSPHRASE") or DEMO_PASSPHRASE).encode()


def key_path(username: str) -> Path:
    return keys_dir() / f"{username}.p12"


def agency_key_name(unit) -> str:
    """The file name (without extension) of a unit's agency key and seal:
    `agency-<code>-<name>` (e.g. agency-ubnd-phuong-long-bien)."""
    from django.utils.text import slugify

    def slug(text):
        return slugify(str(text).replace("đ", "d").replace("Đ", "D"))

    # The code alone is not unique (every people's committee is UBND): the name goes with it.
    return f"agency-{slug(unit.code)}-{slug(unit.name)}"[:100].rstrip("-")


def seal_path(unit) -> Path:
    return keys_dir() / f"{agency_key_name(unit)}.png"


def tsa_url() -> str:
    return _setting("SIGNING_TSA_URL") or ""


def crl_url() -> str:
    return _setting("SIGNING_CRL_URL") or ""


def revocation_mode() -> str:
    """pyhanko-certvalidator's mode for SIGNING_REVOCATION: "" (not checked), "soft" or "require"."""
    value = (_setting("SIGNING_REVOCATION") or "").strip().lower()
    return {"": "", "soft": "soft-fail", "require": "require", "hard": "hard-fail"}.get(value, "require")


def trust_root_paths() -> list[Path]:
    configured = _setting("SIGNING_TRUST_ROOTS")
    if configured:
        paths = configured.split(",") if isinstance(configured, str) else configured
        return [Path(p.strip()) for p in paths if p.strip()]
    return [keys_dir() / CA_CERT]


# --- the demo CA and per-user keys (manage.py issue_signing_cert) ------------------------------


def _name(common_name, organisation="", uid=""):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]))
    if uid:
        parts.append(x509.NameAttribute(NameOID.USER_ID, uid))
    return x509.Name(parts)


def issue_ca(directory: Path, secret: bytes):
    """The demo certificate authority: created once, then loaded. Returns (certificate, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path_ = directory / CA_CERT, directory / CA_KEY
    if cert_path.exists() and key_path_.exists():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path_.read_bytes(), password=secret)
        return cert, key
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name("TĐKT Demo CA (không dùng thật)", "Hệ thống thi đua, khen thưởng — demo")
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_path_.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(secret),
        )
    )
    os.chmod(key_path_, 0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def issue_user_key(
    directory: Path, *, username: str, full_name: str, organisation: str, secret: bytes, force=False
) -> tuple[Path, bool]:
    """`<username>.p12` with a key and a certificate from the demo CA for signing documents
    (KeyUsage digitalSignature + contentCommitment: pyHanko requires non-repudiation).
    Returns (path, created)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    path = directory / f"{username}.p12"
    if path.exists() and not force:
        return path, False
    ca_cert, ca_key = issue_ca(directory, secret)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(full_name or username, organisation, username))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3 * 365))
    )
    if crl_url():
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(crl_url())],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
    cert = (
        builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        username.encode(), key, cert, [ca_cert], serialization.BestAvailableEncryption(secret)
    )
    path.write_bytes(data)
    os.chmod(path, 0o600)
    return path, True


def issue_agency_key(directory: Path, *, unit, secret: bytes, force=False) -> tuple[Path, bool]:
    """The issuing body's key (`agency-….p12`, subject O = CN = the body's name, issued by the
    demo CA) and its seal image beside it (`agency-….png`, drawn from the name). Returns
    (key path, created)."""
    from .appearance import seal_image_png

    name = agency_key_name(unit)
    path, created = issue_user_key(
        directory, username=name, full_name=unit.name, organisation=unit.name, secret=secret, force=force
    )
    seal = directory / f"{name}.png"
    if created or not seal.exists():
        seal.write_bytes(seal_image_png(unit.name))
    return path, created


def revoke(directory: Path, *, username: str, secret: bytes) -> str:
    """Put the certificate of `<username>.p12` on the demo CA's list of revoked certificates
    (then publish the CRL again). Returns its serial (hex)."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    _key, cert, _chain = pkcs12.load_key_and_certificates(
        (directory / f"{username}.p12").read_bytes(), secret
    )
    serial = format(cert.serial_number, "x")
    listed = directory / REVOKED
    known = set(listed.read_text().split()) if listed.exists() else set()
    if serial not in known:
        with listed.open("a") as handle:
            handle.write(serial + "\n")
    return serial


def publish_crl(directory: Path, secret: bytes, *, days: int = 7) -> Path:
    """The demo CA's CRL (DER) with every serial in revoked.txt, valid for `days`: the file the
    certificates' CRL distribution point (SIGNING_CRL_URL) serves."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    ca_cert, ca_key = issue_ca(directory, secret)
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now - dt.timedelta(minutes=5))
        .next_update(now + dt.timedelta(days=days))
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
    )
    listed = directory / REVOKED
    for serial in sorted(set(listed.read_text().split())) if listed.exists() else []:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(int(serial, 16)).revocation_date(now).build()
        )
    crl = builder.sign(ca_key, hashes.SHA256())
    path = directory / CA_CRL
    path.write_bytes(crl.public_bytes(serialization.Encoding.DER))
    return path


# --- signing ----------------------------------------------------------------------------------


def load_signer(username: str):
    """The user's pyHanko signer, loaded once per process (and again if the file changes)."""
    from pyhanko.sign import signers

    path = key_path(username)
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise SigningKeyMissing(username) from None
    key = (str(path), stamp)
    with _lock:
        signer = _signers.get(key)
        if signer is None:
            signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=passphrase())
            if signer is None:
                raise SigningKeyMissing(username)
            _signers[key] = signer
    return signer


def certificate_info(cert) -> dict:
    """An asn1crypto certificate as we record it: subject, serial (hex), SHA-256 fingerprint."""
    return {
        "subject": cert.subject.human_friendly,
        "common_name": cert.subject.native.get("common_name", ""),
        "organisation": cert.subject.native.get("organization_name", ""),
        "serial": format(cert.serial_number, "x"),
        "fingerprint": hashlib.sha256(cert.dump()).hexdigest(),
    }


@dataclass(frozen=True)
class Appearance:
    """A visible signature: where (a Box of documents.appearance) and what, an image (PNG bytes,
    drawn to fit the box) or a text filled in from `params` (e.g. %(when)s)."""

    box: object
    image: bytes = b""
    text: str = ""
    params: dict = field(default_factory=dict)


def timestamper():
    """The RFC 3161 client for SIGNING_TSA_URL, or None when no authority is configured."""
    url = tsa_url()
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=10)


# The agency's information on a decision's annex is a signature of its own, in a field named
# after the seal's: Sig2Annex after Sig2.
ANNEX_FIELD_SUFFIX = "Annex"


def _stamp_style(appearance):
    from pyhanko.pdf_utils import layout
    from pyhanko.stamp import StaticStampStyle, TextStampStyle

    if appearance.image:
        from PIL import Image
        from pyhanko.pdf_utils.images import PdfImage

        return StaticStampStyle(
            background=PdfImage(Image.open(io.BytesIO(appearance.image))),
            background_opacity=1.0,
            border_width=0,
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0),
            ),
        )
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle

    from .appearance import stamp_font_file

    return TextStampStyle(
        stamp_text=appearance.text,
        border_width=0,
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(stamp_font_file(), font_size=9), font_size=9, leading=11
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MAX,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins.uniform(2),
        ),
    )


def sign(
    pdf: bytes,
    *,
    signer,
    field_name: str,
    certify: bool,
    reason: str = "",
    location: str = "",
    appearance: Appearance | None = None,
) -> bytes:
    """Append a PAdES signature: B-B, or B-T with a signature timestamp when SIGNING_TSA_URL is
    set. Invisible without `appearance`; else its widget shows the image or text in its box."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        reason=reason or None,
        location=location or None,
    )
    if appearance is None:
        spec, style = fields.SigFieldSpec(field_name), None
    else:
        # One widget, merged with its field: a field shown in several places (widgets as kids)
        # is read as unsigned by poppler (pdfsig, Okular).
        spec = fields.SigFieldSpec(field_name, on_page=appearance.box.page, box=appearance.box.as_tuple())
        style = _stamp_style(appearance)
    stamper = timestamper()
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, timestamper=stamper, stamp_style=style, new_field_spec=spec
    )
    out = pdf_signer.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)),
        bytes_reserved=BYTES_RESERVED * (2 if stamper else 1),
        appearance_text_params=dict(appearance.params) if appearance else None,
    )
    return out.getvalue()


# --- validation -------------------------------------------------------------------------------


def trust_roots() -> list:
    """The certificates of the authorities we trust, loaded once per process per file version."""
    from pyhanko.keys import load_cert_from_pemder

    roots = []
    for path in trust_root_paths():
        try:
            stamp = path.stat().st_mtime_ns
        except FileNotFoundError:
            continue
        key = (str(path), stamp)
        with _lock:
            if key not in _roots:
                _roots[key] = load_cert_from_pemder(str(path))
            roots.append(_roots[key])
    return roots


@dataclass
class SignatureCheck:
    """What pyHanko says of one embedded signature."""

    field_name: str
    signer_name: str
    certificate: dict
    signed_at: dt.datetime | None
    intact: bool
    valid: bool
    trusted: bool
    docmdp_ok: bool | None
    coverage: str
    modification_level: str
    bottom_line: bool
    covered_end: int  # the signed revision ends here: bytes[:covered_end] is the file as signed
    message_digest: str = ""
    problems: list = field(default_factory=list)
    # The RFC 3161 signature timestamp, when there is one: its time and whether it is trusted.
    timestamp_at: dt.datetime | None = None
    timestamp_trusted: bool | None = None
    revoked: bool = False


def validation_contexts():
    """(signer's, timestamp's) ValidationContext: our trust roots; revocation data fetched and
    checked as SIGNING_REVOCATION says (the timestamp authority's certificate only when it can be
    fetched: an authority's certificate is checked by its own policy)."""
    from pyhanko_certvalidator import ValidationContext

    roots, mode = trust_roots(), revocation_mode()
    if not mode:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        return context, context
    return (
        ValidationContext(trust_roots=roots, allow_fetching=True, revocation_mode=mode),
        ValidationContext(trust_roots=roots, allow_fetching=True, revocation_mode="soft-fail"),
    )


def validate(pdf: bytes) -> list[SignatureCheck]:
    """Every signature in the file, validated against our trust roots (offline unless revocation
    is checked), with its signature timestamp when it has one."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    context, ts_context = validation_contexts()
    checks = []
    for embedded in reader.embedded_signatures:
        cert = embedded.signer_cert
        info = certificate_info(cert)
        problems = []
        try:
            status = validate_pdf_signature(embedded, context, ts_validation_context=ts_context)
        except Exception as exc:  # a malformed signature is an answer, not a crash
            problems.append(str(exc))
            checks.append(
                SignatureCheck(
                    field_name=embedded.field_name,
                    signer_name=info["common_name"],
                    certificate=info,
                    signed_at=None,
                    intact=False,
                    valid=False,
                    trusted=False,
                    docmdp_ok=False,
                    coverage="",
                    modification_level="",
                    bottom_line=False,
                    covered_end=0,
                    problems=problems,
                )
            )
            continue
        byte_range = embedded.sig_object["/ByteRange"]
        checks.append(
            SignatureCheck(
                field_name=embedded.field_name,
                signer_name=info["common_name"],
                certificate=info,
                signed_at=status.signer_reported_dt or embedded.self_reported_timestamp,
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                docmdp_ok=status.docmdp_ok,
                coverage=status.coverage.name if status.coverage else "",
                modification_level=status.modification_level.name if status.modification_level else "",
                bottom_line=bool(status.bottom_line),
                covered_end=int(byte_range[2]) + int(byte_range[3]),
                message_digest=_message_digest(embedded),
                problems=problems,
                timestamp_at=status.timestamp_validity.timestamp if status.timestamp_validity else None,
                timestamp_trusted=(
                    _token_trusted(status.timestamp_validity) if status.timestamp_validity else None
                ),
                revoked=bool(status.revoked),
            )
        )
    return checks


def _token_trusted(token) -> bool:
    return bool(token.intact and token.valid and token.trusted)


def last_message_digest(pdf: bytes) -> str:
    """The messageDigest of the last signature in the file (just appended by `sign`)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    return _message_digest(signatures[-1]) if signatures else ""


def _message_digest(embedded) -> str:
    """The digest the signer signed (CMS messageDigest), hex: it names the signed bytes even when
    the file has since been altered."""
    try:
        attrs = embedded.signer_info["signed_attrs"]
        for attr in attrs:
            if attr["type"].native == "message_digest":
                return attr["values"][0].native.hex()
    except (KeyError, TypeError, ValueError):
        pass
    return ""
