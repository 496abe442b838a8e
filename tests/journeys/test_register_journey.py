"""The records clerk's register in a real browser, at 1366 px and 390 px, on the demo world: its
numbers (the demo's paper numbers and the system's) and the form to record a paper number pass
the same checks as every role's pages (axe-core, tables inside a phone's screen, no English)."""

import pytest
from django.utils import timezone

from org.models import Unit

from .test_journeys import demo, walk  # noqa: F401  (the demo fixture)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_records_clerks_register(live_server, demo):  # noqa: F811
    commune = Unit.objects.get(name="Phường Long Biên", grants_awards=True)
    problems = walk(
        live_server, "clerk", ["/registers/", f"/registers/{commune.pk}/{timezone.localdate().year}/"]
    )
    assert not problems, "\n".join(problems)
