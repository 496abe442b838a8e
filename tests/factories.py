"""Factories for the whole suite. Roles are given through the real service (org.services)."""

import datetime as dt
import itertools

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals.models import Decision
from dossiers.models import AwardType, Campaign, CampaignQuota, DocumentKind, Dossier, Nominee
from org.models import Council, Unit, UnitLevel, User
from org.services import council_member_add, role_assign

_n = itertools.count(1)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    code = factory.Sequence(lambda n: f"DV{n}")
    level = UnitLevel.SCHOOL
    parent = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    password = factory.django.Password("pw-test-123")


def user_with_role(role, unit, **kwargs) -> User:
    user = UserFactory(unit=unit, **kwargs)
    role_assign(actor="system", user=user, role=role, unit=unit, start=dt.date(2020, 1, 1))
    return User.objects.get(pk=user.pk)


def council_member(council, council_role, **kwargs) -> User:
    user = UserFactory(unit=council.unit, **kwargs)
    council_member_add(
        actor="system", council=council, user=user, council_role=council_role, start=dt.date(2020, 1, 1)
    )
    return User.objects.get(pk=user.pk)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Phong trào thi đua {n}")
    period_start = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=300))
    period_end = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    submission_deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    legal_basis = "Kế hoạch số 19/KH-HĐTĐKT"


class DossierFactory(factory.django.DjangoModelFactory):
    """A dossier set straight into a state (create(state=…) is allowed on a protected FSMField);
    behaviour tests move it with the services."""

    class Meta:
        model = Dossier

    title = factory.Sequence(lambda n: f"Hồ sơ đề nghị khen thưởng số {n}")
    procedure_kind = "campaign"
    reviewing_unit = factory.LazyAttribute(lambda d: d.unit.deciding_unit())


class NomineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nominee

    kind = "individual"
    name = factory.Sequence(lambda n: f"Trần Thị Hồng {n}")
    position = "Giáo viên"
    achievements = "Hoàn thành xuất sắc nhiệm vụ năm học; sáng kiến được công nhận cấp cơ sở."
    award_type = factory.LazyFunction(lambda: AwardType.objects.get(code="giay-khen"))


def award(code) -> AwardType:
    return AwardType.objects.get(code=code)


def doc_kind(code) -> DocumentKind:
    return DocumentKind.objects.get(code=code)


def quota(campaign, limit, *, nominee_kind="", award_type=None) -> CampaignQuota:
    return CampaignQuota.objects.create(
        campaign=campaign, limit=limit, nominee_kind=nominee_kind, award_type=award_type
    )


def pdf_bytes(text="Tờ trình") -> bytes:
    """A small but well-formed PDF (header, one page, cross-reference table, trailer, %%EOF) that
    a strict reader parses; `text` is in a comment, so each text gives other bytes."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    ]
    out = b"%PDF-1.4\n% " + text.encode() + b"\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def pdf_upload(name="to-trinh.pdf", text="Tờ trình") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def council_for(unit, name=None) -> Council:
    return Council.objects.create(unit=unit, name=name or f"Hội đồng TĐKT {unit.name}")


def decision(issuer, signed_by, *, number=1, title="Về việc tặng Giấy khen", signed_on=None, dossiers=()):
    """A decision of `issuer` as the chair would sign it (not yet signed as a document)."""
    made = Decision.objects.create(
        issuer=issuer,
        year=2026,
        number=number,
        title=title,
        signed_on=signed_on or dt.date(2026, 2, 4 + number),
        signed_by=signed_by,
    )
    if dossiers:
        made.dossiers.add(*dossiers)
    return made
