"""Builds the demo world of demo.data through the real services, so that every demo dossier has
its true process, tasks and audit trail."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from approvals import services as approvals
from approvals.meeting_services import council_members_on
from dossiers import services
from dossiers.models import (
    AwardRule,
    AwardType,
    Campaign,
    CampaignQuota,
    DocumentKind,
    Dossier,
    DossierState,
    Nominee,
    NomineeOutcome,
)
from org.models import Council, Role, Unit, UnitLevel
from org.services import council_member_add, role_assign
from workflows import council as council_flow
from workflows import services as workflow
from workflows.flows import DossierFlow

from .assignments import seed_demo_assignments
from .clusters import seed_demo_clusters
from .contestcerts import seed_demo_contest_certificates
from .contests import seed_demo_contests
from .contests_results import seed_demo_contest_results
from .contests_rounds import seed_demo_contest_rounds
from .data import (
    AUTHORS,
    CAMPAIGN_AWARDS,
    CAMPAIGN_NAME,
    CITY_COUNCIL,
    COMMUNE_COUNCIL,
    DOSSIERS,
    IDENTITY,
    LOGINS,
    NOMINEES,
    OTHER_HEADS,
    PASSWORD,
    PATHS,
    PUBLIC_NOTICE_AWARD,
    PUBLIC_NOTICE_DAYS,
    TERM_START,
    UNITS,
)
from .emulation import seed_demo_emulation
from .fund import seed_demo_fund
from .history import attach_campaign_grounds, seed_demo_history
from .honours import seed_demo_honours
from .initiatives import seed_demo_initiatives
from .meetings import seed_demo_meetings
from .pdf import DemoPdfRenderer
from .ranking import seed_demo_ranked_campaign
from .registers import seed_demo_registers


class DemoBuilder:
    """One build of the demo world, inside the caller's transaction."""

    def build(self):
        User = get_user_model()
        self.units = {}
        for key, name, code, level, parent, grants, place in UNITS:
            self.units[key] = Unit.objects.create(
                name=name,
                code=code,
                level=level,
                parent=self.units.get(parent),
                grants_awards=grants,
                place_name=place,
            )
        self.users = {}
        password = make_password(PASSWORD)  # hashed once: hashing is deliberately slow

        def person(username, full_name, position, unit_key, **extra):
            user = User.objects.create(
                username=username,
                password=password,
                full_name=full_name,
                position=position,
                unit=self.units[unit_key],
                **extra,
            )
            self.users[username] = user
            return user

        for username, full_name, position, unit_key, role in LOGINS:
            extra = {"is_staff": True, "is_superuser": True} if role == Role.ADMIN else {}
            user = person(username, full_name, position, unit_key, **extra)
            if role:
                role_assign(actor="system", user=user, role=role, unit=self.units[unit_key], start=TERM_START)
        # Phòng Nội vụ is the commune's standing body: its officers act for the whole commune.
        role_assign(
            actor="system",
            user=self.users["officer"],
            role=Role.STANDING_OFFICER,
            unit=self.units["longbien"],
            start=TERM_START,
        )
        role_assign(
            actor="system",
            user=self.users["secretary"],
            role=Role.STANDING_OFFICER,
            unit=self.units["longbien"],
            start=TERM_START,
        )
        for username, full_name, position, unit_key in OTHER_HEADS:
            user = person(username, full_name, position, unit_key)
            role_assign(
                actor="system", user=user, role=Role.UNIT_HEAD, unit=self.units[unit_key], start=TERM_START
            )

        commune_council = Council.objects.create(
            unit=self.units["longbien"], name="Hội đồng Thi đua - Khen thưởng phường Long Biên"
        )
        for entry in COMMUNE_COUNCIL:
            username, council_role = entry[:2]
            user = self.users.get(username) or person(username, entry[2], entry[3], "longbien")
            council_member_add(
                actor="system",
                council=commune_council,
                user=user,
                council_role=council_role,
                start=TERM_START,
            )
        city_council = Council.objects.create(
            unit=self.units["hanoi"], name="Hội đồng Thi đua - Khen thưởng thành phố Hà Nội"
        )
        for username, council_role, full_name, position in CITY_COUNCIL:
            user = person(username, full_name, position, "snv")
            council_member_add(
                actor="system", council=city_council, user=user, council_role=council_role, start=TERM_START
            )
        role_assign(
            actor="system",
            user=self.users["tp_thuky"],
            role=Role.STANDING_OFFICER,
            unit=self.units["hanoi"],
            start=TERM_START,
        )
        # The records clerks, and the numbers issued on paper before the first decision.
        seed_demo_registers()

        today = timezone.localdate()
        campaign = Campaign.objects.create(
            name=CAMPAIGN_NAME,
            organizer=self.units["longbien"],
            procedure_kind="campaign",
            period_start=dt.date(today.year, 1, 1),
            period_end=dt.date(today.year, 12, 31),
            submission_deadline=today + dt.timedelta(days=30),
            legal_basis=(
                "Kế hoạch số 19/KH-HĐTĐKT của Hội đồng Thi đua - Khen thưởng về phong trào thi đua "
                "“Sáng kiến, sáng tạo Thủ đô”; Luật Thi đua, khen thưởng số 06/2022/QH15; "
                "Nghị định 152/2025/NĐ-CP"
            ),
        )
        campaign.award_types.set(AwardType.objects.filter(code__in=CAMPAIGN_AWARDS))
        attach_campaign_grounds(campaign)
        CampaignQuota.objects.create(campaign=campaign, nominee_kind="collective", limit=20)
        CampaignQuota.objects.create(campaign=campaign, nominee_kind="individual", limit=20)

        AwardRule.objects.filter(award_type__code=PUBLIC_NOTICE_AWARD, valid_to__isnull=True).update(
            public_notice_days=PUBLIC_NOTICE_DAYS
        )

        self.pdf = DemoPdfRenderer()
        self.kinds = {k.code: k for k in DocumentKind.objects.all()}
        staff = User.objects.get(username="unit_staff")
        for unit_key, title, picks, target in DOSSIERS:
            head = User.objects.get(pk=self._head_of(unit_key).pk)
            drafter = staff if unit_key == "ngoclam" else head
            self.make_dossier(campaign, unit_key, title, picks, target, drafter, head)
        # A council meeting convened for the dossiers now before the council, voting open, so the
        # demo `member` has ballots waiting.
        seed_demo_meetings()
        # A small campaign whose council ranked five collectives for three places, with a run-off.
        seed_demo_ranked_campaign(self)
        # Awards decided on paper before the system, and one eligibility override.
        seed_demo_history(self, campaign)
        # The standing body's leader has assigned received dossiers to its specialists.
        seed_demo_assignments(self)
        # The award fund: Long Biên's budget, its decision charged and two awardees paid.
        seed_demo_fund()
        # Ngọc Lâm's initiative council: last year's recognised initiatives, this year's vote open.
        seed_demo_initiatives()
        # Long Biên's emulation plan for the year: the schools' registrations, one override.
        seed_demo_emulation()
        # Sở Nội vụ's contest (seed 002): open, the units' entries sent, one unit at its cap.
        seed_demo_contests(self.pdf)
        # Sở Nội vụ's second contest in its appraisal round: jurors giamkhao1…4 have entries to score.
        seed_demo_contest_rounds(self.pdf)
        # Hà Nội's emulation clusters and blocs: 2025 ranked and proposed, 2026 open for self-scores.
        seed_demo_clusters(self)
        # Sở Nội vụ's 2025 contest, finished: 20 prizes ranked, its results decision signed and issued.
        seed_demo_contest_results()
        # Its prize winners' Giấy khen, made by Sở Nội vụ's records clerk (vanthu.snv).
        seed_demo_contest_certificates()
        # Hà Nội's state honours: its 2025 proposal with the central results, this year's in draft.
        seed_demo_honours(self)

    def _head_of(self, unit_key):
        return {
            "ngoclam": self.users["unit_head"],
            "giathuy": self.users["head_giathuy"],
            "hoasua": self.users["head_hoasua"],
            "tramyte": self.users["head_tramyte"],
            "moitruong": self.users["head_moitruong"],
        }[unit_key]

    def identity(self, kind, name, unit) -> dict:
        """The fields the decree's forms print: an individual's identity, a collective's unit."""
        if name in IDENTITY:
            sex, born, hometown, id_number, qualifications = IDENTITY[name]
            return {
                "sex": sex,
                "date_of_birth": born,
                "hometown": hometown,
                "id_number": id_number,
                "qualifications": qualifications,
            }
        if kind == "collective":
            linked = Unit.objects.filter(path__startswith=unit.path, name=name).first()
            return {"collective_unit": linked} if linked else {}
        return {}

    def make_dossier(self, campaign, unit_key, title, picks, target, drafter, head):
        unit = self.units[unit_key]
        dossier = services.dossier_create(
            actor=drafter,
            unit=unit,
            campaign=campaign,
            title=title,
            summary=f"{unit.name} đề nghị khen thưởng trong {campaign.name}.",
        )
        nominees = []
        for index in picks:
            kind, name, position, award_code, achievements = NOMINEES[unit_key][index]
            nominee = services.nominee_add(
                actor=drafter,
                dossier=dossier,
                kind=kind,
                name=name,
                award_type=AwardType.objects.get(code=award_code),
                achievements=achievements,
                position=position,
                workplace=unit.name,
                is_enterprise=unit.level == UnitLevel.ENTERPRISE,
                **self.identity(kind, name, unit),
            )
            for author, author_position, share in AUTHORS.get(name, []):
                services.nominee_author_add(
                    actor=drafter, nominee=nominee, name=author, position=author_position, share_percent=share
                )
            nominees.append(nominee)
        if target == "draft_missing":
            self.attach(dossier, "to-trinh", drafter, unit, f"Tờ trình: {title}")
        elif target not in ("draft_empty", "withdrawn_draft"):
            self.attach_all(dossier, nominees, drafter, unit)
        if target == "withdrawn_draft":
            workflow.dossier_withdraw(
                actor=head, dossier=dossier, reason="Đơn vị rà soát lại danh sách, sẽ lập hồ sơ mới."
            )
        if target in PATHS:
            workflow.dossier_submit(actor=head, dossier=dossier)
            for step in PATHS[target]:
                current = Dossier.objects.get(pk=dossier.pk)
                if step in ("council", "opinion") and current.state == DossierState.AWAITING_DECISION:
                    break  # the simplified procedure has no council and no opinion
                self.take_step(step, current, nominees, drafter, head, unit)

    def take_step(self, step, dossier, nominees, drafter, head, unit):
        """One step of the path, by the person whose step it is (workflows.services)."""
        users = self.users
        if step == "receive":
            workflow.appraisal_receive(actor=users["officer"], dossier=dossier)
        elif step == "return":
            workflow.appraisal_return(
                actor=users["officer"],
                dossier=dossier,
                items=[
                    f"Báo cáo thành tích của {nominees[0].name} chưa có xác nhận của thủ trưởng đơn vị.",
                    "Biên bản họp xét thiếu chữ ký của thư ký cuộc họp.",
                ],
            )
        elif step == "supplement":
            self.attach(
                dossier,
                "bao-cao-thanh-tich",
                drafter,
                unit,
                f"Báo cáo thành tích (có xác nhận) — {nominees[0].name}",
                nominee=nominees[0],
                body=[nominees[0].achievements, "Xác nhận của thủ trưởng đơn vị."],
            )
            self.attach(dossier, "bien-ban", drafter, unit, f"Biên bản họp xét (đủ chữ ký): {dossier.title}")
            workflow.dossier_submit(actor=head, dossier=Dossier.objects.get(pk=dossier.pk))
        elif step == "reject":
            workflow.appraisal_reject(
                actor=users["officer"],
                dossier=dossier,
                reasons=(
                    "Thành tích nêu trong hồ sơ là nhiệm vụ thường xuyên, chưa đủ tiêu chuẩn Giấy khen "
                    "theo Điều 75 Luật Thi đua, khen thưởng 2022."
                ),
            )
        elif step == "accept":
            workflow.appraisal_accept(actor=users["officer"], dossier=dossier)
        elif step == "object":
            approvals.objection_lodge(
                actor=users["hd_lan"],
                dossier=dossier,
                nominee=nominees[0],
                text=("Đề nghị làm rõ sáng kiến của đồng chí đã được áp dụng tại đơn vị hay chưa."),
            )
        elif step == "council":
            self.paper_meeting(dossier)
        elif step == "opinion":
            workflow.opinion_give(
                actor=users["vice_chair"],
                dossier=dossier,
                text="Thống nhất với kết quả bỏ phiếu của Hội đồng, đề nghị Chủ tịch xem xét.",
            )
        elif step == "decide":
            # One decision for the campaign's dossiers waiting at the chair's, with one annex.
            workflow.decision_issue(
                actor=users["chair"],
                dossiers=[*getattr(self, "to_decide", []), dossier],
                title="Về việc khen thưởng phong trào thi đua “Sáng kiến, sáng tạo”",
            )
        elif step == "wait_decision":
            self.to_decide = [*getattr(self, "to_decide", []), dossier]
        elif step == "gather":
            # Waits at the chair's, to go up with the next forwarding (one upward dossier).
            self.gathered = [*getattr(self, "gathered", []), dossier]
        elif step == "forward":
            self.upward = workflow.dossier_forward(
                actor=users["chair"],
                dossiers=[*getattr(self, "gathered", []), dossier],
                title="Tờ trình đề nghị Chủ tịch UBND thành phố tặng Bằng khen cho các tập thể, cá nhân "
                "của các trường trên địa bàn phường",
            )
        elif step == "receive_above":
            workflow.appraisal_receive(actor=users["tp_thuky"], dossier=self.upward)
        elif step == "decline":
            workflow.dossier_decline(
                actor=users["chair"],
                dossier=dossier,
                reason=("Đơn vị chưa hoàn thành chỉ tiêu thi đua năm học; đề nghị xem xét vào đợt sau."),
            )
        elif step == "withdraw":
            workflow.dossier_withdraw(
                actor=head, dossier=dossier, reason="Đơn vị rà soát lại danh sách, sẽ lập hồ sơ mới."
            )

    def attach_all(self, dossier, nominees, actor, unit):
        rules_day = timezone.localdate()
        dossier_kinds, nominee_kinds = set(), []
        for nominee in nominees:
            rule = nominee.award_type.rule_on(rules_day)
            for link in rule.ruledocument_set.select_related("kind"):
                if link.enterprise_only and not nominee.is_enterprise:
                    continue
                if link.kind.scope == "dossier":
                    dossier_kinds.add(link.kind.code)
                else:
                    nominee_kinds.append((link.kind.code, nominee))
        for code in sorted(dossier_kinds):
            self.attach(dossier, code, actor, unit, f"{self.kinds[code].name}: {dossier.title}")
        for code, nominee in nominee_kinds:
            self.attach(
                dossier,
                code,
                actor,
                unit,
                f"{self.kinds[code].name} — {nominee.name}",
                nominee=nominee,
                body=[nominee.achievements],
            )

    def paper_meeting(self, dossier):
        """The council met on paper about this dossier an hour ago, every member present, each
        nominee 8 votes for and 1 against; its secretary records it with the signed minutes, and
        the result goes on to the vice-chair (workflows.council, as in production)."""
        council = Council.objects.select_related("unit").filter(unit_id=dossier.reviewing_unit_id).first()
        roll = council_members_on(council, timezone.localdate())
        nominees = Nominee.objects.current().filter(dossier=dossier, outcome=NomineeOutcome.ELIGIBLE)
        minutes = self.pdf.render(
            issuer=council.unit.name,
            unit=council.name,
            place=council.unit.place_name or "Long Biên",
            day=timezone.localdate(),
            title="BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
            paragraphs=[f"Xét hồ sơ: {dossier.title}", "Hội đồng đã bỏ phiếu kín, đủ số thành viên dự họp."],
        )
        council_flow.paper_meeting_record(
            actor=self.users["secretary"],
            council=council,
            held_at=timezone.now() - dt.timedelta(hours=1),
            place="Phòng họp tầng 2, trụ sở UBND phường Long Biên",
            chairperson=next(m.user for m in roll if m.council_role == "chair"),
            dossiers=[dossier],
            present=[m.user for m in roll],
            counts={n.pk: {"votes_for": len(roll) - 1, "votes_against": 1} for n in nominees},
            conclusion="Hội đồng thống nhất đề nghị Chủ tịch UBND phường khen thưởng.",
            minutes=SimpleUploadedFile("bien-ban-hop.pdf", minutes, content_type="application/pdf"),
        )

    def attach(self, dossier, code, actor, unit, title, nominee=None, body=None):
        kind = self.kinds[code]
        content = self.pdf.render(
            issuer=unit.parent.name if unit.parent else unit.name,
            unit=unit.name,
            place=unit.place_name or "Long Biên",
            day=timezone.localdate(),
            title=kind.name.upper(),
            paragraphs=[title, *(body or [])],
        )
        upload = SimpleUploadedFile(f"{code}.pdf", content, content_type="application/pdf")
        services.attachment_add(
            actor=actor, dossier=dossier, kind=kind, uploaded_file=upload, nominee=nominee
        )


def adopt_orphans() -> int:
    """A database seeded before the workflow existed has submitted dossiers without a process:
    start theirs (nothing else could have happened to them), so the standing body can receive
    them. Such a database lacks the later demo states: `make clean` rebuilds it whole."""
    orphans = list(Dossier.objects.filter(state=DossierState.SUBMITTED, process__isnull=True).order_by("pk"))
    with transaction.atomic():
        for dossier in orphans:
            DossierFlow.start.run(dossier=dossier)
    return len(orphans)


def read_settled_notices() -> int:
    """The demo's history tells people of every step it took, as the engine does; a person who
    signs in first should find today's work unread, not the notices of dossiers settled long ago
    or of meetings already closed. Those are marked read (returns how many). Run after the
    build's commit: the notices are made after it."""
    from django.urls import reverse
    from django.utils import timezone

    from approvals.models import CouncilMeeting, MeetingState
    from dossiers.models import Dossier, DossierState
    from notices.models import Notice

    S = DossierState
    settled = [S.DECIDED, S.REJECTED, S.DECLINED, S.WITHDRAWN, S.FORWARDED]
    links = [
        reverse("dossier-detail", args=[pk])
        for pk in Dossier.objects.filter(state__in=settled).values_list("pk", flat=True)
    ]
    links += [
        reverse("council-meeting-detail", args=[pk])
        for pk in CouncilMeeting.objects.filter(
            state__in=[MeetingState.CLOSED, MeetingState.CANCELLED]
        ).values_list("pk", flat=True)
    ]
    return Notice.objects.filter(read_at=None, link__in=links).update(read_at=timezone.now())
