"""When a unit is dissolved (org.services.unit_merge / unit_split), its open dossiers go on at
its successor: each dossier not in a final state moves to the successor (or to the unit the
caller mapped it to), and one handled by the dissolved unit goes to the successor's deciding
unit, each with an audit record. Final dossiers keep the unit as it was, and every dossier keeps
the unit's name as it was at submission (`unit_name_at_submission`), so what was printed stays."""

from audit import services as audit
from org.reorganisation import register_handover

from .models import FINAL_STATES, Dossier


@register_handover
def open_dossiers_hand_over(*, actor, unit, successor, on_date, mapping) -> list[int]:
    moved = []
    for d in Dossier.objects.filter(unit=unit).exclude(state__in=FINAL_STATES).order_by("pk"):
        target = mapping.get(d.pk, successor)
        Dossier.objects.filter(pk=d.pk).update(unit=target)
        audit.record(
            actor=actor,
            action="dossier.unit_handover",
            target=d,
            data={
                "from_unit_id": unit.pk,
                "from_unit": unit.name,
                "to_unit_id": target.pk,
                "to_unit": target.name,
                "on_date": on_date.isoformat(),
            },
        )
        moved.append(d.pk)
    reviewer = successor.deciding_unit()
    for d in Dossier.objects.filter(reviewing_unit=unit).exclude(state__in=FINAL_STATES).order_by("pk"):
        Dossier.objects.filter(pk=d.pk).update(reviewing_unit=reviewer)
        audit.record(
            actor=actor,
            action="dossier.reviewer_handover",
            target=d,
            data={"from_unit_id": unit.pk, "to_unit_id": reviewer.pk if reviewer else None},
        )
        moved.append(d.pk)
    return moved
