"""Fixtures of the fund tests: the documents tests' signing keys and decided dossier (three
Giấy khen of Phường Long Biên, signed 05/02/2026), the body's agency key, its records clerk and
the standing body's leader, and a decision signed by the chair, ready to issue."""

import pytest

from documents import services as documents
from documents import signing
from documents.models import GeneratedKind as K
from org.models import Role
from tests import factories as f
from tests.documents.conftest import (  # noqa: F401  (fixtures shared with the documents tests)
    DECISION_DAY,
    REVOCATION_DAY,
    _signing_keys,
    council_roles,
    decided,
    signing_keys_dir,
)


@pytest.fixture
def clerk(world):
    return f.user_with_role(
        Role.RECORDS_CLERK, world.commune, username="clerk", full_name="Ngô Thị Thu Trang"
    )


@pytest.fixture
def leader(world):
    return f.user_with_role(Role.STANDING_LEADER, world.commune, username="leader", full_name="Phạm Văn Dũng")


@pytest.fixture
def agency_key(world, signing_keys_dir):  # noqa: F811
    signing.issue_agency_key(signing_keys_dir, unit=world.commune, secret=signing.DEMO_PASSPHRASE.encode())


@pytest.fixture
def to_issue(decided, world, agency_key):  # noqa: F811
    document = documents.document_render(actor=world.officer, kind=K.DECISION, subject=decided)
    return documents.document_sign(actor=world.chair, document=document)
