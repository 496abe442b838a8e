"""Every write of the clusters: each one transaction that checks role and scope, the term's state
and the rule, then appends its audit event. A refusal changes nothing.

The year runs: the province's standing body sets the members, the leader and deputy and the
criteria, then opens the scoring; each member unit scores itself with its evidence before the
deadline (its head confirms what its staff entered); at the cluster's year-end meeting the leader
unit's office keys in the cross-scores each member hands in (the sheets are signed at the meeting,
as the cluster's minutes record; one office keying them keeps them complete and on time); the
standing body reviews, gives its reasons where it departs from the cross-scores, and closes the
year, which ranks the units; the leader unit then proposes the first for the Cờ thi đua cấp tỉnh
and the next ones for the Bằng khen of the provincial chair (Luật TĐKT 2022, Điều 26 and 74;
Nghị định 152/2025/NĐ-CP), as a draft award dossier that runs the normal path.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from dossiers import services as dossier_services
from dossiers.files import FileRejected, sniff
from dossiers.models import AwardType, NomineeKind
from org import limits
from org.errors import TransitionNotAllowed
from org.models import UnitLevel

from . import permissions
from .models import (
    Cluster,
    ClusterKind,
    ClusterMembership,
    ClusterProposal,
    ClusterResult,
    ClusterTerm,
    Criterion,
    CrossScore,
    ReviewedScore,
    SelfAssessment,
    SelfScore,
)
from .models import TermState as T
from .scoring import UnitScores, as_decimal, rank
from .selectors import members_of

FLAG_AWARD = "co-thi-dua-cap-tinh"
COMMENDATION_AWARD = "bang-khen-chu-tich-tinh"
MAX_COMMENDATIONS = 10


def _require_standing(actor, cluster):
    if not permissions.is_standing_body(actor, cluster):
        raise PermissionDenied(_("Only the province's standing body for emulation may do this."))


def _lock_term(term) -> ClusterTerm:
    return (
        ClusterTerm.objects.select_for_update(of=("self",))
        .select_related("cluster__organizer", "leader", "deputy")
        .get(pk=term.pk)
    )


def _require_state(term, *states, doing):
    if term.state not in states:
        raise TransitionNotAllowed(
            _("The year %(year)s of %(cluster)s is “%(state)s”: it cannot %(doing)s now.")
            % {"year": term.year, "cluster": term.cluster, "state": term.get_state_display(), "doing": doing}
        )


def _member_ids(cluster, year) -> set[int]:
    return set(ClusterMembership.objects.filter(cluster=cluster, year=year).values_list("unit_id", flat=True))


def _points(value, criterion, field) -> Decimal:
    """A score between 0 and the criterion's maximum, at most two decimals."""
    try:
        points = Decimal(str(value)).quantize(Decimal("0.01"))
        exact = points == Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Give the points as a number.")}) from None
    if not exact:
        raise ValidationError({field: _("Give the points with at most two decimals.")})
    if points < 0 or points > criterion.max_points:
        raise ValidationError(
            {
                field: _("“%(criterion)s” is scored from 0 to %(max)s points.")
                % {"criterion": criterion.name, "max": criterion.max_points}
            }
        )
    return points


def _year(value) -> int:
    if not isinstance(value, int) or not 2000 <= value <= 2100:
        raise ValidationError({"year": _("Give a year between 2000 and 2100.")})
    return value


# --- set-up by the standing body ---------------------------------------------------------------


def cluster_create(*, actor, organizer, name, kind, description="") -> Cluster:
    """The province's standing body forms a cluster (communes of an area) or a bloc (departments
    of a sector)."""
    if not permissions.can_organise_in(actor, organizer):
        raise PermissionDenied(_("Only the province's standing body for emulation may form clusters."))
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Give the cluster a name.")
    if kind not in ClusterKind.values:
        errors["kind"] = _("Choose a cluster or a bloc.")
    if organizer.level != UnitLevel.PROVINCE:
        errors["organizer"] = _("Clusters and blocs are formed by a province.")
    if errors:
        raise ValidationError(errors)
    limits.require_texts({"name": (name, limits.TITLE), "description": (description, limits.SHORT_TEXT)})
    with transaction.atomic():
        if Cluster.objects.filter(organizer=organizer, name=name).exists():
            raise ValidationError({"name": _("%(name)s already exists.") % {"name": name}})
        cluster = Cluster.objects.create(organizer=organizer, name=name, kind=kind, description=description)
        audit.record(
            actor=actor,
            action="cluster.create",
            target=cluster,
            data={"name": name, "kind": kind, "organizer_id": organizer.pk},
        )
    return cluster


def cluster_members_set(*, actor, cluster, year, units) -> list:
    """The member units of a year. A unit belongs to one cluster and one bloc a year at most;
    members change only before the year's scoring opens."""
    _require_standing(actor, cluster)
    year = _year(year)
    units = list({u.pk: u for u in units}.values())
    if len(units) < 2:
        raise ValidationError({"units": _("A cluster has at least two member units.")})
    outside = [u.name for u in units if not u.is_under(cluster.organizer) or u.pk == cluster.organizer_id]
    if outside:
        raise ValidationError(
            {
                "units": _("Not units of %(province)s: %(units)s.")
                % {"province": cluster.organizer, "units": ", ".join(outside)}
            }
        )
    with transaction.atomic():
        cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
        term = ClusterTerm.objects.filter(cluster=cluster, year=year).first()
        if term is not None:
            _require_state(term, T.SETUP, doing=_("change its members"))
        wanted = {u.pk for u in units}
        taken = (
            ClusterMembership.objects.filter(unit_id__in=wanted, year=year, kind=cluster.kind)
            .exclude(cluster=cluster)
            .select_related("unit", "cluster")
        )
        if taken:
            raise ValidationError(
                {
                    "units": [
                        _("%(unit)s is already in %(cluster)s for %(year)s.")
                        % {"unit": m.unit, "cluster": m.cluster, "year": year}
                        for m in taken
                    ]
                }
            )
        if term is not None and not {term.leader_id, term.deputy_id} - {None} <= wanted:
            raise ValidationError({"units": _("The year's leader and deputy units must stay members.")})
        current = _member_ids(cluster, year)
        ClusterMembership.objects.filter(cluster=cluster, year=year, unit_id__in=current - wanted).delete()
        try:
            ClusterMembership.objects.bulk_create(
                [
                    ClusterMembership(cluster=cluster, unit=u, year=year, kind=cluster.kind)
                    for u in units
                    if u.pk not in current
                ]
            )
        except IntegrityError:
            raise ValidationError(
                {
                    "units": _(
                        "Someone else changed the members at the same moment. Reload the page and try again."
                    )
                }
            ) from None
        audit.record(
            actor=actor,
            action="cluster.members_set",
            target=cluster,
            data={"year": year, "added": sorted(wanted - current), "removed": sorted(current - wanted)},
        )
    return units


def cluster_term_set(
    *, actor, cluster, year, leader, self_scoring_deadline, deputy=None, repeat_reason=""
) -> ClusterTerm:
    """The year's leader (cụm trưởng / khối trưởng) and deputy, and the self-scoring deadline.
    The leader rotates year by year: the same unit two years running needs the standing body's
    recorded reason."""
    _require_standing(actor, cluster)
    year = _year(year)
    repeat_reason = (repeat_reason or "").strip()
    limits.require_text("repeat_reason", repeat_reason, limits.SHORT_TEXT)
    if not isinstance(self_scoring_deadline, dt.date):
        raise ValidationError({"self_scoring_deadline": _("Give the self-scoring deadline.")})
    with transaction.atomic():
        cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
        members = _member_ids(cluster, year)
        errors = {}
        if leader.pk not in members:
            errors["leader"] = _("%(unit)s is not a member in %(year)s.") % {"unit": leader, "year": year}
        if deputy is not None:
            if deputy.pk == leader.pk:
                errors["deputy"] = _("The deputy is another unit than the leader.")
            elif deputy.pk not in members:
                errors["deputy"] = _("%(unit)s is not a member in %(year)s.") % {"unit": deputy, "year": year}
        previous = ClusterTerm.objects.filter(cluster=cluster, year=year - 1).select_related("leader").first()
        if previous is not None and previous.leader_id == leader.pk and not repeat_reason:
            errors["repeat_reason"] = _(
                "%(unit)s led the cluster in %(year)s: the leader rotates each year. Choose another unit, "
                "or record why it leads again."
            ) % {"unit": leader, "year": year - 1}
        if errors:
            raise ValidationError(errors)
        if previous is None or previous.leader_id != leader.pk:
            repeat_reason = ""
        term = ClusterTerm.objects.select_for_update().filter(cluster=cluster, year=year).first()
        values = {
            "leader": leader,
            "deputy": deputy,
            "self_scoring_deadline": self_scoring_deadline,
            "repeat_reason": repeat_reason,
        }
        if term is None:
            term = ClusterTerm.objects.create(cluster=cluster, year=year, **values)
        else:
            _require_state(term, T.SETUP, doing=_("change its leader"))
            for name, value in values.items():
                setattr(term, name, value)
            term.save()
        audit.record(
            actor=actor,
            action="cluster.term_set",
            target=term,
            data={
                "cluster_id": cluster.pk,
                "year": year,
                "leader_id": leader.pk,
                "deputy_id": deputy.pk if deputy else None,
                "self_scoring_deadline": self_scoring_deadline.isoformat(),
                "repeat_reason": repeat_reason,
            },
        )
    return term


def cluster_criteria_set(*, actor, term, criteria) -> list[Criterion]:
    """The year's criteria, in order, each with its weight and maximum points. The weights add up
    to 100: the total of 100 is what the ranking compares."""
    _require_standing(actor, term.cluster)
    rows, errors = [], {}
    for i, item in enumerate(criteria or [], start=1):
        name = (item.get("name") or "").strip()
        weight, max_points = item.get("weight"), item.get("max_points")
        if not name:
            errors[f"criteria.{i}.name"] = _("Give criterion %(n)s a name.") % {"n": i}
        elif len(name) > limits.TITLE:
            errors[f"criteria.{i}.name"] = limits.too_long_message(limits.TITLE, len(name))
        if not isinstance(weight, int) or not 1 <= weight <= 100:
            errors[f"criteria.{i}.weight"] = _("A weight is a whole percentage from 1 to 100.")
        if not isinstance(max_points, int) or not 1 <= max_points <= 1000:
            errors[f"criteria.{i}.max_points"] = _("The maximum is a whole number of points from 1 to 1000.")
        rows.append((name, weight, max_points))
    if not rows:
        errors["criteria"] = _("Give at least one criterion.")
    if errors:
        raise ValidationError(errors)
    total = sum(w for _n, w, _m in rows)
    if total != 100:
        raise ValidationError(
            {"criteria": _("The weights add up to %(total)s; they must add up to 100.") % {"total": total}}
        )
    with transaction.atomic():
        term = _lock_term(term)
        _require_state(term, T.SETUP, doing=_("change its criteria"))
        Criterion.objects.filter(term=term).delete()
        made = Criterion.objects.bulk_create(
            [
                Criterion(term=term, position=i, name=n, weight=w, max_points=m)
                for i, (n, w, m) in enumerate(rows, start=1)
            ]
        )
        audit.record(
            actor=actor,
            action="cluster.criteria_set",
            target=term,
            data={"criteria": [{"name": n, "weight": w, "max_points": m} for n, w, m in rows]},
        )
    return made


def term_scoring_open(*, actor, term) -> ClusterTerm:
    """The standing body opens the year's self-scoring: members, leader and criteria are then fixed."""
    _require_standing(actor, term.cluster)
    with transaction.atomic():
        term = _lock_term(term)
        _require_state(term, T.SETUP, doing=_("open its scoring"))
        criteria = list(Criterion.objects.filter(term=term))
        if sum(c.weight for c in criteria) != 100:
            raise ValidationError({"criteria": _("Set the criteria, with weights adding up to 100, first.")})
        if len(_member_ids(term.cluster, term.year)) < 2:
            raise ValidationError({"units": _("A cluster has at least two member units.")})
        term.state = T.SELF_SCORING
        term.save(update_fields=["state"])
        audit.record(actor=actor, action="cluster.scoring_open", target=term, data={"year": term.year})
    return term


# --- self-scoring by each member unit -----------------------------------------------------------


def self_assessment_enter(*, actor, term, unit, scores) -> SelfAssessment:
    """A member unit scores itself on every criterion, each score with its evidence (a file or a
    note), before the deadline. Entered by the unit's head it is confirmed at once; entered by its
    staff it waits for the head's confirmation. A confirmed self-assessment is final."""
    if not permissions.can_score_for(actor, unit):
        raise PermissionDenied(_("Only the unit's own staff and head may score it."))
    with transaction.atomic():
        term = _lock_term(term)
        if unit.pk not in _member_ids(term.cluster, term.year):
            raise PermissionDenied(
                _("%(unit)s is not a member in %(year)s.") % {"unit": unit, "year": term.year}
            )
        _require_state(term, T.SELF_SCORING, doing=_("take self-scores"))
        if timezone.localdate() > term.self_scoring_deadline:
            raise TransitionNotAllowed(
                _("The self-scoring deadline (%(day)s) has passed.")
                % {"day": term.self_scoring_deadline.strftime("%d/%m/%Y")}
            )
        criteria = {c.pk: c for c in Criterion.objects.filter(term=term)}
        given = {}
        for item in scores:
            criterion = item.get("criterion")
            if criterion is None or criterion.pk not in criteria:
                raise ValidationError({"scores": _("Score the criteria of this year only.")})
            given[criterion.pk] = item
        missing = [c.name for pk, c in criteria.items() if pk not in given]
        if missing:
            raise ValidationError(
                {"scores": _("Score every criterion: %(names)s.") % {"names": ", ".join(missing)}}
            )
        assessment = SelfAssessment.objects.select_for_update().filter(term=term, unit=unit).first()
        if assessment is not None and assessment.confirmed_at is not None:
            raise TransitionNotAllowed(_("%(unit)s's self-assessment is confirmed already.") % {"unit": unit})
        old = (
            {s.criterion_id: s for s in SelfScore.objects.filter(assessment=assessment)} if assessment else {}
        )
        prepared, errors = [], {}
        for pk, item in given.items():
            field = f"scores.{criteria[pk].position}"
            try:
                points = _points(item.get("points"), criteria[pk], field)
            except ValidationError as exc:
                errors.update(exc.message_dict)
                continue
            note = (item.get("note") or "").strip()
            if len(note) > limits.SHORT_TEXT:
                errors[field] = limits.too_long_message(limits.SHORT_TEXT, len(note))
                continue
            upload, sniffed = item.get("evidence"), None
            if upload:
                try:
                    sniffed = sniff(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES)
                except FileRejected as exc:
                    errors[field] = str(exc.args[0])
                    continue
            kept = old.get(pk)
            if not note and not sniffed and not (kept and kept.evidence):
                errors[field] = _("Give the evidence for “%(criterion)s”: a file or a note.") % {
                    "criterion": criteria[pk].name
                }
                continue
            prepared.append((criteria[pk], points, note, upload, sniffed, kept))
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        head = permissions.can_confirm_for(actor, unit)
        if assessment is None:
            assessment = SelfAssessment.objects.create(term=term, unit=unit, entered_by=actor, entered_at=now)
        else:
            assessment.entered_by, assessment.entered_at = actor, now
        if head:
            assessment.confirmed_by, assessment.confirmed_at = actor, now
        assessment.save()
        data = []
        for criterion, points, note, upload, sniffed, kept in prepared:
            score = kept or SelfScore(assessment=assessment, criterion=criterion)
            score.points, score.note = points, note
            if sniffed:
                score.evidence.save(sniffed.name, upload, save=False)
                score.evidence_name, score.evidence_type = sniffed.name, sniffed.content_type
                score.evidence_sha256 = sniffed.sha256
            score.save()
            data.append(
                {
                    "criterion_id": criterion.pk,
                    "points": str(points),
                    "evidence_sha256": score.evidence_sha256,
                }
            )
        audit.record(
            actor=actor,
            action="cluster.self_score",
            target=assessment,
            data={"term_id": term.pk, "unit_id": unit.pk, "scores": data, "confirmed": head},
        )
    return assessment


def self_assessment_confirm(*, actor, assessment) -> SelfAssessment:
    """The unit's head confirms what its staff entered, before the deadline."""
    if not permissions.can_confirm_for(actor, assessment.unit):
        raise PermissionDenied(_("Only the unit's head confirms its self-assessment."))
    with transaction.atomic():
        term = _lock_term(assessment.term)
        assessment = SelfAssessment.objects.select_for_update().select_related("unit").get(pk=assessment.pk)
        _require_state(term, T.SELF_SCORING, doing=_("take self-scores"))
        if assessment.confirmed_at is not None:
            raise TransitionNotAllowed(
                _("%(unit)s's self-assessment is confirmed already.") % {"unit": assessment.unit}
            )
        if timezone.localdate() > term.self_scoring_deadline:
            raise TransitionNotAllowed(
                _("The self-scoring deadline (%(day)s) has passed.")
                % {"day": term.self_scoring_deadline.strftime("%d/%m/%Y")}
            )
        assessment.confirmed_by, assessment.confirmed_at = actor, timezone.now()
        assessment.save(update_fields=["confirmed_by", "confirmed_at"])
        audit.record(
            actor=actor,
            action="cluster.self_confirm",
            target=assessment,
            data={"term_id": term.pk, "unit_id": assessment.unit_id},
        )
    return assessment


# --- cross-scoring at the cluster's meeting -----------------------------------------------------


def term_cross_scoring_open(*, actor, term) -> ClusterTerm:
    """The leader unit (or the standing body) opens the cross-scoring at the year-end meeting: when
    every member has confirmed its self-assessment, or once the deadline has passed."""
    if not (permissions.acts_for_leader(actor, term) or permissions.is_standing_body(actor, term.cluster)):
        raise PermissionDenied(_("Only the leader unit or the standing body may open the cross-scoring."))
    with transaction.atomic():
        term = _lock_term(term)
        _require_state(term, T.SELF_SCORING, doing=_("open the cross-scoring"))
        members = _member_ids(term.cluster, term.year)
        confirmed = set(
            SelfAssessment.objects.filter(term=term, confirmed_at__isnull=False).values_list(
                "unit_id", flat=True
            )
        )
        waiting = sorted(members - confirmed)
        if waiting and timezone.localdate() <= term.self_scoring_deadline:
            raise TransitionNotAllowed(
                _(
                    "Not every member has confirmed its self-assessment, and the deadline (%(day)s) has not passed."
                )
                % {"day": term.self_scoring_deadline.strftime("%d/%m/%Y")}
            )
        term.state = T.CROSS_SCORING
        term.save(update_fields=["state"])
        audit.record(
            actor=actor, action="cluster.cross_open", target=term, data={"without_self_assessment": waiting}
        )
    return term


def cross_scores_enter(*, actor, term, scorer, scores) -> list[CrossScore]:
    """One member's sheet: its score of every other member on every criterion (never of itself),
    keyed in by the leader unit's office at the meeting. Entering a sheet again replaces it."""
    if not permissions.acts_for_leader(actor, term):
        raise PermissionDenied(
            _("The leader unit's office enters the cross-scores at the cluster's meeting.")
        )
    with transaction.atomic():
        term = _lock_term(term)
        _require_state(term, T.CROSS_SCORING, doing=_("take cross-scores"))
        members = _member_ids(term.cluster, term.year)
        if scorer.pk not in members:
            raise ValidationError(
                {"scorer": _("%(unit)s is not a member in %(year)s.") % {"unit": scorer, "year": term.year}}
            )
        criteria = {c.pk: c for c in Criterion.objects.filter(term=term)}
        others = members - {scorer.pk}
        given, errors = {}, {}
        for item in scores:
            scored, criterion = item.get("scored"), item.get("criterion")
            if scored is None or criterion is None or criterion.pk not in criteria:
                raise ValidationError({"scores": _("Score the criteria of this year only.")})
            if scored.pk == scorer.pk:
                raise ValidationError({"scores": _("A unit does not score itself.")})
            if scored.pk not in others:
                raise ValidationError(
                    {
                        "scores": _("%(unit)s is not a member in %(year)s.")
                        % {"unit": scored, "year": term.year}
                    }
                )
            field = f"scores.{scored.pk}.{criterion.pk}"
            try:
                given[(scored.pk, criterion.pk)] = _points(item.get("points"), criteria[criterion.pk], field)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        if len(given) != len(others) * len(criteria):
            raise ValidationError({"scores": _("Score every other member on every criterion.")})
        CrossScore.objects.filter(term=term, scorer=scorer).delete()
        made = CrossScore.objects.bulk_create(
            [
                CrossScore(
                    term=term,
                    scorer=scorer,
                    scored_id=scored_id,
                    criterion_id=criterion_id,
                    points=points,
                    entered_by=actor,
                )
                for (scored_id, criterion_id), points in sorted(given.items())
            ]
        )
        audit.record(
            actor=actor,
            action="cluster.cross_score",
            target=term,
            data={
                "scorer_id": scorer.pk,
                "scores": [[s, c, str(p)] for (s, c), p in sorted(given.items())],
            },
        )
    return made


def term_cross_scoring_close(*, actor, term) -> ClusterTerm:
    """The leader unit sends the year to the standing body once every member's sheet is in."""
    if not permissions.acts_for_leader(actor, term):
        raise PermissionDenied(_("Only the leader unit closes the cross-scoring."))
    with transaction.atomic():
        term = _lock_term(term)
        _require_state(term, T.CROSS_SCORING, doing=_("close the cross-scoring"))
        members = _member_ids(term.cluster, term.year)
        criteria = Criterion.objects.filter(term=term).count()
        expected = (len(members) - 1) * criteria
        counts = {}
        for scorer_id in CrossScore.objects.filter(term=term).values_list("scorer_id", flat=True):
            counts[scorer_id] = counts.get(scorer_id, 0) + 1
        missing = sorted(u for u in members if counts.get(u, 0) != expected)
        if missing:
            raise ValidationError(
                {
                    "scores": _("%(count)s member units have not handed in a complete sheet.")
                    % {"count": len(missing)}
                }
            )
        term.state = T.REVIEW
        term.save(update_fields=["state"])
        audit.record(
            actor=actor, action="cluster.cross_close", target=term, data={"members": sorted(members)}
        )
    return term


# --- the standing body's review and the ranking -------------------------------------------------


def reviewed_scores_set(*, actor, term, unit, scores) -> list[ReviewedScore]:
    """The standing body's scores of one unit; a reason wherever it departs from the mean of the
    cross-scores. Setting them again replaces them."""
    _require_standing(actor, term.cluster)
    with transaction.atomic():
        term = _lock_term(term)
        _require_state(term, T.REVIEW, doing=_("take reviewed scores"))
        if unit.pk not in _member_ids(term.cluster, term.year):
            raise ValidationError(
                {"unit": _("%(unit)s is not a member in %(year)s.") % {"unit": unit, "year": term.year}}
            )
        criteria = {c.pk: c for c in Criterion.objects.filter(term=term)}
        cross = UnitScores(unit=unit)
        for criterion_id, points in CrossScore.objects.filter(term=term, scored=unit).values_list(
            "criterion_id", "points"
        ):
            cross.cross_points.setdefault(criterion_id, []).append(points)
        rows, errors = [], {}
        for item in scores:
            criterion = item.get("criterion")
            if criterion is None or criterion.pk not in criteria:
                raise ValidationError({"scores": _("Score the criteria of this year only.")})
            field = f"scores.{criteria[criterion.pk].position}"
            try:
                points = _points(item.get("points"), criteria[criterion.pk], field)
            except ValidationError as exc:
                errors.update(exc.message_dict)
                continue
            reason = (item.get("reason") or "").strip()
            if len(reason) > limits.SHORT_TEXT:
                errors[field] = limits.too_long_message(limits.SHORT_TEXT, len(reason))
                continue
            mean = cross.cross_mean(criterion.pk)
            if mean is None or Fraction(points) != mean:
                if not reason:
                    errors[field] = _(
                        "Give the reason the reviewed score of “%(criterion)s” differs from the cross-scores (%(mean)s)."
                    ) % {
                        "criterion": criterion.name,
                        "mean": as_decimal(mean) if mean is not None else "—",
                    }
                    continue
            else:
                reason = reason or ""
            rows.append((criterion, points, reason))
        if errors:
            raise ValidationError(errors)
        ReviewedScore.objects.filter(term=term, unit=unit).delete()
        made = ReviewedScore.objects.bulk_create(
            [
                ReviewedScore(term=term, unit=unit, criterion=c, points=p, reason=r, reviewed_by=actor)
                for c, p, r in rows
            ]
        )
        audit.record(
            actor=actor,
            action="cluster.review_score",
            target=term,
            data={
                "unit_id": unit.pk,
                "scores": [{"criterion_id": c.pk, "points": str(p), "reason": r} for c, p, r in rows],
            },
        )
    return made


def ranking_rows(term, criteria, members) -> list[UnitScores]:
    rows = {u.pk: UnitScores(unit=u) for u in members}
    for scored_id, criterion_id, points in CrossScore.objects.filter(term=term).values_list(
        "scored_id", "criterion_id", "points"
    ):
        if scored_id in rows:
            rows[scored_id].cross_points.setdefault(criterion_id, []).append(points)
    for unit_id, criterion_id, points in ReviewedScore.objects.filter(term=term).values_list(
        "unit_id", "criterion_id", "points"
    ):
        if unit_id in rows:
            rows[unit_id].reviewed[criterion_id] = points
    return list(rows.values())


def term_close(*, actor, term, tie_order=(), tie_reason="") -> list[ClusterResult]:
    """The standing body closes the year and ranks the units (clusters.scoring: the total of 100,
    then the criteria in order of weight; what they leave equal, the standing body orders with
    its recorded reason, `tie_order` listing the tied units' ids in their order)."""
    _require_standing(actor, term.cluster)
    tie_reason = (tie_reason or "").strip()
    limits.require_text("tie_reason", tie_reason, limits.SHORT_TEXT)
    with transaction.atomic():
        term = _lock_term(term)
        _require_state(term, T.REVIEW, doing=_("be closed"))
        criteria = list(Criterion.objects.filter(term=term))
        rows = ranking_rows(term, criteria, members_of(term.cluster, term.year))
        unresolved = rank(criteria, rows, decided_order=[int(x) for x in tie_order or ()])
        if any(r.total is None for r in rows):
            raise ValidationError(
                {"scores": _("Every member needs a score on every criterion before the ranking.")}
            )
        if unresolved:
            raise ValidationError(
                {
                    "tie_order": [
                        _(
                            "%(units)s are equal on the total and on every criterion: give their order and the reason."
                        )
                        % {"units": ", ".join(r.unit.name for r in group)}
                        for group in unresolved
                    ]
                }
            )
        decided = any(r.tie_broken_by == "decision" for r in rows)
        if decided and not tie_reason:
            raise ValidationError({"tie_reason": _("Give the reason for the order of the tied units.")})
        results = ClusterResult.objects.bulk_create(
            [
                ClusterResult(
                    term=term, unit=r.unit, total=r.total_decimal, rank=r.rank, tie_broken_by=r.tie_broken_by
                )
                for r in rows
            ]
        )
        term.state = T.CLOSED
        term.tie_reason = tie_reason if decided else ""
        term.closed_at = timezone.now()
        term.save(update_fields=["state", "tie_reason", "closed_at"])
        audit.record(
            actor=actor,
            action="cluster.close",
            target=term,
            data={
                "ranking": [
                    {
                        "unit_id": r.unit.pk,
                        "total": str(r.total_decimal),
                        "rank": r.rank,
                        "tie": r.tie_broken_by,
                    }
                    for r in rows
                ],
                "tie_reason": term.tie_reason,
            },
        )
    return results


# --- the proposal ------------------------------------------------------------------------------


def cluster_proposal_create(*, actor, term, campaign, commendations=2) -> ClusterProposal:
    """The leader unit proposes the first-ranked unit for the Cờ thi đua cấp tỉnh and the next
    `commendations` for the Bằng khen of the provincial chair: one draft award dossier of the
    leader unit with them as collective nominees (dossiers.services), which then runs the normal
    path (submission, appraisal, council, decision)."""
    if not permissions.can_propose(actor, term):
        raise PermissionDenied(_("Only the leader unit's staff or head may draft the cluster's proposal."))
    if not isinstance(commendations, int) or not 0 <= commendations <= MAX_COMMENDATIONS:
        raise ValidationError(
            {
                "commendations": _(
                    "Propose from 0 to %(max)s units for the provincial chair's certificate of merit."
                )
                % {"max": MAX_COMMENDATIONS}
            }
        )
    with transaction.atomic():
        term = _lock_term(term)
        _require_state(term, T.CLOSED, doing=_("be proposed before it is ranked"))
        existing = ClusterProposal.objects.filter(term=term).select_related("dossier").first()
        if existing is not None:
            raise TransitionNotAllowed(
                _("The proposal of %(year)s is drafted already (dossier #%(id)s).")
                % {"year": term.year, "id": existing.dossier_id}
            )
        results = list(ClusterResult.objects.filter(term=term).select_related("unit").order_by("rank"))
        awards = {a.code: a for a in AwardType.objects.filter(code__in=[FLAG_AWARD, COMMENDATION_AWARD])}
        title = _("Proposal of awards for the leading units of %(cluster)s in %(year)s") % {
            "cluster": term.cluster,
            "year": term.year,
        }
        dossier = dossier_services.dossier_create(
            actor=actor, unit=term.leader, campaign=campaign, title=title[: limits.TITLE]
        )
        for result in results[: 1 + commendations]:
            award = awards[FLAG_AWARD] if result.rank == 1 else awards[COMMENDATION_AWARD]
            dossier_services.nominee_add(
                actor=actor,
                dossier=dossier,
                kind=NomineeKind.COLLECTIVE,
                name=result.unit.name,
                award_type=award,
                achievements=_(
                    "Ranked %(rank)s of %(count)s in %(cluster)s in %(year)s, with %(total)s of 100 points."
                )
                % {
                    "rank": result.rank,
                    "count": len(results),
                    "cluster": term.cluster,
                    "year": term.year,
                    "total": result.total,
                },
                collective_unit=result.unit,
            )
        proposal = ClusterProposal.objects.create(term=term, dossier=dossier, created_by=actor)
        audit.record(
            actor=actor,
            action="cluster.propose",
            target=term,
            data={
                "dossier_id": dossier.pk,
                "flag": results[0].unit_id if results else None,
                "commendations": [r.unit_id for r in results[1 : 1 + commendations]],
            },
        )
    return proposal
