"""The dashboard: awards by level, form and year, dossiers by state and overdue steps, counted in
the database over what the reader may see, each bar a link to the list behind it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import UnitLevel
from reports.dashboard import dashboard_for
from tests import factories as f

from .register_world import decided_award, recorded_award

pytestmark = pytest.mark.django_db


def chart(dashboard, key):
    return next(c for c in dashboard.charts if c.key == key)


def bars(dashboard, key):
    return {bar.label: bar.value for bar in chart(dashboard, key).bars}


def test_awards_are_counted_by_level_form_and_year(world):
    decided_award(world, name="Phạm Thị Mai", year=2024)
    decided_award(world, name="Lê Văn Hùng", year=2025, code="chien-si-thi-dua-co-so")
    recorded_award(world, name="Phạm Thị Mai", year=2023)
    recorded_award(world, name="Tổ Văn", year=2023, code=None, award_title="Huân chương Lao động hạng Ba")
    board = dashboard_for(user=world.officer)
    assert bars(board, "level") == {str(UnitLevel.COMMUNE.label): 2, _("Recorded from elsewhere"): 2}
    assert bars(board, "year") == {"2023": 2, "2024": 1, "2025": 1}
    kinds = bars(board, "kind")
    assert kinds["Chiến sĩ thi đua cơ sở"] == 2
    assert kinds["Giấy khen"] == 1
    assert kinds["Huân chương Lao động hạng Ba"] == 1
    assert chart(board, "kind").total == 4
    assert [(b.value, b.url) for b in chart(board, "awardee").bars] == [
        (4, "/award-register/?kind=individual")
    ]


def test_each_bar_opens_the_list_behind_it(world, client):
    decided_award(world, name="Phạm Thị Mai", year=2024)
    recorded_award(world, name="Lê Văn Hùng", year=2023)
    board = dashboard_for(user=world.officer)
    client.force_login(world.officer)
    for bar in chart(board, "year").bars:
        listed = client.get(reverse("api-award-register") + bar.url.split("award-register/", 1)[1]).json()
        assert listed["count"] == bar.value
    for bar in chart(board, "level").bars + chart(board, "kind").bars + chart(board, "awardee").bars:
        assert bar.url.startswith(reverse("award-register") + "?")
        listed = client.get(reverse("api-award-register") + bar.url.split("award-register/", 1)[1]).json()
        assert listed["count"] == bar.value
    states = chart(board, "state").bars
    assert [b.url for b in states] == [reverse("dossier-list") + "?state=decided"]


def test_dossiers_by_state_follow_the_readers_scope(world):
    f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)  # a draft
    f.DossierFactory(
        unit=world.school_a, campaign=world.campaign, created_by=world.staff_a, state="in_appraisal"
    )
    f.DossierFactory(
        unit=world.school_b, campaign=world.campaign, created_by=world.staff_a, state="in_appraisal"
    )
    f.DossierFactory(unit=world.school_b, campaign=world.campaign, created_by=world.staff_a, state="decided")
    head_a = {b.url.rsplit("=", 1)[1]: b.value for b in chart(dashboard_for(user=world.head_a), "state").bars}
    assert head_a == {"draft": 1, "in_appraisal": 1}
    # The standing body never sees a unit's drafts.
    officer = {
        b.url.rsplit("=", 1)[1]: b.value for b in chart(dashboard_for(user=world.officer), "state").bars
    }
    assert officer == {"in_appraisal": 2, "decided": 1}


def test_steps_past_their_limit_are_counted_as_overdue(world):
    from approvals.models import PublicNotice
    from dossiers.models import Dossier
    from tests.workflows.conftest import parked
    from workflows.flows import DossierFlow

    late, _on_time = parked(world, DossierFlow.appraise, "in_appraisal", 2, owner=world.officer)
    Dossier.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - dt.timedelta(days=45))
    noticed, still_open = parked(world, DossierFlow.notice, "public_notice", 2)
    PublicNotice.objects.create(dossier=noticed, starts_on=dt.date(2026, 2, 2), ends_on=dt.date(2026, 3, 2))
    PublicNotice.objects.create(
        dossier=still_open, starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 20)
    )
    appraise, notice = chart(dashboard_for(user=world.officer), "overdue").bars
    assert (appraise.value, notice.value) == (1, 1)
    assert appraise.url == reverse("dossier-list") + "?overdue=appraisal"
    assert notice.url == reverse("dossier-list") + "?overdue=notice"
    # The chair sees the same steps.
    appraise, _notice = chart(dashboard_for(user=world.chair), "overdue").bars
    assert appraise.value == 1
    # The other school's head sees nothing of them.
    assert [b.value for b in chart(dashboard_for(user=world.head_b), "overdue").bars] == [0, 0]


def test_each_overdue_bar_opens_exactly_the_dossiers_it_counts(world, client):
    from approvals.models import PublicNotice
    from dossiers.models import Dossier
    from tests.workflows.conftest import parked
    from workflows.flows import DossierFlow

    # One overdue and one not overdue at each step.
    late, on_time = parked(world, DossierFlow.appraise, "in_appraisal", 2, owner=world.officer)
    Dossier.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - dt.timedelta(days=45))
    Dossier.objects.filter(pk=on_time.pk).update(submitted_at=timezone.now() - dt.timedelta(days=3))
    noticed, still_open = parked(world, DossierFlow.notice, "public_notice", 2)
    PublicNotice.objects.create(dossier=noticed, starts_on=dt.date(2026, 2, 2), ends_on=dt.date(2026, 3, 2))
    PublicNotice.objects.create(
        dossier=still_open, starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 3, 20)
    )
    for user in (world.officer, world.chair):
        client.force_login(user)
        for bar, overdue in zip(
            chart(dashboard_for(user=user), "overdue").bars, (late, noticed), strict=True
        ):
            page = client.get(bar.url).context["page"]
            assert page.paginator.count == bar.value == 1, (user, bar.label)
            assert [d.pk for d in page.object_list] == [overdue.pk]
        # Its Excel export holds the same dossiers.
        from reports.list_exports import read_dossiers

        exported = read_dossiers(user, {"overdue": "notice"}).items
        assert [d.pk for d in exported] == [noticed.pk]
        # And the API's list.
        data = client.get("/api/dossiers/?overdue=notice").json()
        assert [d["id"] for d in data["results"]] == [noticed.pk]
        # The list says which step it shows, and keeps it when filtered again.
        html = client.get(reverse("dossier-list") + "?overdue=notice").content.decode()
        assert 'data-testid="overdue-filter"' in html and 'name="overdue" value="notice"' in html


def test_the_dashboard_page_draws_bars_with_links_and_a_table(world, client):
    decided_award(world, name="Phạm Thị Mai", year=2024)
    client.force_login(world.officer)
    html = client.get(reverse("dashboard")).content.decode()
    assert "<svg" in html and "<rect" in html
    assert 'href="/award-register/?year=2024"' in html
    assert "<table" in html
    assert "style=" not in html.split("<main", 1)[1]  # the strict CSP refuses inline styles


def _dashboard_queries(world, client, django_assert_num_queries, count):
    for i in range(count):
        decided_award(world, name=f"Nguyễn Văn {i:02d}", year=2020 + i % 6)
        recorded_award(world, name=f"Lê Thị {i:02d}", year=2019 + i % 5)
    client.force_login(world.officer)
    client.get(reverse("dashboard"))
    # session, user, scopes (2), permissions (2), engine awards, recorded awards, dossiers by
    # state, holidays, overdue steps
    with django_assert_num_queries(11):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("count", [3, 30])
def test_the_dashboard_costs_the_same_queries_for_3_and_30_awards(
    world, client, django_assert_num_queries, count
):
    response = _dashboard_queries(world, client, django_assert_num_queries, count)
    in_2020 = sum(2020 + i % 6 == 2020 for i in range(count)) + sum(
        2019 + i % 5 == 2020 for i in range(count)
    )
    assert f'aria-label="2020: {in_2020}"' in response.content.decode()


def test_the_api_gives_the_same_figures(world, client):
    decided_award(world, name="Phạm Thị Mai", year=2024)
    client.force_login(world.officer)
    data = client.get(reverse("api-dashboard")).json()
    by_key = {c["key"]: c for c in data["charts"]}
    assert set(by_key) == {"level", "kind", "year", "awardee", "state", "overdue"}
    assert by_key["year"]["bars"] == [{"label": "2024", "value": 1, "url": "/award-register/?year=2024"}]


def test_the_home_page_leads_to_the_dashboard(world, client):
    client.force_login(world.chair)
    assert 'data-testid="home-dashboard"' in client.get(reverse("home")).content.decode()
    client.force_login(f.UserFactory())  # no role: nothing to count
    assert 'data-testid="home-dashboard"' not in client.get(reverse("home")).content.decode()
