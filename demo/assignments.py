"""The commune's standing body at work inside: its leader (lanhdao.tdkt) has assigned the dossiers
it received to its specialists (chuyên viên): the officer appraises one, a second specialist holds
another, so the leader's queue shows the "assign to" control and each specialist's load."""

from dossiers.models import Dossier, DossierState
from org.models import Role
from org.services import role_assign
from workflows import services as workflow

from .data import TERM_START

LEADER = "lanhdao.tdkt"
# A second specialist besides `officer` (the council's secretary is one too).
SPECIALIST = "chuyenvien.tdkt"
# (dossier title, the specialist it goes to)
ASSIGNED = [
    ("Đề nghị khen thưởng giáo viên có sáng kiến", "officer"),
    ("Đề nghị Tập thể lao động tiên tiến", SPECIALIST),
]


def seed_demo_assignments(builder) -> None:
    commune = builder.units["longbien"]
    leader = builder.users[LEADER]
    role_assign(actor="system", user=leader, role=Role.STANDING_LEADER, unit=commune, start=TERM_START)
    # The second specialist's account is one of the demo's logins (data.LOGINS): here it takes its role.
    specialist = builder.users[SPECIALIST]
    role_assign(actor="system", user=specialist, role=Role.STANDING_OFFICER, unit=commune, start=TERM_START)
    for title, assignee in ASSIGNED:
        dossier = (
            Dossier.objects.filter(
                title=title,
                reviewing_unit=commune,
                state__in=(DossierState.SUBMITTED, DossierState.IN_APPRAISAL),
            )
            .order_by("pk")
            .first()
        )
        if dossier is not None:
            workflow.dossier_assign(actor=leader, dossier=dossier, assignee=builder.users[assignee])
