"""Who may see what, written out person by person: the scope rule of DESIGN.md ("Permissions")
as tables for the role-matrix tests (test_roles.py, test_scope.py).

The tables are the specification. They are written by hand from the rule, never computed by the
code under test, so that a change of the rule in the code shows up as a failing cell here:

- anything outside a person's scope is a 404, the same answer as for an id that does not exist;
- inside the scope, a step or a page that is not theirs is a 403;
- nobody signed in: the web UI sends them to the login page, the API answers 401 (token
  authentication comes first, with its WWW-Authenticate challenge).
"""

from django.conf import settings
from django.shortcuts import resolve_url

from org.models import Role, UnitLevel, User
from tests import factories as f

# Everyone the matrices try, in the world of conftest.py's `people` plus `add_outsiders`.
EVERYONE = [
    "staff_a",  # unit staff of school A, the proposing unit
    "head_a",  # its head
    "head_b",  # the head of another unit (school B, under the same commune)
    "officer",  # the standing body of the commune (the dossier's reviewing unit)
    "member",  # a member of the commune's council
    "secretary",  # the council's secretary
    "vice_chair",  # the council's vice-chair
    "chair",  # the commune's chair (the deciding authority)
    "inspector",  # an inspector of the commune (the subtree that holds school A)
    "inspector_b",  # an inspector of school B (a subtree that does not hold school A)
    "officer_elsewhere",  # the standing body of another commune
    "province_officer",  # the standing body of the province (above the commune)
    "province_chair",  # the province's chair
    "nobody",  # an account that holds no role
    "admin",  # the administrator: a superuser
    "anonymous",  # nobody signed in
]

# Who sees a dossier of school A (reviewed by the commune). A draft is the unit's own working
# copy; once submitted, the review roles of the commune it was sent to, and the inspectors of a
# subtree that holds school A, see it too. The levels above do not: they see a lower unit's
# dossier only once it is forwarded to them (dossiers.permissions.sent_to_q). A superuser sees
# everything.
SEES_DRAFT = frozenset({"staff_a", "head_a", "admin"})
SEES_SUBMITTED = SEES_DRAFT | {
    "officer",
    "member",
    "secretary",
    "vice_chair",
    "chair",
    "inspector",
}

# Who sees a meeting of the commune's council (and the council itself): its members, the
# standing body and the chair of the commune, inspectors over the commune, a superuser. The
# units whose dossiers are on the agenda do not; nor do the levels above (their own councils
# meet about their own dossiers).
SEES_MEETING = frozenset({"officer", "member", "secretary", "vice_chair", "chair", "inspector", "admin"})
# The live view of who has voted: the meeting's secretary and chairperson (here the council's
# secretary and vice-chair), the council's secretaries, inspectors, a superuser.
WATCHES_MEETING = frozenset({"secretary", "vice_chair", "inspector", "admin"})
# On the roll of the commune's council on the meeting date.
ON_THE_ROLL = frozenset({"member", "secretary", "vice_chair"})

# The inspectors' workspace exists only for inspectors (anyone else: 404, as for anything they
# may not see); an inspector sees the dossiers of their subtree once they left the drafts.
INSPECTORS = frozenset({"inspector", "inspector_b"})
INSPECTS_SUBMITTED = frozenset({"inspector"})

LOGIN = "login"  # a redirect to the login page


def add_outsiders(w):
    """The people the workflow's world lacks for the matrix: an inspector and a standing body
    elsewhere, an account without a role, a superuser."""
    other_commune = f.UnitFactory(
        name="Phường Bồ Đề", code="UBNDBD", level=UnitLevel.COMMUNE, parent=w.province, grants_awards=True
    )
    w.inspector_b = f.user_with_role(Role.INSPECTOR, w.school_b, username="inspector_b")
    w.officer_elsewhere = f.user_with_role(Role.STANDING_OFFICER, other_commune, username="officer_elsewhere")
    w.nobody = f.UserFactory(username="nobody")
    admin = f.user_with_role(Role.ADMIN, w.province, username="admin")
    User.objects.filter(pk=admin.pk).update(is_superuser=True, is_staff=True)
    w.admin = User.objects.get(pk=admin.pk)
    w.anonymous = None
    return w


def expected(who, *, sees, doers=(), done, ui):
    """The one right answer to `who`: `done` for those whose step or page it is, 403 for anyone
    else who sees the object, 404 for anyone who does not; nobody signed in: the login page (web)
    or 401 (API)."""
    if who == "anonymous":
        return LOGIN if ui else 401
    if who in doers:
        return done
    return 403 if who in sees else 404


def web_answer(response):
    """The status, or LOGIN for a redirect to the login page."""
    login = resolve_url(settings.LOGIN_URL)
    if response.status_code == 302 and response["Location"].split("?")[0] == login:
        return LOGIN
    return response.status_code


def web_as(client, user):
    """`client` signed in as `user`, or signed out for None."""
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def api_as(client, user):
    """`client` authenticated as a fresh copy of `user` (no scopes cached from the set-up), or
    as nobody for None."""
    client.force_authenticate(User.objects.get(pk=user.pk) if user is not None else None)
    return client
