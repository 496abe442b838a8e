"""A cluster of the test world, built through the services: the city's standing body, member
wards each with its head (Phường Long Biên first, whose chair is the world's `chair`), the year's
leader and deputy, three criteria (weights 50, 30, 20) and its scoring open."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from clusters import services
from org.models import Role, UnitLevel
from tests import factories as f

WARDS = [
    "Phường Bồ Đề",
    "Phường Việt Hưng",
    "Phường Phúc Lợi",
    "Phường Hoàn Kiếm",
    "Phường Cửa Nam",
    "Phường Ba Đình",
    "Phường Ngọc Hà",
    "Phường Giảng Võ",
    "Phường Hai Bà Trưng",
    "Phường Vĩnh Tuy",
    "Phường Bạch Mai",
    "Phường Đống Đa",
]
CRITERIA = [
    {"name": "Thực hiện nhiệm vụ chính trị, phát triển kinh tế - xã hội", "weight": 50, "max_points": 50},
    {"name": "Tổ chức phong trào thi đua, công tác khen thưởng", "weight": 30, "max_points": 30},
    {"name": "Xây dựng Đảng, chính quyền, đoàn thể", "weight": 20, "max_points": 20},
]


def cluster_world(w, *, members=3, year=2026, open_scoring=True, name="Cụm thi đua số 1"):
    officer = f.user_with_role(Role.STANDING_OFFICER, w.province, username=f"tp_officer_{name[-1]}_{year}")
    units = [w.commune]
    heads = {w.commune.pk: w.chair}
    for ward in WARDS[: members - 1]:
        unit = f.UnitFactory(name=ward, code="UBND", level=UnitLevel.COMMUNE, parent=w.province)
        units.append(unit)
        heads[unit.pk] = f.user_with_role(Role.UNIT_HEAD, unit)
    cluster = services.cluster_create(actor=officer, organizer=w.province, name=name, kind="cluster")
    services.cluster_members_set(actor=officer, cluster=cluster, year=year, units=units)
    leader = units[1]
    term = services.cluster_term_set(
        actor=officer,
        cluster=cluster,
        year=year,
        leader=leader,
        deputy=units[0],
        self_scoring_deadline=dt.date(year, 12, 15),
    )
    criteria = services.cluster_criteria_set(actor=officer, term=term, criteria=CRITERIA)
    if open_scoring:
        term = services.term_scoring_open(actor=officer, term=term)
    return SimpleNamespace(
        officer=officer,
        cluster=cluster,
        term=term,
        units=units,
        heads=heads,
        leader=leader,
        leader_head=heads[leader.pk],
        criteria=criteria,
    )


def self_score_all(cw, points=None):
    """Every member scores itself (its head, so confirmed at once), with a note as evidence."""
    for i, unit in enumerate(cw.units):
        services.self_assessment_enter(
            actor=cw.heads[unit.pk],
            term=cw.term,
            unit=unit,
            scores=[
                {
                    "criterion": c,
                    "points": (points or {}).get(unit.pk, c.max_points - i),
                    "note": "Báo cáo tổng kết năm, Phụ lục số liệu",
                }
                for c in cw.criteria
            ],
        )


def cross_score_all(cw, score):
    """Every member's sheet, keyed by the leader unit's head: `score(scorer, scored, criterion)`."""
    for scorer in cw.units:
        services.cross_scores_enter(
            actor=cw.leader_head,
            term=cw.term,
            scorer=scorer,
            scores=[
                {"scored": scored, "criterion": c, "points": Decimal(score(scorer, scored, c))}
                for scored in cw.units
                if scored != scorer
                for c in cw.criteria
            ],
        )


def to_review(cw, score):
    self_score_all(cw)
    services.term_cross_scoring_open(actor=cw.leader_head, term=cw.term)
    cross_score_all(cw, score)
    services.term_cross_scoring_close(actor=cw.leader_head, term=cw.term)


def proposal_campaign(w):
    """The city's campaign for the year's review, offering the flag and the chair's commendation."""
    campaign = f.CampaignFactory(name="Tổng kết thi đua theo cụm, khối", organizer=w.province)
    campaign.award_types.set([f.award("co-thi-dua-cap-tinh"), f.award("bang-khen-chu-tich-tinh")])
    return campaign


def _closed(w):
    cw = cluster_world(w, members=3)
    to_review(cw, lambda scorer, scored, c: c.max_points - cw.units.index(scored))
    services.term_close(actor=cw.officer, term=cw.term)
    return cw


def _self_scored_by_staff(w):
    cw = cluster_world(w, members=3)
    staff = f.user_with_role(Role.UNIT_STAFF, cw.units[0])
    scores = [{"criterion": c, "points": 1, "note": "Báo cáo tổng kết"} for c in cw.criteria]
    return cw, services.self_assessment_enter(actor=staff, term=cw.term, unit=cw.units[0], scores=scores)


def _in_cross_scoring(w):
    cw = cluster_world(w, members=3)
    self_score_all(cw)
    services.term_cross_scoring_open(actor=cw.leader_head, term=cw.term)
    return cw


def _in_review(w):
    cw = cluster_world(w, members=3)
    to_review(cw, lambda scorer, scored, c: 1)
    return cw


def _proposal(w, service):
    cw = _closed(w)
    return service(actor=cw.leader_head, term=cw.term, campaign=proposal_campaign(w), commendations=1)


# Each cluster service once, for tests/test_audit_coverage.py (brought to where it may run).
AUDIT_EXERCISES = {
    "clusters.services.cluster_create": lambda w, service: service(
        actor=f.user_with_role(Role.STANDING_OFFICER, w.province),
        organizer=w.province,
        name="Khối các sở, ngành",
        kind="bloc",
    ),
    "clusters.services.cluster_members_set": lambda w, service: _with(
        cluster_world(w, members=3, open_scoring=False),
        lambda cw: service(actor=cw.officer, cluster=cw.cluster, year=2027, units=cw.units[:2]),
    ),
    "clusters.services.cluster_term_set": lambda w, service: _with(
        cluster_world(w, members=3, open_scoring=False),
        lambda cw: service(
            actor=cw.officer,
            cluster=cw.cluster,
            year=2026,
            leader=cw.units[2],
            self_scoring_deadline=dt.date(2026, 12, 1),
        ),
    ),
    "clusters.services.cluster_criteria_set": lambda w, service: _with(
        cluster_world(w, members=3, open_scoring=False),
        lambda cw: service(
            actor=cw.officer, term=cw.term, criteria=[{"name": "Chung", "weight": 100, "max_points": 100}]
        ),
    ),
    "clusters.services.term_scoring_open": lambda w, service: _with(
        cluster_world(w, members=3, open_scoring=False), lambda cw: service(actor=cw.officer, term=cw.term)
    ),
    "clusters.services.self_assessment_enter": lambda w, service: _with(
        cluster_world(w, members=3),
        lambda cw: service(
            actor=w.chair,
            term=cw.term,
            unit=cw.units[0],
            scores=[{"criterion": c, "points": 1, "note": "Báo cáo tổng kết"} for c in cw.criteria],
        ),
    ),
    "clusters.services.self_assessment_confirm": lambda w, service: _with(
        _self_scored_by_staff(w), lambda pair: service(actor=w.chair, assessment=pair[1])
    ),
    "clusters.services.term_cross_scoring_open": lambda w, service: _with(
        cluster_world(w, members=3),
        lambda cw: (self_score_all(cw), service(actor=cw.leader_head, term=cw.term)),
    ),
    "clusters.services.cross_scores_enter": lambda w, service: _with(
        _in_cross_scoring(w),
        lambda cw: service(
            actor=cw.leader_head,
            term=cw.term,
            scorer=cw.units[0],
            scores=[{"scored": u, "criterion": c, "points": 1} for u in cw.units[1:] for c in cw.criteria],
        ),
    ),
    "clusters.services.term_cross_scoring_close": lambda w, service: _with(
        _in_cross_scoring(w),
        lambda cw: (cross_score_all(cw, lambda a, b, c: 1), service(actor=cw.leader_head, term=cw.term)),
    ),
    "clusters.services.reviewed_scores_set": lambda w, service: _with(
        _in_review(w),
        lambda cw: service(
            actor=cw.officer,
            term=cw.term,
            unit=cw.units[0],
            scores=[{"criterion": cw.criteria[0], "points": 2, "reason": "Bổ sung minh chứng"}],
        ),
    ),
    "clusters.services.term_close": lambda w, service: _with(
        _in_review(w),
        lambda cw: service(
            actor=cw.officer,
            term=cw.term,
            tie_order=[u.pk for u in cw.units],
            tie_reason="Quyết định của Thường trực",
        ),
    ),
    "clusters.services.cluster_proposal_create": _proposal,
}


def _with(value, call):
    return call(value)
