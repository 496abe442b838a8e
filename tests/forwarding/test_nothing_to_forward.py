"""/forward/ with nothing left to forward: the chair of a body with a higher level sees an empty
list and a sentence saying so; whoever may not forward at all is refused (403)."""

import pytest
from django.utils import translation

from org.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_chair_with_nothing_to_forward_sees_an_empty_list(people, client):
    w = people
    client.force_login(w.chair)
    with translation.override("vi"):
        page = client.get("/forward/", HTTP_ACCEPT_LANGUAGE="vi")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="forward-none"' in html and 'data-testid="forward-group"' not in html
    assert "Không có hồ sơ nào chờ đồng chí quyết định" in html
    assert 'data-testid="forward-pick"' not in html


def test_whoever_may_not_forward_is_refused(people, client):
    w = people
    for user in (w.officer, w.head_a, w.province_chair):
        client.force_login(user)
        assert client.get("/forward/").status_code == 403, user.username


def test_a_vice_chair_alone_may_not_forward(people, client):
    w = people
    vice = f.user_with_role(Role.VICE_CHAIR, w.commune, username="vice_only")
    client.force_login(vice)
    assert client.get("/forward/").status_code == 403
