"""A cluster's year scored and ranked end to end, and the rules each step keeps."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from clusters import services
from clusters.models import ClusterResult, TermState
from dossiers.models import DossierState
from org.errors import TransitionNotAllowed
from org.models import Role
from tests import factories as f

from .builders import CRITERIA, cluster_world, cross_score_all, proposal_campaign, self_score_all, to_review

pytestmark = pytest.mark.django_db

# Each unit's score on the three criteria (maximum = weight, so the total is their sum), as every
# other member gives it: units 0 and 1 both total 91, unit 1 leads on the heaviest criterion.
SCORES = [(45, 28, 18), (48, 25, 18), (40, 25, 15), (42, 20, 15)]


def by_table(cw):
    index = {u.pk: i for i, u in enumerate(cw.units)}
    position = {c.pk: c.position - 1 for c in cw.criteria}
    return lambda scorer, scored, c: SCORES[index[scored.pk]][position[c.pk]]


def test_a_cluster_is_scored_ranked_and_proposed_end_to_end(world):
    cw = cluster_world(world, members=4)
    to_review(cw, by_table(cw))
    assert cw.term.__class__.objects.get(pk=cw.term.pk).state == TermState.REVIEW
    # The standing body raises unit 3's first criterion from 42 to 47, with its reason.
    u0, u1, u2, u3 = cw.units
    first = cw.criteria[0]
    services.reviewed_scores_set(
        actor=cw.officer,
        term=cw.term,
        unit=u3,
        scores=[
            {"criterion": first, "points": 47, "reason": "Bổ sung kết quả thu ngân sách vượt 12% dự toán"}
        ],
    )
    services.term_close(actor=cw.officer, term=cw.term)

    results = list(ClusterResult.objects.filter(term=cw.term).order_by("rank"))
    assert [(r.unit_id, r.total, r.rank) for r in results] == [
        (u1.pk, Decimal("91.00"), 1),
        (u0.pk, Decimal("91.00"), 2),
        (u3.pk, Decimal("82.00"), 3),
        (u2.pk, Decimal("80.00"), 4),
    ]
    # The equal totals were separated by the heaviest criterion, and the ranking says so.
    assert [r.tie_broken_by for r in results[:2]] == ["criteria", "criteria"]
    close = AuditEvent.objects.filter(action="cluster.close").get()
    assert close.data["ranking"][0] == {"unit_id": u1.pk, "total": "91.00", "rank": 1, "tie": "criteria"}

    campaign = proposal_campaign(world)
    proposal = services.cluster_proposal_create(
        actor=cw.leader_head, term=cw.term, campaign=campaign, commendations=2
    )
    dossier = proposal.dossier
    assert dossier.unit == cw.leader and dossier.state == DossierState.DRAFT
    nominees = {n.collective_unit_id: n.award_type.code for n in dossier.nominees.all()}
    assert nominees == {
        u1.pk: "co-thi-dua-cap-tinh",
        u0.pk: "bang-khen-chu-tich-tinh",
        u3.pk: "bang-khen-chu-tich-tinh",
    }
    assert all(n.kind == "collective" for n in dossier.nominees.all())
    assert AuditEvent.objects.filter(action="cluster.propose", data__dossier_id=dossier.pk).exists()
    # A second click finds the first proposal and drafts nothing more.
    with pytest.raises(TransitionNotAllowed, match="drafted already"):
        services.cluster_proposal_create(actor=cw.leader_head, term=cw.term, campaign=campaign)


def test_a_tie_the_criteria_leave_needs_the_standing_bodys_reasoned_order(world):
    cw = cluster_world(world, members=3)
    same = [(45, 28, 18), (45, 28, 18), (40, 20, 10)]
    index = {u.pk: i for i, u in enumerate(cw.units)}
    to_review(cw, lambda scorer, scored, c: same[index[scored.pk]][c.position - 1])
    u0, u1, _u2 = cw.units
    with pytest.raises(ValidationError) as refused:
        services.term_close(actor=cw.officer, term=cw.term)
    assert "tie_order" in refused.value.message_dict
    with pytest.raises(ValidationError, match="reason"):
        services.term_close(actor=cw.officer, term=cw.term, tie_order=[u1.pk, u0.pk])
    services.term_close(
        actor=cw.officer,
        term=cw.term,
        tie_order=[u1.pk, u0.pk],
        tie_reason="Phường Bồ Đề có mô hình “Dân vận khéo” được Thành phố nhân rộng",
    )
    ranks = dict(ClusterResult.objects.filter(term=cw.term).values_list("unit_id", "rank"))
    assert ranks[u1.pk] == 1 and ranks[u0.pk] == 2
    assert ClusterResult.objects.get(term=cw.term, unit=u1).tie_broken_by == "decision"


def test_the_reviewed_score_needs_a_reason_where_it_departs_from_the_cross_scores(world):
    cw = cluster_world(world, members=3)
    to_review(cw, lambda scorer, scored, c: c.max_points - 5)
    first = cw.criteria[0]
    with pytest.raises(ValidationError, match="reason"):
        services.reviewed_scores_set(
            actor=cw.officer, term=cw.term, unit=cw.units[0], scores=[{"criterion": first, "points": 50}]
        )
    # Confirming the mean needs no reason.
    services.reviewed_scores_set(
        actor=cw.officer, term=cw.term, unit=cw.units[0], scores=[{"criterion": first, "points": 45}]
    )


def test_the_leader_rotates_unless_the_standing_body_says_why(world):
    cw = cluster_world(world, members=3, year=2025, open_scoring=False)
    args = {
        "actor": cw.officer,
        "cluster": cw.cluster,
        "year": 2026,
        "self_scoring_deadline": dt.date(2026, 12, 15),
    }
    services.cluster_members_set(actor=cw.officer, cluster=cw.cluster, year=2026, units=cw.units)
    with pytest.raises(ValidationError) as refused:
        services.cluster_term_set(leader=cw.leader, **args)
    assert "repeat_reason" in refused.value.message_dict
    term = services.cluster_term_set(leader=cw.units[2], deputy=cw.leader, **args)
    assert term.leader == cw.units[2]
    kept = services.cluster_term_set(
        leader=cw.leader, repeat_reason="Đơn vị mới được bầu làm Cụm trưởng chưa kiện toàn lãnh đạo", **args
    )
    assert kept.leader == cw.leader and kept.repeat_reason
    assert AuditEvent.objects.filter(
        action="cluster.term_set", data__repeat_reason__startswith="Đơn vị"
    ).exists()


def test_weights_that_do_not_add_up_to_100_are_refused(world):
    cw = cluster_world(world, members=3, open_scoring=False)
    wrong = [dict(c) for c in CRITERIA]
    wrong[0]["weight"] = 40
    with pytest.raises(ValidationError, match="add up to 90"):
        services.cluster_criteria_set(actor=cw.officer, term=cw.term, criteria=wrong)
    assert [c.weight for c in cw.term.criteria.all()] == [50, 30, 20]


def test_a_unit_is_in_one_cluster_of_a_kind_a_year(world):
    cw = cluster_world(world, members=3, open_scoring=False)
    other = services.cluster_create(
        actor=cw.officer, organizer=world.province, name="Cụm thi đua số 2", kind="cluster"
    )
    with pytest.raises(ValidationError, match="already in Cụm thi đua số 1"):
        services.cluster_members_set(
            actor=cw.officer, cluster=other, year=2026, units=[cw.units[0], cw.units[1]]
        )


def test_only_the_provinces_standing_body_sets_clusters_up(world):
    with pytest.raises(PermissionDenied):
        services.cluster_create(actor=world.officer, organizer=world.province, name="Cụm 9", kind="cluster")


def test_self_scores_need_evidence_the_units_own_people_and_the_deadline(world):
    cw = cluster_world(world, members=3)
    unit = cw.units[0]
    scores = [{"criterion": c, "points": 10} for c in cw.criteria]
    with pytest.raises(ValidationError, match="a file or a note"):
        services.self_assessment_enter(actor=world.chair, term=cw.term, unit=unit, scores=scores)
    with pytest.raises(PermissionDenied):
        services.self_assessment_enter(actor=cw.leader_head, term=cw.term, unit=unit, scores=scores)
    # The staff enter with a file as evidence; the head confirms.
    staff = f.user_with_role(Role.UNIT_STAFF, unit)
    with_file = [dict(s, evidence=f.pdf_upload("bao-cao.pdf")) for s in scores]
    assessment = services.self_assessment_enter(actor=staff, term=cw.term, unit=unit, scores=with_file)
    assert assessment.confirmed_at is None
    assert assessment.scores.first().evidence_sha256
    services.self_assessment_confirm(actor=world.chair, assessment=assessment)
    with pytest.raises(TransitionNotAllowed, match="confirmed already"):
        services.self_assessment_enter(actor=staff, term=cw.term, unit=unit, scores=with_file)
    cw.term.self_scoring_deadline = dt.date(2026, 3, 10)
    cw.term.save()
    with pytest.raises(TransitionNotAllowed, match="deadline"):
        services.self_assessment_enter(
            actor=cw.heads[cw.units[1].pk], term=cw.term, unit=cw.units[1], scores=scores
        )


def test_a_unit_never_scores_itself_and_a_sheet_is_complete(world):
    cw = cluster_world(world, members=3)
    self_score_all(cw)
    services.term_cross_scoring_open(actor=cw.leader_head, term=cw.term)
    u0, u1, _u2 = cw.units
    c = cw.criteria[0]
    with pytest.raises(ValidationError, match="does not score itself"):
        services.cross_scores_enter(
            actor=cw.leader_head,
            term=cw.term,
            scorer=u0,
            scores=[{"scored": u0, "criterion": c, "points": 1}],
        )
    with pytest.raises(ValidationError, match="every other member"):
        services.cross_scores_enter(
            actor=cw.leader_head,
            term=cw.term,
            scorer=u0,
            scores=[{"scored": u1, "criterion": c, "points": 1}],
        )
    with pytest.raises(PermissionDenied):
        cross_score_all(type(cw)(**{**vars(cw), "leader_head": world.chair}), lambda scorer, scored, crit: 1)
    with pytest.raises(ValidationError, match="complete sheet"):
        services.term_cross_scoring_close(actor=cw.leader_head, term=cw.term)
