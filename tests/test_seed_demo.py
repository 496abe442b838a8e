"""The demo world: believable, built through the services, idempotent."""

from collections import Counter

import pytest
from django.core.management import call_command

from approvals.models import CouncilMeeting, Decision, DossierAssignment
from audit.models import AuditEvent
from dossiers import legal
from dossiers.history import award_history, nominee_eligibility
from dossiers.models import AwardRecord, Campaign, CampaignQuota, Dossier, EligibilityOverride
from org.models import Council, User


@pytest.mark.calendar
def test_seed_demo_builds_the_world_once(db, capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = Counter(Dossier.objects.values_list("state", flat=True))
    events = AuditEvent.objects.count()

    call_command("seed_demo")
    second = capsys.readouterr().out

    assert "Demo data created." in first and "Demo data already present." in second
    # 28, and the proposal of the emulation cluster's leader for 2025 (demo/clusters.py), and the
    # city's three dossiers of state honours (demo/honours.py: 2025's, this year's, long service).
    assert Dossier.objects.count() == 32 and AuditEvent.objects.count() == events
    assert set(counts) == {
        "draft",
        "submitted",
        "in_appraisal",
        "returned",
        "rejected",
        "public_notice",
        "in_council",
        "council_voted",
        "awaiting_decision",
        "decided",
        "forwarded",
        "declined",
        "withdrawn",
    }
    for username in [
        "unit_staff",
        "unit_head",
        "officer",
        "member",
        "secretary",
        "vice_chair",
        "chair",
        "inspector",
        "admin",
    ]:
        assert username in first
        assert User.objects.get(username=username).check_password("demo-tdkt-2026")
    assert all(7 <= c.memberships.count() <= 11 for c in Council.objects.all())
    campaign = Campaign.objects.get(name="Sáng kiến, sáng tạo")
    assert sorted(CampaignQuota.objects.filter(campaign=campaign).values_list("nominee_kind", "limit")) == [
        ("collective", 20),
        ("individual", 20),
    ]
    submitted = Dossier.objects.filter(state="submitted").first()
    assert AuditEvent.objects.filter(action="dossier.submit", object_id=str(submitted.pk)).exists()
    # Every dossier past its draft went through the workflow: it has its process.
    assert (
        not Dossier.objects.exclude(state__in=["draft"])
        .filter(process__isnull=True)
        .exclude(state="withdrawn", submission_count=0)
        .exists()
    )
    # The commune's records clerk recorded two numbers issued on paper: the system skips them.
    assert [d.symbol for d in Decision.objects.filter(kind="award")] == ["03/QĐ-UBND"]
    # One decision for the campaign: three schools' dossiers, one annex.
    decision = Decision.objects.get(kind="award")
    assert decision.dossiers.count() == 3 and len({d.unit_id for d in decision.dossiers.all()}) == 3
    assert decision.awards.count() == 4
    assert "clerk" in first
    # A campaign whose council ranked five collectives for three places: a run-off decided the last.
    ranked = CouncilMeeting.objects.get(title="Phiên họp xét khen thưởng phong trào “Dân vận khéo”")
    assert ranked.state == "closed" and ranked.runoffs.get().state == "closed"
    assert sorted(ranked.agenda.values_list("result", flat=True)) == ["over_quota"] * 2 + ["passed"] * 3
    # Three schools' dossiers went up together in one dossier to the city, with their files.
    forwarded = list(
        Dossier.objects.filter(state="forwarded", forwarded_to__isnull=False).select_related(
            "forwarded_to__reviewing_unit"
        )
    )
    # The city's own dossier went further up, to the central level, in its proposal of state
    # honours (honours): no dossier of the engine receives it there.
    central = Dossier.objects.filter(state="forwarded", forwarded_to__isnull=True)
    assert [d.unit.name for d in central] == ["Sở Khoa học và Công nghệ"]
    upward = forwarded[0].forwarded_to
    assert len(forwarded) == 3 and {d.forwarded_to_id for d in forwarded} == {upward.pk}
    assert len({d.unit_id for d in forwarded}) == 3
    assert (upward.state, upward.reviewing_unit.name) == ("in_appraisal", "Thành phố Hà Nội")
    assert upward.nominees.filter(source__dossier__in=forwarded).count() == 3
    assert upward.attachments.filter(source__isnull=False).count() == upward.attachments.count() > 3
    # The standing body's leader assigned received dossiers to two of its specialists.
    assert "lanhdao.tdkt" in first
    assigned = DossierAssignment.objects.filter(ended_at__isnull=True).select_related("assignee")
    assert {a.assignee.username for a in assigned} == {"officer", "chuyenvien.tdkt"}
    _the_demo_has_history_an_override_and_grounds()
    _the_register_shows_awardees_over_several_years()


def _the_demo_has_history_an_override_and_grounds():
    """Recorded awards, an eligibility override on a draft that stays submittable, and the
    campaign's plans cited as legal grounds (in the same world: one seed per calendar date)."""
    assert AwardRecord.objects.filter(voided_at__isnull=True).count() >= 6
    override = EligibilityOverride.objects.select_related("nominee__dossier").get()
    nominee = override.nominee
    assert nominee.dossier.state == "draft" and "Gia Thụy" in override.reason
    [result] = nominee_eligibility(nominee)
    assert not result.met and result.passes and len(result.found) == 2
    assert [e.award_name for e in award_history(nominee)] == ["Chiến sĩ thi đua cơ sở"] * 2

    campaign = Campaign.objects.filter(ground_links__isnull=False).distinct().get()
    numbers = [g.number for g in legal.grounds_for(campaign=campaign)]
    assert numbers == ["04/KH-UBND", "19/KH-HĐTĐKT"]


def _the_register_shows_awardees_over_several_years():
    """The award register (reports) shows people with several awards over several years, one of
    them from the engine's own decision, joined with those recorded from elsewhere."""
    from reports.register_search import awardee_page_for, register_for

    chair = User.objects.get(username="chair")
    rows = register_for(user=chair, filters={"q": "nguyen thi lan"})
    lan = rows[0 : rows.count()]
    assert [r.year for r in lan] == sorted(r.year for r in lan) and len({r.year for r in lan}) >= 3
    engine = next(r for r in lan if r.source == "a")
    page = awardee_page_for(user=chair, ref=engine.ref)
    assert {e.source for e in page.entries} == {"engine", "recorded"} and len(page.entries) == len(lan)


def test_a_first_sign_in_finds_todays_work_unread_not_the_demos_history(world):
    """The demo's notices of dossiers already settled are read; those of dossiers under way stay
    unread (demo.builder.read_settled_notices, run by seed_demo after the build's commit)."""
    from django.urls import reverse

    from demo.builder import read_settled_notices
    from dossiers.models import DossierState
    from notices.models import Notice, NoticeKind
    from tests import factories as f

    def notice_about(state):
        d = f.DossierFactory(
            unit=world.school_a, campaign=world.campaign, created_by=world.head_a, state=state
        )
        link = reverse("dossier-detail", args=[d.pk])
        return Notice.objects.create(recipient=world.officer, kind=NoticeKind.TASK, text="…", link=link)

    decided, forwarded = notice_about(DossierState.DECIDED), notice_about(DossierState.FORWARDED)
    submitted = notice_about(DossierState.SUBMITTED)

    assert read_settled_notices() == 2
    assert set(Notice.objects.filter(read_at=None)) == {submitted}
    assert Notice.objects.get(pk=decided.pk).read_at and Notice.objects.get(pk=forwarded.pk).read_at
