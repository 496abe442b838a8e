"""The standing body's leader in a real browser, at 1366 px and 390 px, on the demo world: the
queue with its load table and "assign to" controls, and an assigned dossier's page, pass the same
checks as every role's pages (axe-core, tables inside a phone's screen, no English)."""

import pytest

from approvals.models import DossierAssignment

from .test_journeys import demo, walk  # noqa: F401  (the demo fixture)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_leaders_queue_and_an_assigned_dossier(live_server, demo):  # noqa: F811
    assigned = DossierAssignment.objects.filter(ended_at__isnull=True).order_by("pk").first()
    problems = walk(live_server, "lanhdao.tdkt", ["/queue/", f"/dossiers/{assigned.dossier_id}/"])
    assert not problems, "\n".join(problems)
    problems = walk(live_server, "chuyenvien.tdkt", ["/queue/?holder=assigned_me"])
    assert not problems, "\n".join(problems)
