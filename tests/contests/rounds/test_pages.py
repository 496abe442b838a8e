"""The scoring pages and their API: a juror sees only their own scores until the close (page and
API), the organiser sees progress and not values, a conflicted juror is refused by name, anyone
else finds nothing; the reads are a fixed number of queries."""

import json

import pytest
from django.urls import reverse

from contests.models import Round, RoundKind, Score
from contests.round_services import round_close, round_start

from .builders import conflict, make_contest, score_all

pytestmark = pytest.mark.django_db
A = RoundKind.APPRAISAL


@pytest.fixture
def opened(cw):
    round_start(actor=cw.organiser, contest=cw.contest, kind=A)
    # Juror 1 gives 7.77 and 17.71 to entry 1: values nobody else may read before the close.
    score_all(cw, A, {0: {0: ("7.77", "17.71")}})
    return cw


def panel(cw):
    return reverse("contest-rounds", args=[cw.contest.pk])


def score_url(cw, entry):
    return reverse("contest-score", args=[cw.contest.pk, A, entry.pk])


def api(cw, name, **kw):
    return reverse(name, kwargs={"pk": cw.contest.pk, "kind": A, **kw})


def test_another_juror_sees_no_values_before_the_close(client, opened):
    cw = opened
    client.force_login(cw.users[1])
    for url in (panel(cw), score_url(cw, cw.entries[0]), reverse("contest-scoring")):
        body = client.get(url).content.decode()
        assert "7.77" not in body and "17.71" not in body and "17,71" not in body
    mine = client.get(api(cw, "contest-my-scores-api")).json()
    assert all(row["scores"] == {} for row in mine)
    assert client.get(api(cw, "contest-round-scores-api")).status_code == 409
    assert client.get(api(cw, "contest-round-progress-api")).status_code == 403
    # Their own scores they do see.
    client.force_login(cw.users[0])
    assert 'value="7.77"' in client.get(score_url(cw, cw.entries[0])).content.decode()
    own = {row["entry"]: row for row in client.get(api(cw, "contest-my-scores-api")).json()}
    assert own[cw.entries[0].pk]["scores"] == {
        str(cw.appraisal[0].pk): "7.77",
        str(cw.appraisal[1].pk): "17.71",
    }
    # 7.77 / 10 × 40 + 17.71 / 20 × 60 = 31.08 + 53.13
    assert own[cw.entries[0].pk]["total"] == "84.21"


def test_the_organiser_sees_progress_not_values(client, opened):
    cw = opened
    client.force_login(cw.organiser)
    body = client.get(panel(cw)).content.decode()
    assert "7.77" not in body and 'data-testid="progress"' in body
    progress = {row["juror"]: row for row in client.get(api(cw, "contest-round-progress-api")).json()}
    assert (progress[cw.jurors[0].pk]["scored"], progress[cw.jurors[0].pk]["expected"]) == (1, 4)
    assert client.get(api(cw, "contest-round-scores-api")).status_code == 409


def test_after_the_close_the_jury_sees_every_score(client, opened):
    cw = opened
    score_all(cw, A, {j: {e: (5, 10) for e in range(4)} for j in range(3)})
    round_close(actor=cw.organiser, contest=cw.contest, kind=A)
    client.force_login(cw.users[2])
    body = client.get(panel(cw)).content.decode()
    assert 'data-testid="scores-table"' in body and 'data-testid="finalists"' in body
    rows = client.get(api(cw, "contest-round-scores-api")).json()
    assert {row["score"] for row in rows} == {"50.00"}


def test_a_conflicted_juror_is_refused_by_name(client, cw):
    conflict(cw.jurors[2], cw.entries[1], cw.organiser, reason="Vợ của tác giả")
    round_start(actor=cw.organiser, contest=cw.contest, kind=A)
    client.force_login(cw.users[2])
    assert "Vợ của tác giả" in client.get(score_url(cw, cw.entries[1])).content.decode()
    c1, c2 = cw.appraisal
    refused = client.post(
        score_url(cw, cw.entries[1]), {f"criterion_{c1.pk}": "5", f"criterion_{c2.pk}": "5"}
    )
    assert refused.status_code == 403 and "Vợ của tác giả" in refused.content.decode()
    answer = client.put(
        api(cw, "contest-entry-scores-api", entry_pk=cw.entries[1].pk),
        json.dumps({"scores": {str(c1.pk): "5", str(c2.pk): "5"}}),
        content_type="application/json",
    )
    assert answer.status_code == 403 and "Vợ của tác giả" in answer.json()["detail"]
    assert not Score.objects.exists()


def test_scoring_through_the_page_and_the_api(client, cw):
    round_start(actor=cw.organiser, contest=cw.contest, kind=A)
    c1, c2 = cw.appraisal
    client.force_login(cw.users[0])
    saved = client.post(
        score_url(cw, cw.entries[0]), {f"criterion_{c1.pk}": "8.5", f"criterion_{c2.pk}": "12"}
    )
    assert saved.status_code == 302
    bad = client.post(score_url(cw, cw.entries[1]), {f"criterion_{c1.pk}": "11", f"criterion_{c2.pk}": "12"})
    assert bad.status_code == 400
    answer = client.put(
        api(cw, "contest-entry-scores-api", entry_pk=cw.entries[1].pk),
        json.dumps({"scores": {str(c1.pk): "6.25", str(c2.pk): "20"}}),
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["total"] == "85.00"  # 25 + 60
    refused = client.put(
        api(cw, "contest-entry-scores-api", entry_pk=cw.entries[1].pk),
        json.dumps({"scores": {str(c1.pk): "-1", str(c2.pk): "20"}}),
        content_type="application/json",
    )
    assert refused.status_code == 400 and f"criterion_{c1.pk}" in refused.json()
    assert Score.objects.count() == 4
    client.force_login(cw.organiser)
    closing = client.post(reverse("contest-round-close-api", kwargs={"pk": cw.contest.pk, "kind": A}), {})
    assert closing.status_code == 400 and "Giám khảo" in json.dumps(closing.json(), ensure_ascii=False)
    page = client.post(reverse("contest-round-close", args=[cw.contest.pk, A]), {"reason": ""})
    assert page.status_code == 400 and 'data-testid="close-error"' in page.content.decode()
    assert Round.objects.get(kind=A).closed_at is None


def test_outsiders_find_nothing(client, opened, world):
    cw = opened
    client.force_login(world.head_a)
    assert client.get(panel(cw)).status_code == 404
    assert client.get(score_url(cw, cw.entries[0])).status_code == 404
    assert client.get(api(cw, "contest-my-scores-api")).status_code == 404
    assert (
        client.post(
            reverse("contest-round-start-api", kwargs={"pk": cw.contest.pk, "kind": "final"})
        ).status_code
        == 404
    )


def test_start_through_the_api_and_a_juror_refused(client, cw):
    client.force_login(cw.users[0])
    url = reverse("contest-round-start-api", kwargs={"pk": cw.contest.pk, "kind": A})
    assert client.post(url).status_code == 403
    client.force_login(cw.organiser)
    assert client.post(url).status_code == 201
    assert client.post(url).status_code == 409


@pytest.mark.parametrize("entries", [2, 12])
def test_reads_are_a_fixed_number_of_queries(client, world, django_assert_num_queries, entries):
    cw = make_contest(world, entries=entries)
    round_start(actor=cw.organiser, contest=cw.contest, kind=A)
    score_all(cw, A, {j: {e: (5, 10) for e in range(entries)} for j in range(3)})
    client.force_login(cw.users[0])
    client.get(panel(cw))  # the session and the user's scopes are warm
    with django_assert_num_queries(PANEL_QUERIES):
        assert client.get(panel(cw)).status_code == 200
    with django_assert_num_queries(MY_SCORES_QUERIES):
        assert client.get(api(cw, "contest-my-scores-api")).status_code == 200
    client.force_login(cw.organiser)
    client.get(panel(cw))
    with django_assert_num_queries(ORGANISER_PANEL_QUERIES):
        assert client.get(panel(cw)).status_code == 200


PANEL_QUERIES = 15
MY_SCORES_QUERIES = 12
ORGANISER_PANEL_QUERIES = 19


def test_the_contest_page_and_the_menu_lead_to_the_rounds(client, opened, world):
    cw = opened
    rounds = panel(cw)
    for user in (cw.organiser, cw.users[0]):
        client.force_login(user)
        page = client.get(reverse("contest-detail", args=[cw.contest.pk])).content.decode()
        assert f'href="{rounds}"' in page
        assert 'data-testid="nav-contest-scoring"' in client.get(reverse("contest-scoring")).content.decode()
    client.force_login(world.head_a)  # enters contests, sits on no jury: no scoring in the menu
    assert 'data-testid="nav-contest-scoring"' not in client.get(reverse("contest-list")).content.decode()
