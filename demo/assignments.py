"""The commune's standing body at work inside: its leader (lanhdao.tdkt) has assigned the dossiers
it received to its specialists (chuyên viên): the officer appraises one, a second specialist holds
another, so the leader's queue shows the "assign to" control and each specialist's load."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from dossiers.models import Dossier, DossierState
from org.models import Role
from org.services import role_assign
from workflows import services as workflow

from .data import PASSWORD, TERM_START

LEADER = "lanhdao.tdkt"
# A second specialist besides `officer` (the council's secretary is one too).
SPECIALIST = ("chuyenvien.tdkt", "Đặng Văn Khoa", "Chuyên viên Phòng Nội vụ")
# (dossier title, the specialist it goes to)
ASSIGNED = [
    ("Đề nghị khen thưởng giáo viên có sáng kiến", "officer"),
    ("Đề nghị Tập thể lao động tiên tiến", SPECIALIST[0]),
]


def seed_demo_assignments(builder) -> None:
    commune, pnv = builder.units["longbien"], builder.units["pnv"]
    leader = builder.users[LEADER]
    role_assign(actor="system", user=leader, role=Role.STANDING_LEADER, unit=commune, start=TERM_START)
    username, full_name, position = SPECIALIST
    specialist = get_user_model().objects.create(
        username=username, password=make_password(PASSWORD), full_name=full_name, position=position, unit=pnv
    )
    builder.users[username] = specialist
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
