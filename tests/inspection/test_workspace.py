"""The inspector's workspace in the web UI: search, a dossier's timeline with diffs, the chain's
status; read-only; scoped to the inspector's unit subtree, 404 for anything else."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import services as approvals
from audit.models import AuditEvent
from audit.testing import audit_guard_lifted
from dossiers import services as dossier_services
from dossiers.models import Dossier
from tests import factories as f

pytestmark = pytest.mark.django_db

EVENTS = reverse("inspection-events")
CHAIN = reverse("inspection-chain")


def seqs(response) -> list[int]:
    return [entry["event"].seq for entry in response.context["entries"]]


def actions(response) -> list[str]:
    return [entry["event"].action for entry in response.context["entries"]]


@pytest.mark.parametrize("who", ["head_a", "staff_a", "officer", "chair", "member"])
def test_the_workspace_does_not_exist_for_anyone_but_inspectors(client, world, submitted, who):
    client.force_login(getattr(world, who))

    for url in (
        EVENTS,
        CHAIN,
        reverse("inspection-dossier", args=[submitted.pk]),
        reverse("inspection-evidence", args=[submitted.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_superuser_is_not_an_inspector(client, submitted):
    client.force_login(f.UserFactory(is_superuser=True, is_staff=True))

    assert client.get(EVENTS).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(EVENTS)

    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_workspace_is_read_only(as_inspector, submitted, method):
    for url in (
        EVENTS,
        CHAIN,
        reverse("inspection-dossier", args=[submitted.pk]),
        reverse("inspection-evidence", args=[submitted.pk]),
    ):
        assert getattr(as_inspector, method)(url).status_code == 405, url


def test_the_search_lists_the_events_of_the_subtree_newest_first(as_inspector, world, submitted):
    response = as_inspector.get(EVENTS)

    assert response.status_code == 200
    assert seqs(response) == sorted(seqs(response), reverse=True)
    assert "dossier.submit" in actions(response)
    assert all(e["event"].scope.startswith(world.commune.path) for e in response.context["entries"])
    page = response.content.decode()
    assert "Hồ sơ" in page or "dossier.submit" in page


def test_an_inspector_of_one_school_sees_nothing_of_another(client, world, submitted, inspector_b):
    client.force_login(inspector_b)

    response = client.get(EVENTS)

    assert response.status_code == 200
    assert all(e["event"].scope.startswith(world.school_b.path) for e in response.context["entries"])
    assert "dossier.submit" not in actions(response)
    assert client.get(EVENTS, {"dossier": submitted.pk}).status_code == 404
    assert client.get(reverse("inspection-dossier", args=[submitted.pk])).status_code == 404
    assert client.get(reverse("inspection-evidence", args=[submitted.pk])).status_code == 404


def test_search_by_dossier_gives_its_events_and_those_of_its_parts(as_inspector, world, submitted):
    other = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    f.NomineeFactory(dossier=other)
    dossier_services.dossier_update(actor=world.staff_a, dossier=other, title="Hồ sơ khác")

    response = as_inspector.get(EVENTS, {"dossier": submitted.pk})

    assert response.status_code == 200
    assert sorted(actions(response)) == ["attachment.add"] * 3 + ["dossier.submit"]
    assert response.context["dossier"] == submitted


def test_a_draft_dossier_is_not_the_inspectors_to_open(as_inspector, world, draft):
    assert as_inspector.get(EVENTS, {"dossier": draft.pk}).status_code == 404
    assert as_inspector.get(reverse("inspection-dossier", args=[draft.pk])).status_code == 404
    assert as_inspector.get(EVENTS, {"dossier": 999999}).status_code == 404


@pytest.mark.calendar
def test_search_by_unit_actor_action_and_date(as_inspector, world, submitted):
    by_unit_b = as_inspector.get(EVENTS, {"unit": world.school_b.pk})
    by_actor = as_inspector.get(EVENTS, {"actor": "head_a"})
    by_prefix = as_inspector.get(EVENTS, {"action": "attachment."})
    by_action = as_inspector.get(EVENTS, {"action": "dossier.submit"})
    # The submission's day in Vietnam, read from its event: on PostgreSQL the chain takes its time
    # from the database's clock (audit.services), which the suite's pinned clock does not move.
    day = timezone.localdate(AuditEvent.objects.get(action="dossier.submit").ts)
    day_before = as_inspector.get(EVENTS, {"until": (day - dt.timedelta(days=1)).isoformat()})
    that_day = as_inspector.get(EVENTS, {"since": day.isoformat(), "until": day.isoformat()})

    assert "dossier.submit" not in actions(by_unit_b)
    assert set(actions(by_actor)) == {"dossier.submit"}
    assert set(actions(by_prefix)) == {"attachment.add"}
    assert actions(by_action) == ["dossier.submit"]
    assert actions(day_before) == []
    assert "dossier.submit" in actions(that_day)


def test_a_unit_outside_the_scope_is_ignored_as_a_filter(client, world, submitted, inspector_b):
    client.force_login(inspector_b)

    response = client.get(EVENTS, {"unit": world.school_a.pk})

    assert response.status_code == 200
    assert all(e["event"].scope.startswith(world.school_b.path) for e in response.context["entries"])


def test_older_events_are_one_page_further(as_inspector, world, submitted, monkeypatch):
    monkeypatch.setattr("inspection.selectors.PAGE_SIZE", 2)

    first = as_inspector.get(EVENTS, {"actor": "staff_a"})
    second = as_inspector.get(EVENTS, {"actor": "staff_a", "before": first.context["next_before"]})

    assert len(seqs(first)) == 2 and len(seqs(second)) == 1
    assert max(seqs(second)) < min(seqs(first))
    assert second.context["next_before"] is None
    assert f"before={first.context['next_before']}" in first.content.decode()


def returned_and_resubmitted(world, dossier):
    """The standing body returns the dossier; the unit fixes the title and a nominee; resubmits."""
    approvals.appraisal_receive(actor=world.officer, dossier=dossier)
    approvals.appraisal_return(actor=world.officer, dossier=dossier, items=["Sửa tên hồ sơ"])
    dossier = Dossier.objects.get(pk=dossier.pk)
    old_title = dossier.title
    dossier_services.dossier_update(actor=world.staff_a, dossier=dossier, title="Tên đã sửa")
    dossier_services.nominee_update(actor=world.staff_a, nominee=dossier.nominees.get(), position="Tổ trưởng")
    dossier_services.dossier_submit(actor=world.head_a, dossier=dossier)
    return old_title


def test_the_timeline_shows_what_the_unit_changed_between_return_and_resubmission(
    as_inspector, world, submitted
):
    old_title = returned_and_resubmitted(world, submitted)

    response = as_inspector.get(reverse("inspection-dossier", args=[submitted.pk]))

    assert response.status_code == 200
    entries = response.context["entries"]
    assert [e["event"].action for e in entries][-6:] == [
        "dossier.submit",
        "dossier.receive",
        "dossier.return",
        "dossier.update",
        "nominee.update",
        "dossier.submit",
    ]
    edit = next(e for e in entries if e["event"].action == "dossier.update")
    assert [(c["field"], c["before"], c["after"]) for c in edit["changes"]] == [
        ("title", old_title, "Tên đã sửa")
    ]
    assert edit["changes"][0]["label"] == "tiêu đề"  # the field's own label, in the page's language
    nominee_edit = next(e for e in entries if e["event"].action == "nominee.update")
    assert nominee_edit["changes"][0]["before"] == "Giáo viên"
    page = response.content.decode()
    assert f'<del class="text-danger">{old_title}</del>' in page
    assert '<ins class="text-success">Tên đã sửa</ins>' in page


def test_the_timeline_hides_inspectors_reads_unless_asked(as_inspector, submitted):
    as_inspector.get(reverse("dossier-detail", args=[submitted.pk]))

    hidden = as_inspector.get(reverse("inspection-dossier", args=[submitted.pk]))
    shown = as_inspector.get(reverse("inspection-dossier", args=[submitted.pk]), {"reads": "1"})

    assert "inspector.read" not in [e["event"].action for e in hidden.context["entries"]]
    assert hidden.context["read_count"] >= 1
    assert "inspector.read" in [e["event"].action for e in shown.context["entries"]]


def test_the_chain_status_says_the_chain_verifies_with_its_head_and_count(as_inspector, submitted):
    response = as_inspector.get(CHAIN)

    status = response.context["status"]
    assert response.status_code == 200
    assert status["ok"] and status["count"] >= 4
    assert status["checkpoint"] is None
    page = response.content.decode()
    assert status["head"] in page
    assert 'data-testid="verified-reused"' not in page  # checked afresh on every request here


def test_the_chain_status_says_how_long_a_check_is_shown_again(as_inspector, submitted, settings):
    """A full check reads every event, so its result is reused for a while: the page says so,
    and that later events wait for the next check."""
    settings.AUDIT_STATUS_CACHE_SECONDS = 60
    as_inspector.cookies["django_language"] = "vi"

    page = as_inspector.get(CHAIN).content.decode()

    assert "kết quả được dùng lại trong 60 giây; các sự kiện ghi sau đó được kiểm tra ở lần kế tiếp" in page


def test_the_chain_status_shows_the_latest_checkpoint_the_chain_extends(
    as_inspector, submitted, checkpoint_key
):
    from django.core.management import call_command

    call_command("audit_checkpoint", stdout=open("/dev/null", "w"))  # noqa: SIM115

    status = as_inspector.get(CHAIN).context["status"]

    assert status["checkpoint"]["extended"] and status["checkpoint"]["key_is_ours"]


def test_the_chain_status_shows_where_the_chain_is_broken(as_inspector, submitted):
    with audit_guard_lifted():
        AuditEvent.objects.filter(seq=2).update(actor="someone else")

    response = as_inspector.get(CHAIN)

    assert response.context["status"]["ok"] is False
    assert response.context["status"]["fault_seq"] == 2
    assert "alert-danger" in response.content.decode()


def test_the_navigation_offers_the_workspace_to_inspectors_only(client, world):
    client.force_login(world.inspector)
    assert EVENTS in client.get(reverse("home")).content.decode()

    client.force_login(world.head_a)
    assert EVENTS not in client.get(reverse("home")).content.decode()
