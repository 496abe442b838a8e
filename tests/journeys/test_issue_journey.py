"""The records clerk's issuing pages and a signer's signature image page in a real browser, at
1366 px and 390 px, on the demo world after `make run`'s keys (`issue_demo_keys`): the same
checks as every role's pages (axe-core, nothing past a phone's screen, no English, no CSP
violation)."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from documents import selectors
from org.models import User

from .test_journeys import demo, walk  # noqa: F401  (the demo fixture)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_records_clerks_issuing_pages_and_the_signature_image_page(
    live_server,
    demo,  # noqa: F811
    settings,
    tmp_path,
):
    settings.SIGNING_KEYS_DIR = str(tmp_path / "signing")
    settings.SIGNING_TRUST_ROOTS = None
    settings.AUDIT_CHECKPOINT_KEY = tmp_path / "audit" / "checkpoint-key.pem"
    with translation.override("vi"):
        call_command("issue_demo_keys", stdout=io.StringIO())
    [document] = selectors.documents_to_issue(user=User.objects.get(username="clerk"))
    problems = walk(live_server, "clerk", ["/documents/to-issue/", f"/documents/{document.pk}/issue/"])
    problems += walk(live_server, "chair", ["/signature-image/"])
    assert not problems, "\n".join(problems)
