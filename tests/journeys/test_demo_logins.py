"""The demo tells all: every login the demo creates — every member of the council (a meeting runs
to its end only when all present have voted), each level's officers — is printed by
`manage.py seed_demo` (and so by `make run`) and listed in the README."""

import io
import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from demo.meetings import PRESENT
from org.models import CouncilMembership, RoleAssignment, User


def test_every_demo_login_is_printed_and_in_the_readme(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    readme = " ".join((Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8").split())
    usernames = set(User.objects.values_list("username", flat=True))
    council_members = set(CouncilMembership.objects.values_list("user__username", flat=True))
    officers = set(RoleAssignment.objects.values_list("user__username", flat=True))

    assert len(council_members) == 9 + 11 and {"tp_thuky", "officer", "secretary"} <= officers
    printed_logins = set(re.findall(r"^  (\S+) ", printed, flags=re.MULTILINE))
    assert printed_logins == usernames
    in_readme = set(re.findall(r"`([a-z_0-9.]+)`", readme))
    # The city council's eight members are written as a range, `tp_uyvien1` … `tp_uyvien8`.
    in_readme |= {f"tp_uyvien{i}" for i in range(1, 9)} if "`tp_uyvien1` … `tp_uyvien8`" in readme else set()
    assert usernames <= in_readme, usernames - in_readme
    assert ", ".join(PRESENT) in printed
