"""The city (the province-level unit above the commune) sees a commune's dossier only once it has
been forwarded there (trình cấp trên): its standing body, council and chair review what is sent to
them, not everything filed below them. Its inspectors still read their whole subtree."""

import pytest

from dossiers import selectors
from dossiers.models import Attachment
from dossiers.permissions import can_view_dossier
from org.models import Role, User
from tests import factories as f
from tests.api.helpers import english_client
from workflows import services as wf

from .conftest import awaiting_decision, fresh, in_council, new_dossier, submitted

CITY_REVIEWERS = ["province_officer", "province_chair", "province_secretary", "province_vice_chair"]


@pytest.fixture
def w(people):
    people.province_inspector = f.user_with_role(
        Role.INSPECTOR, people.province, username="province_inspector"
    )
    return people


def fresh_user(user):
    return User.objects.get(pk=user.pk)


def visible_ids(user) -> set[int]:
    return set(selectors.dossier_list_for(user=fresh_user(user)).values_list("pk", flat=True))


def answers(user, dossier) -> tuple[int, int, int, int]:
    """The dossier's page, its file, and both in the API, as `user` asks for them."""
    attachment = Attachment.objects.filter(dossier=dossier).values_list("pk", flat=True).first()
    web = english_client()
    web.force_login(user)
    api = english_client()
    api.force_authenticate(fresh_user(user))
    return (
        web.get(f"/dossiers/{dossier.pk}/").status_code,
        web.get(f"/attachments/{attachment}/").status_code,
        api.get(f"/api/dossiers/{dossier.pk}/").status_code,
        api.get(f"/api/attachments/{attachment}/download/").status_code,
    )


@pytest.mark.parametrize("walk", [submitted, in_council, awaiting_decision])
def test_the_city_does_not_see_a_commune_dossier_never_forwarded_to_it(w, walk):
    d = walk(w, new_dossier(w))

    for name in CITY_REVIEWERS:
        reviewer = getattr(w, name)
        assert d.pk not in visible_ids(reviewer), name
        assert not can_view_dossier(fresh_user(reviewer), d), name
    assert answers(w.province_officer, d) == (404, 404, 404, 404)
    # The commune, which it was sent to, does.
    assert d.pk in visible_ids(w.officer)
    assert answers(w.officer, d) == (200, 200, 200, 200)


def test_the_city_reviews_the_upward_dossier_with_its_files_never_the_one_it_came_from(w):
    d = awaiting_decision(w, new_dossier(w, award="bang-khen-chu-tich-tinh"))
    kept_below = awaiting_decision(w, new_dossier(w))
    upward = wf.dossier_forward(actor=w.chair, dossiers=[d], title="Tờ trình lên thành phố")
    d = fresh(d)

    for name in CITY_REVIEWERS:
        seen = visible_ids(getattr(w, name))
        # The upward dossier is theirs to review, with its nominees' files (referenced from
        # below); the lower dossier stays the commune's.
        assert upward.pk in seen, name
        assert d.pk not in seen and kept_below.pk not in seen, name
        assert not can_view_dossier(fresh_user(getattr(w, name)), d), name
    assert answers(w.province_officer, upward) == (200, 200, 200, 200)
    assert answers(w.province_officer, d) == (404, 404, 404, 404)
    # The commune keeps seeing both: it made the upward dossier.
    assert {upward.pk, d.pk, kept_below.pk} <= visible_ids(w.chair)
    assert can_view_dossier(fresh_user(w.officer), upward)


def test_the_citys_inspectors_still_read_everything_below_them(w):
    d = in_council(w, new_dossier(w))

    assert d.pk in visible_ids(w.province_inspector)
    assert can_view_dossier(fresh_user(w.province_inspector), d)


def test_what_the_city_may_see_costs_the_same_queries_for_one_dossier_or_many(
    w, django_assert_max_num_queries
):
    d = awaiting_decision(w, new_dossier(w, award="bang-khen-chu-tich-tinh"))
    wf.dossier_forward(actor=w.chair, dossiers=[d], title="Tờ trình lên thành phố")
    officer = fresh_user(w.province_officer)
    selectors.dossier_list_for(user=officer).count()  # the scopes, loaded once per user

    with django_assert_max_num_queries(1):
        assert len(list(selectors.dossier_list_for(user=officer))) == 1  # the upward dossier only
