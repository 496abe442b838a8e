"""The demo world's clusters (demo/clusters.py holds the city's data and calls this): every row
through the clusters' services, as the offices would enter them."""

import datetime as dt

from django.utils import timezone

from clusters import services
from clusters.models import ClusterTerm
from dossiers.models import AwardType, Campaign


def seed(*, hanoi, units, heads, standing, plan):
    """`plan` is the demo's data (demo.clusters): names, criteria, the 2025 scores and texts."""
    CLUSTER, BLOC, CRITERIA = plan["CLUSTER"], plan["BLOC"], plan["CRITERIA"]
    CROSS_2025, SELF_NOTES, REVIEW_REASON, CAMPAIGN = (
        plan["CROSS_2025"],
        plan["SELF_NOTES"],
        plan["REVIEW_REASON"],
        plan["CAMPAIGN"],
    )
    today = timezone.localdate()
    wards = [units[k] for k in ("longbien", "bode", "viethung", "phucloi")]
    cluster = services.cluster_create(
        actor=standing,
        organizer=hanoi,
        name=CLUSTER,
        kind="cluster",
        description="Các phường phía Đông sông Hồng: Long Biên, Bồ Đề, Việt Hưng, Phúc Lợi",
    )
    for year in (2025, 2026):
        services.cluster_members_set(actor=standing, cluster=cluster, year=year, units=wards)

    # 2025, scored through the services on today's date, then dated back to its real deadline.
    term = services.cluster_term_set(
        actor=standing,
        cluster=cluster,
        year=2025,
        leader=units["bode"],
        deputy=units["viethung"],
        self_scoring_deadline=today,
    )
    criteria = services.cluster_criteria_set(actor=standing, term=term, criteria=CRITERIA)
    services.term_scoring_open(actor=standing, term=term)
    for key, scores in CROSS_2025.items():
        services.self_assessment_enter(
            actor=heads[key],
            term=term,
            unit=units[key],
            scores=[
                {"criterion": c, "points": min(p + 1, c.max_points), "note": SELF_NOTES[i]}
                for i, (c, p) in enumerate(zip(criteria, scores, strict=True))
            ],
        )
    leader = heads["bode"]
    services.term_cross_scoring_open(actor=leader, term=term)
    for scorer in wards:
        services.cross_scores_enter(
            actor=leader,
            term=term,
            scorer=scorer,
            scores=[
                {"scored": scored, "criterion": c, "points": CROSS_2025[key][i]}
                for key, scored in ((k, units[k]) for k in CROSS_2025)
                if scored != scorer
                for i, c in enumerate(criteria)
            ],
        )
    services.term_cross_scoring_close(actor=leader, term=term)
    services.reviewed_scores_set(
        actor=standing,
        term=term,
        unit=units["phucloi"],
        scores=[{"criterion": criteria[0], "points": 36, "reason": REVIEW_REASON}],
    )
    services.term_close(actor=standing, term=term)
    campaign = Campaign.objects.create(
        name=CAMPAIGN,
        organizer=hanoi,
        procedure_kind="achievement",
        period_start=dt.date(2025, 1, 1),
        period_end=today + dt.timedelta(days=90),
        submission_deadline=today + dt.timedelta(days=30),
        legal_basis=(
            "Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định 152/2025/NĐ-CP; Hướng dẫn của Ban Thi đua - "
            "Khen thưởng thành phố về tổng kết công tác thi đua của các Cụm, Khối thi đua năm 2025"
        ),
    )
    campaign.award_types.set(
        AwardType.objects.filter(code__in=[services.FLAG_AWARD, services.COMMENDATION_AWARD])
    )
    services.cluster_proposal_create(actor=leader, term=term, campaign=campaign, commendations=2)
    ClusterTerm.objects.filter(pk=term.pk).update(self_scoring_deadline=dt.date(2025, 12, 15))

    # 2026: Long Biên leads in rotation; the self-scoring is open, two wards have scored.
    term = services.cluster_term_set(
        actor=standing,
        cluster=cluster,
        year=2026,
        leader=units["longbien"],
        deputy=units["phucloi"],
        self_scoring_deadline=max(dt.date(2026, 12, 15), today + dt.timedelta(days=14)),
    )
    criteria = services.cluster_criteria_set(actor=standing, term=term, criteria=CRITERIA)
    services.term_scoring_open(actor=standing, term=term)
    for key in ("bode", "viethung"):
        services.self_assessment_enter(
            actor=heads[key],
            term=term,
            unit=units[key],
            scores=[
                {"criterion": c, "points": c.max_points - 2, "note": SELF_NOTES[i]}
                for i, c in enumerate(criteria)
            ],
        )

    # The bloc of departments, set up for 2026 and waiting for the standing body to open it.
    bloc = services.cluster_create(
        actor=standing,
        organizer=hanoi,
        name=BLOC,
        kind="bloc",
        description="Các sở, ngành thuộc Ủy ban nhân dân thành phố",
    )
    departments = [units["snv"], units["skhcn"], units["stc"]]
    for year in (2025, 2026):
        services.cluster_members_set(actor=standing, cluster=bloc, year=year, units=departments)
    services.cluster_term_set(
        actor=standing,
        cluster=bloc,
        year=2025,
        leader=units["snv"],
        deputy=units["skhcn"],
        self_scoring_deadline=dt.date(2025, 12, 15),
    )
    term = services.cluster_term_set(
        actor=standing,
        cluster=bloc,
        year=2026,
        leader=units["skhcn"],
        deputy=units["stc"],
        self_scoring_deadline=max(dt.date(2026, 12, 15), today + dt.timedelta(days=14)),
    )
    services.cluster_criteria_set(actor=standing, term=term, criteria=CRITERIA)
    return cluster
