"""What each person may read, and do at a council meeting, on the web UI and on the API: every
person of the matrix (scope.py) against every page, file and endpoint of a dossier, of a council
meeting and of the inspectors' workspace. The answer is exact: 404 outside the person's scope
(the same as for an id that does not exist), 403 inside it when the page or the action is not
theirs, and the login page (web) or 401 (API) for nobody signed in."""

import datetime as dt
from typing import NamedTuple

import pytest
from django.utils import timezone

from approvals import meeting_services as ms
from approvals.models import Attendance, CouncilMeeting, Participation, Recusal
from dossiers.models import Attachment
from tests.api.helpers import english_client
from workflows import services as wf

from .conftest import awaiting_decision, in_council, new_dossier, returned
from .scope import (
    EVERYONE,
    INSPECTORS,
    INSPECTS_SUBMITTED,
    ON_THE_ROLL,
    SEES_DRAFT,
    SEES_MEETING,
    SEES_SUBMITTED,
    WATCHES_MEETING,
    add_outsiders,
    api_as,
    expected,
    web_answer,
    web_as,
)

MISSING = 999_999

# --- a dossier: its pages, its files, its API -------------------------------------------------

WEB_READS = [
    "/dossiers/{d}/",
    "/attachments/{a}/",
    "/dossiers/{d}/documents/",
]
API_READS = [
    "/api/dossiers/{d}/",
    "/api/dossiers/{d}/nominees/",
    "/api/dossiers/{d}/nominees/{n}/",
    "/api/dossiers/{d}/attachments/",
    "/api/attachments/{a}/download/",
    "/api/dossiers/{d}/workflow/",
    "/api/dossiers/{d}/objections/",
    "/api/dossiers/{d}/documents/",
]
# The inspectors' workspace: the dossier's timeline, its evidence bundle, its events.
WEB_INSPECTION = [
    "/inspection/dossiers/{d}/",
    "/inspection/dossiers/{d}/evidence.zip",
    "/inspection/?dossier={d}",
]
API_INSPECTION = [
    "/api/inspection/dossiers/{d}/timeline/",
    "/api/inspection/dossiers/{d}/evidence/",
    "/api/inspection/events/?dossier={d}",
]


def dossier_in(w, state):
    """A dossier of school A in `state` (walked along the real path), with its nominee and a file."""
    d = new_dossier(w)
    if state == "returned":
        d = returned(w, d)
    elif state == "in_council":
        d = in_council(w, d)
    d.nominee_id = d.nominee.pk
    d.attachment_id = Attachment.objects.filter(dossier=d).order_by("pk").values_list("pk", flat=True)[0]
    return d


def urls(routes, d):
    return [r.format(d=d.pk, n=d.nominee_id, a=d.attachment_id) for r in routes]


def missing_urls(routes):
    return [r.format(d=MISSING, n=MISSING, a=MISSING) for r in routes]


def read_matrix(get, w, routes, *, sees, readers=None, ui):
    """{(person, route): answer} as observed and as the rule wants it: 200 for its `readers`
    (everyone who sees the object, unless said otherwise)."""
    answers, wanted = {}, {}
    for name in EVERYONE:
        for route in routes:
            wanted[name, route] = expected(
                name, sees=sees, doers=sees if readers is None else readers, done=200, ui=ui
            )
            answers[name, route] = get(getattr(w, name), route)
    return answers, wanted


@pytest.fixture
def w(people):
    return add_outsiders(people)


@pytest.fixture
def web(client):
    def get(user, url):
        return web_answer(web_as(client, user).get(url))

    return get


@pytest.fixture
def api():
    client = english_client()

    def get(user, url):
        return api_as(client, user).get(url).status_code

    get.client = client
    return get


# A draft is the unit's own; once submitted, every state reads alike (returned: back with the
# unit, and still seen by those who reviewed it).
STATES = {"draft": SEES_DRAFT, "returned": SEES_SUBMITTED}


@pytest.mark.parametrize("state", STATES)
def test_a_dossier_its_files_and_documents_on_the_web_are_for_its_scope_only(state, w, web):
    d = dossier_in(w, state)
    answers, wanted = read_matrix(web, w, urls(WEB_READS, d), sees=STATES[state], ui=True)
    assert answers == wanted


@pytest.mark.parametrize("state", STATES)
def test_a_dossier_its_files_and_documents_in_the_api_are_for_its_scope_only(state, w, api):
    d = dossier_in(w, state)
    answers, wanted = read_matrix(api, w, urls(API_READS, d), sees=STATES[state], ui=False)
    assert answers == wanted


def test_a_hidden_dossier_reads_exactly_like_a_missing_one(w, api):
    """Status and body: nothing tells a dossier someone may not see from one that does not exist."""
    d = dossier_in(w, "in_council")
    client = api.client
    for name in ("head_b", "inspector_b", "officer_elsewhere", "nobody"):
        api_as(client, getattr(w, name))
        for hidden, missing in zip(urls(API_READS, d), missing_urls(API_READS), strict=True):
            a, b = client.get(hidden), client.get(missing)
            assert a.status_code == 404, (name, hidden)
            assert (a.status_code, a.data) == (b.status_code, b.data), (name, hidden)


def test_a_decision_and_its_documents_are_for_whoever_sees_a_dossier_it_covers(w, web, api):
    d = awaiting_decision(w, new_dossier(w))
    decision = wf.decision_issue(actor=w.chair, dossiers=[d], title="Tặng Giấy khen")
    for get, routes, ui in (
        (web, ["/decisions/{x}/", "/decisions/{x}/documents/"], True),
        (api, ["/api/decisions/{x}/", "/api/decisions/{x}/documents/"], False),
    ):
        routes = [r.format(x=decision.pk) for r in routes]
        answers, wanted = read_matrix(get, w, routes, sees=SEES_SUBMITTED, ui=ui)
        assert answers == wanted


@pytest.mark.parametrize("state", ["draft", "in_council"])
def test_the_inspectors_workspace_shows_a_dossier_to_its_inspectors_only(state, w, web, api):
    d = dossier_in(w, state)
    sees = INSPECTS_SUBMITTED if state != "draft" else frozenset()
    answers, wanted = read_matrix(web, w, urls(WEB_INSPECTION, d), sees=sees, ui=True)
    assert answers == wanted
    answers, wanted = read_matrix(api, w, urls(API_INSPECTION, d), sees=sees, ui=False)
    assert answers == wanted


def test_the_inspectors_workspace_exists_for_inspectors_only(w, web, api):
    """The search and the chain's status: any inspector; for anyone else, nothing there (404)."""
    answers, wanted = read_matrix(web, w, ["/inspection/", "/inspection/chain/"], sees=INSPECTORS, ui=True)
    assert answers == wanted
    answers, wanted = read_matrix(
        api, w, ["/api/inspection/events/", "/api/inspection/chain/"], sees=INSPECTORS, ui=False
    )
    assert answers == wanted


# --- a council meeting --------------------------------------------------------------------------


def convene(w, *, at=None):
    """A meeting of the commune's council on one dossier, chaired by the vice-chair; its roll is
    the council on the day (member, secretary, vice-chair)."""
    d = in_council(w, new_dossier(w))
    meeting = ms.meeting_schedule(
        actor=w.secretary,
        council=w.council,
        scheduled_at=at or timezone.now() + dt.timedelta(hours=1),
        place="Hội trường UBND phường Long Biên",
        chairperson=w.vice_chair,
        secretary=w.secretary,
        dossiers=[d],
    )
    meeting.nominee_id = d.nominee.pk
    return meeting


# Each page of a meeting and who reads it among those who see the meeting (the others: 403).
WEB_MEETING_PAGES = {
    "/meetings/{m}/": SEES_MEETING,
    "/meetings/{m}/minutes/": SEES_MEETING,
    "/meetings/{m}/live/": WATCHES_MEETING,
    "/meetings/{m}/live/status/": WATCHES_MEETING,
    "/meetings/{m}/written/": ON_THE_ROLL,
    "/meetings/new/?council={c}": frozenset({"secretary"}),
}
API_MEETING_PAGES = {
    "/api/meetings/{m}/": SEES_MEETING,
    "/api/meetings/{m}/minutes/": SEES_MEETING,
    "/api/meetings/{m}/live/": WATCHES_MEETING,
}


@pytest.mark.parametrize("channel", ["web", "api"])
def test_each_page_of_a_meeting_is_read_by_its_people(channel, w, web, api):
    """404 to whoever may not see the meeting (the units whose dossiers are on its agenda, the
    levels above), 403 to whoever sees it but whose page it is not."""
    meeting = convene(w)
    get, pages = (web, WEB_MEETING_PAGES) if channel == "web" else (api, API_MEETING_PAGES)
    answers, wanted = {}, {}
    for name in EVERYONE:
        for route, readers in pages.items():
            wanted[name, route] = expected(
                name, sees=SEES_MEETING, doers=readers, done=200, ui=channel == "web"
            )
            answers[name, route] = get(getattr(w, name), route.format(m=meeting.pk, c=w.council.pk))
    assert answers == wanted


def test_the_convening_form_is_for_council_secretaries(w, web):
    """Without a council named, nothing is hidden: it is the secretaries' page (403 to others)."""
    signed_in = frozenset(EVERYONE) - {"anonymous"}
    answers, wanted = read_matrix(web, w, ["/meetings/new/"], sees=signed_in, readers={"secretary"}, ui=True)
    assert answers == wanted


def test_a_hidden_meeting_reads_exactly_like_a_missing_one(w, api):
    meeting = convene(w)
    client = api.client
    for name in ("staff_a", "head_b", "province_officer", "nobody"):
        api_as(client, getattr(w, name))
        for route in API_MEETING_PAGES:
            a, b = client.get(route.format(m=meeting.pk)), client.get(route.format(m=MISSING))
            assert a.status_code == 404, (name, route)
            assert (a.status_code, a.data) == (b.status_code, b.data), (name, route)


def meeting_snapshot(meeting):
    return (
        CouncilMeeting.objects.get(pk=meeting.pk).state,
        sorted(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status")),
        Participation.objects.filter(item__meeting=meeting).count(),
        Recusal.objects.filter(item__meeting=meeting).count(),
    )


def _roll(w):
    return [getattr(w, n).pk for n in sorted(ON_THE_ROLL)]


class Action(NamedTuple):
    state: str  # the meeting's state when it is tried
    doers: frozenset  # who may take it; everyone else is tried first and must change nothing
    web: tuple  # (path suffix, body as a function of the world and the meeting)
    api: tuple


MEETING_ACTIONS = {
    "attendance": Action(
        "scheduled",
        frozenset({"secretary"}),
        ("attendance", lambda w, m: {"present": [str(pk) for pk in _roll(w)]}),
        ("attendance", lambda w, m: {"present": _roll(w)}),
    ),
    "open": Action(
        "attended", frozenset({"secretary"}), ("open", lambda w, m: {}), ("open", lambda w, m: {})
    ),
    "cancel": Action(
        "scheduled",
        frozenset({"secretary"}),
        ("cancel", lambda w, m: {"reason": "Hoãn họp"}),
        ("cancel", lambda w, m: {"reason": "Hoãn họp"}),
    ),
    "written-vote": Action(
        "scheduled",
        ON_THE_ROLL,
        ("written", lambda w, m: {f"choice_{m.nominee_id}": "agree"}),
        ("written-votes", lambda w, m: {"votes": [{"nominee": m.nominee_id, "choice": "agree"}]}),
    ),
    "recusal": Action(
        "scheduled",
        ON_THE_ROLL,
        ("recusals", lambda w, m: {"nominee": m.nominee_id, "note": "Người thân"}),
        ("recusals", lambda w, m: {"nominee": m.nominee_id, "note": "Người thân"}),
    ),
    "ballot": Action(
        "voting",
        ON_THE_ROLL,
        ("vote", lambda w, m: {"nominee": m.nominee_id, "choice": "agree"}),
        ("ballots", lambda w, m: {"nominee": m.nominee_id, "choice": "agree"}),
    ),
    "close": Action(
        "voting",
        frozenset({"vice_chair"}),  # the chairperson
        ("close", lambda w, m: {"conclusion": "Thông qua"}),
        ("close", lambda w, m: {"conclusion": "Thông qua"}),
    ),
}
API_DONE = {"written-vote": 201, "recusal": 201, "ballot": 201}


def meeting_in(w, state):
    """A meeting just convened ("scheduled"), with the roll present ("attended"), or voting."""
    meeting = convene(w)
    nominee_id = meeting.nominee_id
    if state in ("attended", "voting"):
        present = [getattr(w, n) for n in ON_THE_ROLL]
        ms.meeting_attendance_record(actor=w.secretary, meeting=meeting, present=present)
    if state == "voting":
        meeting = ms.meeting_open_voting(actor=w.secretary, meeting=meeting)
    meeting.nominee_id = nominee_id
    return meeting


@pytest.mark.parametrize("channel", ["web", "api"])
@pytest.mark.parametrize("action", MEETING_ACTIONS)
def test_each_action_of_a_meeting_is_refused_to_all_but_its_people(action, channel, w, client):
    doers = MEETING_ACTIONS[action].doers
    meeting = meeting_in(w, MEETING_ACTIONS[action].state)
    suffix, body = getattr(MEETING_ACTIONS[action], channel)
    if channel == "web":
        url, done = f"/meetings/{meeting.pk}/{suffix}/", 302

        def post(user):
            return web_answer(web_as(client, user).post(url, body(w, meeting)))

    else:
        api_client = english_client()
        url, done = f"/api/meetings/{meeting.pk}/{suffix}/", API_DONE.get(action, 200)

        def post(user):
            return api_as(api_client, user).post(url, body(w, meeting), format="json").status_code

    before = meeting_snapshot(meeting)
    answers, wanted = {}, {}
    for name in sorted(EVERYONE, key=lambda n: n in doers):  # the others first: they change nothing
        wanted[name] = expected(name, sees=SEES_MEETING, doers=doers, done=done, ui=channel == "web")
        answers[name] = post(getattr(w, name))
        if name not in doers:
            assert meeting_snapshot(meeting) == before, name
    assert answers == wanted
    assert meeting_snapshot(meeting) != before


@pytest.mark.parametrize("channel", ["web", "api"])
def test_convening_a_meeting_is_for_the_councils_secretary(channel, w, client):
    """The council is the object: 404 to whoever may not see its meetings, 403 to the others."""
    d = in_council(w, new_dossier(w))
    day = timezone.localdate() + dt.timedelta(days=1)
    if channel == "web":
        url, done = f"/meetings/new/?council={w.council.pk}", 302
        body = {
            "council": w.council.pk,
            "day": day.isoformat(),
            "time": "08:00",
            "place": "Hội trường",
            "chairperson": w.vice_chair.pk,
            "secretary": w.secretary.pk,
            "secret_ballot": "on",
            "dossiers": [d.pk],
        }

        def post(user):
            return web_answer(web_as(client, user).post(url, body))

    else:
        api_client = english_client()
        url, done = "/api/meetings/", 201
        body = {
            "council": w.council.pk,
            "scheduled_at": timezone.now() + dt.timedelta(days=1),
            "place": "Hội trường",
            "chairperson": w.vice_chair.pk,
            "secretary": w.secretary.pk,
            "dossiers": [d.pk],
        }

        def post(user):
            return api_as(api_client, user).post(url, body, format="json").status_code

    answers, wanted = {}, {}
    for name in sorted(EVERYONE, key=lambda n: n == "secretary"):
        wanted[name] = expected(name, sees=SEES_MEETING, doers={"secretary"}, done=done, ui=channel == "web")
        answers[name] = post(getattr(w, name))
        assert CouncilMeeting.objects.count() == (answers[name] == done), name
    assert answers == wanted


@pytest.mark.parametrize("channel", ["web", "api"])
def test_recording_a_paper_meeting_is_for_the_councils_secretary(channel, w, client):
    """The council is the object, as for convening: 404 to whoever may not see its meetings, 403
    to the others, and nothing recorded until its secretary does it."""
    import json

    from tests import factories as f

    d = in_council(w, new_dossier(w))
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    members = [w.member.pk, w.secretary.pk, w.vice_chair.pk]
    if channel == "web":
        url, done = f"/meetings/paper/?council={w.council.pk}", 302

        def post(user):
            body = {
                "council": w.council.pk,
                "day": yesterday.isoformat(),
                "time": "08:00",
                "place": "Hội trường",
                "chairperson": w.vice_chair.pk,
                "present": members,
                "written_votes": 0,
                "dossiers": [d.pk],
                f"for_{d.nominee.pk}": 3,
                "minutes": f.pdf_upload("bien-ban.pdf"),
            }
            return web_answer(web_as(client, user).post(url, body))

    else:
        api_client = english_client()
        url, done = "/api/meetings/paper/", 201

        def post(user):
            body = {
                "council": w.council.pk,
                "held_at": (timezone.now() - dt.timedelta(days=1)).isoformat(),
                "place": "Hội trường",
                "chairperson": w.vice_chair.pk,
                "present": members,
                "dossiers": [d.pk],
                "votes": json.dumps([{"nominee": d.nominee.pk, "votes_for": 3}]),
                "minutes": f.pdf_upload("bien-ban.pdf"),
            }
            return api_as(api_client, user).post(url, body, format="multipart").status_code

    answers, wanted = {}, {}
    for name in sorted(EVERYONE, key=lambda n: n == "secretary"):
        wanted[name] = expected(name, sees=SEES_MEETING, doers={"secretary"}, done=done, ui=channel == "web")
        answers[name] = post(getattr(w, name))
        assert CouncilMeeting.objects.count() == (answers[name] == done), name
    assert answers == wanted
