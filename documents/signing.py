"""Keys, certificates, PAdES signatures and their validation (pyHanko), as measured in
shared/notes/documents.md.

Where keys live: settings.SIGNING_KEYS_DIR (default BASE_DIR/var/signing, git-ignored) holds one
PKCS#12 per signer, `<username>.p12`, opened with settings.SIGNING_KEY_PASSPHRASE (from the
environment), and the certificates of the authorities we trust, settings.SIGNING_TRUST_ROOTS
(default: the demo CA, `<dir>/ca.pem`). A real deployment puts its own keys and CA there;
`manage.py issue_signing_cert` makes a demo CA and demo keys. Keys are never in the repository.

Every signature is appended as an incremental update: the previous bytes stay as the prefix.
The first signature certifies the document with FILL_FORMS (later signatures may follow, any
other change breaks it); later ones are approval signatures.
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
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(full_name or username, organisation, username))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
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
        "serial": format(cert.serial_number, "x"),
        "fingerprint": hashlib.sha256(cert.dump()).hexdigest(),
    }


def sign(
    pdf: bytes, *, signer, field_name: str, certify: bool, reason: str = "", location: str = ""
) -> bytes:
    """Append a PAdES B-B signature (invisible widget: the visible block is in the page itself)."""
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
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(
        writer,
        meta,
        signer=signer,
        new_field_spec=fields.SigFieldSpec(field_name),
        bytes_reserved=BYTES_RESERVED,
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


def validate(pdf: bytes) -> list[SignatureCheck]:
    """Every signature in the file, validated against our trust roots, offline."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
    checks = []
    for embedded in reader.embedded_signatures:
        cert = embedded.signer_cert
        info = certificate_info(cert)
        problems = []
        try:
            status = validate_pdf_signature(embedded, context)
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
            )
        )
    return checks


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
