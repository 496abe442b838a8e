from django.core import mail

from dossiers import services as dossier_services
from notices.models import Notice
from tests import factories as f


def drafted(w, unit=None, staff=None):
    """A complete draft of `unit` (school A by default), ready to submit."""
    unit, staff = unit or w.school_a, staff or w.staff_a
    dossier = dossier_services.dossier_create(
        actor=staff, unit=unit, campaign=w.campaign, title=f"Hồ sơ {unit.name}"
    )
    nominee = dossier_services.nominee_add(
        actor=staff,
        dossier=dossier,
        kind="individual",
        sex="female",
        name="Nguyễn Thị Lan",
        award_type=f.award("giay-khen"),
        achievements="Hoàn thành xuất sắc nhiệm vụ.",
    )
    dossier_services.attachment_add(
        actor=staff,
        dossier=dossier,
        kind=f.doc_kind("bao-cao-thanh-tich"),
        nominee=nominee,
        uploaded_file=f.pdf_upload(),
    )
    for kind in ("to-trinh", "bien-ban"):
        dossier_services.attachment_add(
            actor=staff, dossier=dossier, kind=f.doc_kind(kind), uploaded_file=f.pdf_upload()
        )
    return dossier


def told(kind=None) -> dict[str, list[str]]:
    """{username: [texts]} of the notices made (of `kind`)."""
    qs = Notice.objects.select_related("recipient").order_by("pk")
    if kind:
        qs = qs.filter(kind=kind)
    out: dict[str, list[str]] = {}
    for n in qs:
        out.setdefault(n.recipient.username, []).append(n.text)
    return out


def mailed() -> list[str]:
    """The usernames mailed (each message has one recipient)."""
    return sorted(m.to[0].split("@")[0] for m in mail.outbox)
