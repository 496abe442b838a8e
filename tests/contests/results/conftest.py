"""Fixtures of the results' tests: a contest at its final round (builders.make_contest), the
organiser's records clerk, and the signing keys of the documents tests."""

import pytest

from org.models import Role
from tests import factories as f
from tests.documents.conftest import _signing_keys, signing_keys_dir  # noqa: F401

from .builders import COLLECTIVE_TOTAL, INDIVIDUAL_TOTAL, STRUCTURE, make_contest  # noqa: F401


@pytest.fixture
def contest(world):
    return make_contest(world)


@pytest.fixture
def clerk(world):
    return f.user_with_role(Role.RECORDS_CLERK, world.commune, username="clerk", full_name="Trần Thị Văn")


@pytest.fixture
def keys(world, signing_keys_dir):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents import appearance, signing
    from documents import services as documents

    signing.issue_agency_key(signing_keys_dir, unit=world.commune, secret=signing.DEMO_PASSPHRASE.encode())
    png = appearance.signature_image_png(world.chair.get_full_name())
    documents.signature_image_set(
        actor=world.chair, user=world.chair, uploaded_file=SimpleUploadedFile("chu-ky.png", png, "image/png")
    )
    return signing_keys_dir
