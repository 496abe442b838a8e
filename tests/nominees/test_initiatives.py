"""Initiatives and research topics (sáng kiến, đề tài) as nominees, with their authors: through
the services, the API (nested) and the nominee's page; the award types they may receive are
rule data (AwardRule.nominee_kinds)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from dossiers import services
from dossiers.models import NomineeAuthor
from tests import factories as f
from tests.api.helpers import english_client

TOPIC = "Sáng kiến “Ứng dụng bảng tính điện tử theo dõi tiến độ học tập”"


def initiative(world, dossier, award="giay-khen", **extra):
    return services.nominee_add(
        actor=world.staff_a,
        dossier=dossier,
        kind="initiative",
        name=TOPIC,
        award_type=f.award(award),
        achievements="Áp dụng tại 4 trường THCS trên địa bàn.",
        **extra,
    )


def test_an_initiative_is_added_with_its_authors(world, draft):
    nominee = initiative(
        world,
        draft,
        authors=[
            {"name": "Nguyễn Thị Lan", "position": "Giáo viên Toán", "share_percent": Decimal(60)},
            {"name": "Phạm Minh Đức", "share_percent": Decimal(40)},
        ],
    )
    assert [(a.name, a.share_percent) for a in nominee.authors.all()] == [
        ("Nguyễn Thị Lan", Decimal(60)),
        ("Phạm Minh Đức", Decimal(40)),
    ]
    event = AuditEvent.objects.filter(action="nominee.add").latest("seq")
    assert [a["name"] for a in event.data["authors"]] == ["Nguyễn Thị Lan", "Phạm Minh Đức"]


def test_which_awards_an_initiative_may_receive_is_rule_data(world, draft):
    with pytest.raises(ValidationError) as info:
        initiative(world, draft, award="lao-dong-tien-tien")
    assert info.value.message_dict == {
        "kind": ["“Lao động tiên tiến” cannot be given to a initiative or research topic."]
    }
    rule = f.award("lao-dong-tien-tien").rule_on(world.today)
    rule.nominee_kinds = [*rule.nominee_kinds, "initiative"]
    rule.save(update_fields=["nominee_kinds"])
    assert initiative(world, draft, award="lao-dong-tien-tien").kind == "initiative"


@pytest.mark.parametrize(
    "authors, message",
    [
        ([{"name": " "}], "Give each author's name."),
        ([{"name": "A", "share_percent": Decimal(0)}], "An author's share is more than 0 and at most 100 %."),
        (
            [{"name": "A", "share_percent": Decimal(70)}, {"name": "B", "share_percent": Decimal(40)}],
            "The authors' shares add up to more than 100 %.",
        ),
    ],
)
def test_authors_are_named_and_their_shares_add_up(world, draft, authors, message):
    with pytest.raises(ValidationError) as info:
        initiative(world, draft, authors=authors)
    assert info.value.message_dict == {"authors": [message]}
    assert not NomineeAuthor.objects.exists()


def test_only_an_initiative_has_authors(world, draft):
    with pytest.raises(ValidationError) as info:
        services.nominee_author_add(actor=world.staff_a, nominee=draft.nominee, name="Phạm Minh Đức")
    assert info.value.message_dict == {"authors": ["Only an initiative or research topic has authors."]}


def test_an_initiative_without_authors_is_not_submitted(world, complete_draft):
    nominee = complete_draft.nominee
    nominee.kind = "initiative"
    nominee.save(update_fields=["kind"])
    with pytest.raises(ValidationError) as info:
        services.dossier_submit(actor=world.head_a, dossier=complete_draft)
    assert f"The initiative “{nominee.name}” has no author." in info.value.messages


def test_the_api_takes_and_shows_the_authors_nested(world, draft):
    api = english_client()
    api.force_authenticate(world.staff_a)
    response = api.post(
        f"/api/dossiers/{draft.pk}/nominees/",
        {
            "kind": "initiative",
            "name": TOPIC,
            "award_type": "giay-khen",
            "achievements": "Áp dụng tại 4 trường.",
            "authors": [{"name": "Nguyễn Thị Lan", "share_percent": "60.00"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    nominee_id = response.data["id"]
    assert [a["name"] for a in response.data["authors"]] == ["Nguyễn Thị Lan"]

    added = api.post(
        f"/api/dossiers/{draft.pk}/nominees/{nominee_id}/authors/",
        {"name": "Phạm Minh Đức", "share_percent": "40"},
        format="json",
    )
    assert added.status_code == 201
    assert [(a["name"], a["share_percent"]) for a in added.data["authors"]] == [
        ("Nguyễn Thị Lan", "60.00"),
        ("Phạm Minh Đức", "40.00"),
    ]
    too_much = api.post(
        f"/api/dossiers/{draft.pk}/nominees/{nominee_id}/authors/",
        {"name": "Lê Văn Thành", "share_percent": "1"},
    )
    assert too_much.status_code == 400

    author_id = added.data["authors"][1]["id"]
    assert (
        api.delete(f"/api/dossiers/{draft.pk}/nominees/{nominee_id}/authors/{author_id}/").status_code == 204
    )
    detail = api.get(f"/api/dossiers/{draft.pk}/").data
    assert [a["name"] for a in detail["nominees"][1]["authors"]] == ["Nguyễn Thị Lan"]


def test_an_outsider_cannot_add_an_author(world, draft):
    nominee = initiative(world, draft)
    api = english_client()
    api.force_authenticate(world.head_b)
    response = api.post(f"/api/dossiers/{draft.pk}/nominees/{nominee.pk}/authors/", {"name": "X"})
    assert response.status_code == 404
    assert not nominee.authors.exists()


def test_the_nominee_page_adds_and_removes_authors(client, world, draft):
    nominee = initiative(world, draft)
    client.force_login(world.staff_a)
    page = reverse("nominee-edit", args=[draft.pk, nominee.pk])

    response = client.post(
        reverse("nominee-author-add", args=[draft.pk, nominee.pk]),
        {"author-name": "Phạm Minh Đức", "author-position": "Giáo viên Vật lý", "author-share_percent": "40"},
    )
    assert response.status_code == 302 and response.url == page
    author = nominee.authors.get()
    assert (author.name, author.position, author.share_percent) == ("Phạm Minh Đức", "Giáo viên Vật lý", 40)
    assert "Phạm Minh Đức" in client.get(page).content.decode()

    refused = client.post(
        reverse("nominee-author-add", args=[draft.pk, nominee.pk]),
        {"author-name": "Lê Văn Thành", "author-share_percent": "70"},
    )
    assert refused.status_code == 400
    assert "vượt quá 100 %" in refused.content.decode()

    removed = client.post(reverse("nominee-author-remove", args=[draft.pk, nominee.pk, author.pk]))
    assert removed.status_code == 302 and not nominee.authors.exists()
    assert AuditEvent.objects.filter(action="nominee.author_remove").exists()


def test_the_dossier_page_lists_an_initiatives_authors(client, world, draft):
    initiative(world, draft, authors=[{"name": "Nguyễn Thị Lan", "share_percent": Decimal(60)}])
    client.force_login(world.staff_a)
    html = client.get(reverse("dossier-detail", args=[draft.pk])).content.decode()
    assert "Nguyễn Thị Lan (60 %)" in html
