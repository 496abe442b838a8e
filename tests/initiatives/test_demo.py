import datetime as dt

from demo.data import IDENTITY
from demo.initiatives import seed_demo_initiatives
from dossiers.services import _missing_documents
from initiatives.models import InitiativeCouncil, InitiativeMeeting, InitiativeRecognition
from org.models import Role
from tests import factories as f


def test_the_demo_builds_the_council_last_years_recognitions_and_an_open_vote(world, ballot_keys):
    f.user_with_role(Role.UNIT_HEAD, world.school_a, username="unit_head", full_name="Nguyễn Văn Hùng")
    f.user_with_role(Role.UNIT_STAFF, world.school_a, username="unit_staff", full_name="Phạm Thị Thu Hà")
    seed_demo_initiatives()
    seed_demo_initiatives()  # idempotent
    assert InitiativeCouncil.objects.get(unit=world.school_a).members.count() == 5
    assert InitiativeRecognition.objects.filter(initiative__year=2025).count() == 2
    assert InitiativeMeeting.objects.filter(state="voting").count() == 1
    # Lê Văn Thành, proposed for Chiến sĩ thi đua cơ sở, has his certification of an initiative.
    dossier = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    nominee = f.NomineeFactory(
        dossier=dossier,
        name="Lê Văn Thành",
        date_of_birth=IDENTITY["Lê Văn Thành"][1],
        award_type=f.award("chien-si-thi-dua-co-so"),
    )
    rules = {nominee.pk: nominee.award_type.rule_on(dt.date(2026, 3, 11))}
    assert not any("Xác nhận sáng kiến" in p for p in _missing_documents(dossier, [nominee], rules))
