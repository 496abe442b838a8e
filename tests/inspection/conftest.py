"""Fixtures of the inspector's workspace: a dossier submitted by school A (so inspectors see it),
an inspector of the commune (world.inspector), and one of school B only."""

import pytest

from audit import checkpoints
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
def inspector_b(world):
    return f.user_with_role(Role.INSPECTOR, world.school_b, username="inspector_b")


@pytest.fixture
def as_inspector(client, world):
    client.force_login(world.inspector)
    return client


@pytest.fixture
def checkpoint_key(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_KEY = tmp_path / "keys" / "checkpoint.pem"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return checkpoints.generate_key()
