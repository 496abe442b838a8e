"""What the demo needs to sign and issue out of the box: a records clerk (văn thư) in each body
that decides, and the keys and images (`manage.py issue_demo_keys`, run by `make run`): the demo
CA, a key and a drawn signature image for every signer, an agency key and a drawn seal for every
body that issues decisions, and the audit checkpoint key. Idempotent; nothing of it is committed
(keys in SIGNING_KEYS_DIR, images in MEDIA_ROOT, both under var/ or media/). For the demo only."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile

from audit import checkpoints
from documents import appearance, signing
from documents import services as documents
from documents.management.commands.issue_signing_cert import signers_today
from documents.models import GeneratedDocument, GeneratedKind, SignatureImage
from org.models import Role, RoleAssignment, Unit
from org.services import role_assign

from .data import PASSWORD, TERM_START, UNITS

# username, full name, position, unit key: the records office of each body that decides.
CLERKS = [
    ("clerk", "Ngô Thị Thu Trang", "Văn thư UBND phường", "longbien"),
    ("tp_vanthu", "Đặng Văn Khoa", "Văn thư UBND thành phố", "hanoi"),
]


def _unit(key):
    name = next(u[1] for u in UNITS if u[0] == key)
    return Unit.objects.filter(name=name).first()


def ensure_records_clerks() -> list[tuple[str, str]]:
    """The records clerks of the demo bodies (created once): (username, label) for the logins."""
    User = get_user_model()
    logins = []
    for username, full_name, position, unit_key in CLERKS:
        unit = _unit(unit_key)
        if unit is None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username,
                password=make_password(PASSWORD),
                full_name=full_name,
                position=position,
                unit=unit,
            )
        if not RoleAssignment.objects.filter(user=user, role=Role.RECORDS_CLERK, unit=unit).exists():
            role_assign(actor="system", user=user, role=Role.RECORDS_CLERK, unit=unit, start=TERM_START)
        logins.append(
            (username, f"records clerk (văn thư) — {full_name}, {unit.name}: issues signed decisions")
        )
    return logins


def issuing_bodies():
    """Every body that issues decisions (grants awards)."""
    return Unit.objects.filter(grants_awards=True).order_by("path")


def issue_demo_keys(write=print) -> dict:
    """Make whatever is missing; returns how many of each were made."""
    directory, secret = signing.keys_dir(), signing.passphrase()
    made = {"signer keys": 0, "signature images": 0, "agency keys": 0, "checkpoint key": 0}
    signing.issue_ca(directory, secret)
    for user in signers_today():
        _path, created = signing.issue_user_key(
            directory,
            username=user.username,
            full_name=user.get_full_name(),
            organisation=user.unit.name if user.unit_id else "",
            secret=secret,
        )
        made["signer keys"] += created
        if not SignatureImage.objects.filter(user=user).exists():
            png = appearance.signature_image_png(user.get_full_name() or user.username)
            documents.signature_image_set(
                actor=user, user=user, uploaded_file=SimpleUploadedFile("chu-ky.png", png, "image/png")
            )
            made["signature images"] += 1
    for unit in issuing_bodies():
        _path, created = signing.issue_agency_key(directory, unit=unit, secret=secret)
        made["agency keys"] += created
    try:
        checkpoints.load_private_key()
    except checkpoints.KeyMissing:
        checkpoints.generate_key()
        made["checkpoint key"] = 1
    write(
        "Demo keys (for the demo only, in %s): %s."
        % (directory, ", ".join(f"{count} {what} made" for what, count in made.items()))
    )
    signed = leave_one_to_issue()
    if signed is not None:
        write(
            f"Decision {signed.decision.symbol} signed by the chair, waiting for the records clerk to issue it."
        )
    from .public import publish_one

    published = publish_one()
    if published is not None:
        write(f"Decision {published.symbol} issued and published on the public pages (/cong-khai/).")
        from .fund import pay_two

        pay_two(published)  # issued, so charged to the fund: two of its awardees paid
    return made


def decision_left_to_issue():
    """The demo chair's first award decision: the one the records clerk issues in the demo (None
    without a demo world)."""
    from approvals.models import Decision, DecisionKind

    chair = get_user_model().objects.filter(username="chair").first()
    if chair is None:
        return None
    return Decision.objects.filter(kind=DecisionKind.AWARD, signed_by=chair).order_by("pk").first()


def leave_one_to_issue():
    """The decision left to issue (`decision_left_to_issue`), made into its PDF and signed, so
    that the records clerk has one to issue; nothing when any PDF of it exists already (or no
    demo world)."""
    decision = decision_left_to_issue()
    if (
        decision is None
        or GeneratedDocument.objects.filter(decision=decision, kind=GeneratedKind.DECISION).exists()
    ):
        return None
    chair = decision.signed_by
    document = documents.document_render(actor=chair, kind=GeneratedKind.DECISION, subject=decision)
    return documents.document_sign(actor=chair, document=document)
