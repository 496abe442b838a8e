"""`manage.py render_samples docs/samples/`: one PDF of each kind of document from the demo data
(`seed_demo`), the decision signed by the demo chair and issued by the records clerk with the body's
seal, a PNG of each first page and one of the decision's signing page (`quyet-dinh-ky.png`).
Run it after `make run` (or `seed_demo` and `issue_demo_keys`): it needs the demo's keys and seals.

Works on the demo's decided decision when there is one; otherwise it takes the demo's submitted
dossiers of Phường Long Biên through appraisal, the council's result, the vice-chair's opinion
and the chair's decision with the real services. Everything it writes to the database (and the
revocation it needs for the sample of a revocation) is rolled back at the end, and its media
files go to a temporary directory: the demo data stays as it was.
"""

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from approvals import paper_meetings
from approvals import services as approvals
from approvals.models import Award, Decision, DecisionKind
from dossiers.models import Dossier, DossierState, Nominee
from org.models import CouncilMembership, CouncilRole, Role, RoleAssignment

from ... import appearance, services, signing
from ...models import FILE_SLUG, GeneratedDocument
from ...models import GeneratedKind as K


def _minutes_pdf() -> bytes:
    """A one-page PDF standing for the signed minutes of the samples' paper meeting."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


DECISION_TITLE = "Về việc khen thưởng các cá nhân, tập thể có thành tích xuất sắc trong phong trào thi đua"
REVOCATION_REASON = "Hồ sơ đề nghị khen thưởng sử dụng giấy tờ không hợp lệ (mẫu minh họa)"


class Command(BaseCommand):
    help = "Write one sample PDF (and a PNG of its first page) of each kind of document from the demo data."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default="docs/samples")
        parser.add_argument("--dpi", type=int, default=60, help="Resolution of the PNG previews.")

    def handle(self, *args, directory, dpi, **options):
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        pdftoppm = shutil.which("pdftoppm")
        if not pdftoppm:
            raise CommandError("pdftoppm (Debian poppler-utils) is needed for the previews.")
        with tempfile.TemporaryDirectory(prefix="tdkt-samples-") as media:
            # A copy of the demo's files: the signed decision is read from it, nothing is written back.
            if Path(settings.MEDIA_ROOT).is_dir():
                shutil.copytree(settings.MEDIA_ROOT, media, dirs_exist_ok=True)
            samples = self.build_in(media)
        for kind, data in samples.items():
            pdf = out / f"{FILE_SLUG[kind]}.pdf"
            pdf.write_bytes(data)
            self.preview(pdftoppm, pdf, pdf.with_suffix(""), page=1, dpi=dpi)
            self.stdout.write(f"{pdf}  ({len(data) // 1024} KB) + {pdf.with_suffix('.png').name}")
            if kind == K.DECISION:
                box = appearance.signer_box(data, "")
                page = box.page + 1 if box else 1
                signed = pdf.with_name(pdf.stem + "-ky")
                self.preview(pdftoppm, pdf, signed, page=page, dpi=dpi * 2)
                self.stdout.write(f"  the signing page (page {page}): {signed.name}.png")

    def preview(self, pdftoppm, pdf, stem, *, page, dpi):
        command = [pdftoppm, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"]
        subprocess.run([*command, str(pdf), str(stem)], check=True)  # noqa: S603 - our own arguments

    def build_in(self, media) -> dict:
        with override_settings(MEDIA_ROOT=media), transaction.atomic():
            samples = self.build()
            transaction.set_rollback(True)
        return samples

    # --- the data ---

    def build(self) -> dict:
        decision = (
            Decision.objects.filter(kind=DecisionKind.AWARD, awards__revoked_by__isnull=True)
            .annotate(n=Count("awards"))
            .filter(n__gt=0)
            .order_by("year", "number")
            .first()
        ) or self.decide()
        chair = decision.signed_by
        self.ensure_key(chair)
        User = get_user_model()
        maker = User.objects.filter(is_superuser=True, is_active=True).first() or chair
        dossier = decision.dossiers.order_by("pk").first()
        nominee = Nominee.objects.current().filter(dossier=dossier).order_by("pk").first()
        awards = list(Award.objects.filter(decision=decision, revoked_by__isnull=True).order_by("nominee_id"))

        documents = {
            K.SUBMISSION: services.document_render(actor=maker, kind=K.SUBMISSION, subject=dossier),
            K.ACHIEVEMENT: services.document_render(actor=maker, kind=K.ACHIEVEMENT, subject=nominee),
            K.MINUTES: services.document_render(actor=maker, kind=K.MINUTES, subject=dossier),
            K.CERTIFICATE: services.document_render(actor=maker, kind=K.CERTIFICATE, subject=awards[0]),
        }
        # The demo leaves its decision signed by the chair for the clerk (issue_demo_keys): use it.
        signed = (
            GeneratedDocument.objects.filter(
                kind=K.DECISION, decision=decision, superseded_by__isnull=True, signatures__signer=chair
            )
            .order_by("-version")
            .first()
        )
        documents[K.DECISION] = signed or services.document_sign(
            actor=chair, document=services.document_render(actor=maker, kind=K.DECISION, subject=decision)
        )
        if not services.issued(documents[K.DECISION]):
            documents[K.DECISION] = services.document_issue(
                actor=self.clerk(decision.issuer), document=documents[K.DECISION]
            )
        revocation = approvals.decision_revoke(
            actor=chair, awards=[awards[-1]], reason=REVOCATION_REASON, capacity=decision.signer_capacity
        )
        documents[K.REVOCATION] = services.document_render(actor=maker, kind=K.REVOCATION, subject=revocation)
        result = {}
        for kind, document in documents.items():
            with document.file.open("rb") as handle:
                result[kind] = handle.read()
        return result

    def clerk(self, body):
        row = (
            RoleAssignment.objects.active_on(timezone.localdate())
            .filter(unit=body, role=Role.RECORDS_CLERK)
            .select_related("user")
            .first()
        )
        if row is None:
            raise CommandError(f"{body} has no records clerk to issue the decision: run `make run` first.")
        return row.user

    def ensure_key(self, user):
        signing.issue_user_key(
            signing.keys_dir(),
            username=user.get_username(),
            full_name=user.get_full_name(),
            organisation=user.unit.name if user.unit_id else "",
            secret=signing.passphrase(),
        )

    def decide(self) -> Decision:
        """The demo has no decision yet: decide its submitted dossiers at the first level that
        grants awards, step by step, with the services."""
        dossiers = list(
            Dossier.objects.filter(
                state=DossierState.SUBMITTED, reviewing_unit__isnull=False, is_upward=False
            )
            .select_related("reviewing_unit")
            .order_by("pk")
        )
        if not dossiers:
            raise CommandError("No decided or submitted dossier: run `manage.py seed_demo` first.")
        unit = dossiers[0].reviewing_unit
        people = self.officers(unit)
        ready = []
        for dossier in (d for d in dossiers if d.reviewing_unit_id == unit.pk):
            nominees = list(Nominee.objects.current().filter(dossier=dossier).select_related("rule"))
            if not nominees or not all(approvals.decides_here(n.rule, unit) for n in nominees if n.rule):
                continue
            approvals.appraisal_receive(actor=people["officer"], dossier=dossier)
            dossier = approvals.appraisal_accept(actor=people["officer"], dossier=dossier)
            if dossier.state == DossierState.IN_COUNCIL:
                # The council's result comes only from a closed meeting: one held on paper.
                total = people["members_total"]
                meeting = paper_meetings.paper_meeting_record(
                    actor=people["secretary"],
                    council=unit.council,
                    held_at=timezone.now() - dt.timedelta(hours=1),
                    place=unit.name,
                    chairperson=people["council_chair"],
                    dossiers=[dossier],
                    present=people["members"],
                    counts={
                        n.pk: {"votes_for": total - i % 2, "votes_against": i % 2}
                        for i, n in enumerate(nominees)
                        if n.outcome == "eligible"
                    },
                    minutes=SimpleUploadedFile(
                        "bien-ban-hop.pdf", _minutes_pdf(), content_type="application/pdf"
                    ),
                )
                approvals.council_result_record(actor=people["secretary"], dossier=dossier, meeting=meeting)
                approvals.opinion_give(
                    actor=people["vice_chair"], dossier=dossier, text="Đồng ý với đề nghị của Hội đồng."
                )
            if Dossier.objects.get(pk=dossier.pk).state == DossierState.AWAITING_DECISION:
                ready.append(dossier)
        if not ready:
            raise CommandError("None of the demo's submitted dossiers could be decided here.")
        return approvals.decision_issue(
            actor=people["chair"], dossiers=ready, title=DECISION_TITLE, signed_on=timezone.localdate()
        )

    def officers(self, unit) -> dict:
        today = timezone.localdate()

        def holder(role):
            row = (
                RoleAssignment.objects.active_on(today)
                .filter(unit=unit, role=role)
                .select_related("user")
                .first()
            )
            return row.user if row else None

        council = getattr(unit, "council", None)
        members = list(
            CouncilMembership.objects.active_on(today).filter(council=council).select_related("user")
        )

        def member(council_role):
            return next((m.user for m in members if m.council_role == council_role), None)

        people = {
            "officer": holder(Role.STANDING_OFFICER),
            "chair": holder(Role.CHAIR),
            "secretary": member(CouncilRole.SECRETARY),
            "vice_chair": member(CouncilRole.VICE_CHAIR),
            "members_total": len(members),
            "members": [m.user for m in members],
            "council_chair": member(CouncilRole.CHAIR) or member(CouncilRole.VICE_CHAIR),
        }
        missing = [k for k, v in people.items() if not v]
        if missing:
            raise CommandError(f"The demo lacks {', '.join(missing)} at {unit}.")
        return people
