"""The records clerk's home page: the decisions signed and waiting to be issued, with the way to
the full list and to the register, instead of "you hold no role"."""

import pytest
from django.urls import reverse

from documents import services, signing
from documents.models import GeneratedKind as K
from org.models import Role, User
from tests import factories as f


@pytest.fixture
def clerk(world):
    return f.user_with_role(
        Role.RECORDS_CLERK, world.commune, username="clerk", full_name="Ngô Thị Thu Trang"
    )


@pytest.fixture
def to_issue(decided, world, signing_keys_dir):
    signing.issue_agency_key(signing_keys_dir, unit=world.commune, secret=signing.DEMO_PASSPHRASE.encode())
    document = services.document_render(actor=world.officer, kind=K.DECISION, subject=decided)
    return services.document_sign(actor=world.chair, document=document)


def test_the_clerk_home_lists_the_decisions_to_issue(to_issue, clerk, client):
    client.force_login(User.objects.get(pk=clerk.pk))
    page = client.get(reverse("home"))
    html = page.content.decode()
    assert page.status_code == 200
    assert [d.pk for d in page.context["now"]["to_issue"]] == [to_issue.pk]
    assert 'data-testid="home-to-issue"' in html and "Quyết định cần phát hành" in html
    assert html.count('data-testid="home-to-issue-row"') == 1 and "01/QĐ-UBND" in html
    assert reverse("document-issue", args=[to_issue.pk]) in html
    assert 'href="/documents/to-issue/"' in html and f'href="{reverse("register-list")}"' in html
    assert "Đồng chí chưa được phân công vai trò" not in html
    # The clerk's own work is in the bar itself, not under "More".
    bar, more = html.split('data-testid="nav-more"', 1)
    assert 'data-testid="nav-to-issue">Chờ phát hành<' in bar and 'data-testid="nav-to-issue"' not in more


def test_the_clerk_home_with_nothing_to_issue_says_so(clerk, client):
    client.force_login(User.objects.get(pk=clerk.pk))
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-to-issue"' in html and 'data-testid="home-to-issue-row"' not in html
    assert "Không có văn bản cần phát hành" in html
    assert "Đồng chí chưa được phân công vai trò" not in html


def test_others_have_no_such_section(to_issue, world, client):
    client.force_login(User.objects.get(pk=world.chair.pk))
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-to-issue"' not in html
