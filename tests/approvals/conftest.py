import pytest

from dossiers import services as dossier_services
from dossiers.models import Dossier
from org.models import Role
from tests import factories as f


@pytest.fixture
def submitted(complete_draft, world):
    dossier_services.dossier_submit(actor=world.head_a, dossier=complete_draft)
    dossier = Dossier.objects.get(pk=complete_draft.pk)
    dossier.nominee = complete_draft.nominee
    return dossier


@pytest.fixture
def council_roles(world):
    world.secretary = f.council_member(world.council, "secretary", username="secretary")
    world.vice_chair = f.council_member(world.council, "vice_chair", username="vice_chair")
    return world


@pytest.fixture
def province_roles(world):
    world.province_officer = f.user_with_role(
        Role.STANDING_OFFICER, world.province, username="province_officer"
    )
    world.province_chair = f.user_with_role(Role.CHAIR, world.province, username="province_chair")
    world.commune_chair = world.chair
    return world
