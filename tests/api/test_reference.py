"""Reference data a client needs to build a dossier: campaigns, award types, document kinds."""

import datetime as dt

import pytest

from tests import factories as f


@pytest.mark.calendar
def test_open_campaigns_are_listed_with_their_awards(api, world):
    world.campaign.award_types.add(f.award("giay-khen"), f.award("lao-dong-tien-tien"))
    f.CampaignFactory(
        name="Đợt đã kết thúc",
        organizer=world.commune,
        period_start=world.today - dt.timedelta(days=400),
        period_end=world.today - dt.timedelta(days=1),
        submission_deadline=world.today - dt.timedelta(days=10),
    )

    response = api.as_(world.staff_a).get("/api/campaigns/")

    assert response.status_code == 200
    assert [c["name"] for c in response.data] == ["Sáng kiến, sáng tạo Thủ đô"]
    (campaign,) = response.data
    assert campaign["organizer"]["name"] == "Phường Long Biên"
    assert campaign["submission_deadline"] == world.campaign.submission_deadline.isoformat()
    assert {a["code"] for a in campaign["award_types"]} == {"giay-khen", "lao-dong-tien-tien"}


def test_award_types_carry_the_rule_in_force_and_its_documents(api, world):
    response = api.as_(world.staff_a).get("/api/award-types/")

    assert response.status_code == 200
    by_code = {a["code"]: a for a in response.data}
    # DOMAIN.md's ten, and the nine decided at the central level (honours.reference_data).
    assert len(by_code) == 19
    rule = by_code["giay-khen"]["rule_in_force"]
    assert rule["valid_from"] == "2025-07-01"
    assert rule["nominee_kinds"] == ["individual", "collective", "household", "initiative"]
    assert rule["deciding_level"] == "commune"
    documents = {(d["kind"]["code"], d["enterprise_only"]) for d in rule["required_documents"]}
    assert documents == {
        ("to-trinh", False),
        ("bien-ban", False),
        ("bao-cao-thanh-tich", False),
        ("xac-nhan-thue", True),
        ("xac-nhan-bhxh", True),
    }


def test_award_types_cost_a_fixed_number_of_queries(api, world, django_assert_num_queries):
    client = api.as_(world.staff_a)
    # award types, rules in force, their document links, the kinds; whether the user inspects
    # (an inspector's reads are audited: inspection.reads.describe_read)
    with django_assert_num_queries(5):
        client.get("/api/award-types/")


def test_document_kinds_are_listed_with_their_scope(api, world):
    response = api.as_(world.staff_a).get("/api/document-kinds/")

    assert response.status_code == 200
    scopes = {k["code"]: k["scope"] for k in response.data}
    assert scopes["to-trinh"] == "dossier"
    assert scopes["bao-cao-thanh-tich"] == "nominee"
    # And the long-service and resistance documents (honours.reference_data).
    assert len(scopes) == 9
