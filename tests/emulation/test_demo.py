"""The demo's emulation plan: Long Biên's plan with its deadline, the schools' registrations of the
titles their dossiers propose (the drafts stay submittable), one override shown on its dossier,
the units not registered; built once."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier
from emulation.checks import nominee_registrations, registration_problems
from emulation.models import EmulationPlan, Registration, RegistrationOverride
from emulation.selectors import plan_overview
from org.models import RoleAssignment


@pytest.mark.calendar
def test_the_demo_plan_registers_what_the_dossiers_propose(db, client):
    call_command("seed_demo")
    plan = EmulationPlan.objects.get()
    registrations = Registration.objects.count()
    # 31 March of the year the demo is seeded in (a fortnight ahead when seeded later in the year).
    today = timezone.localdate()
    expected = max(
        dt.date(today.year, 3, 31), min(today + dt.timedelta(days=14), dt.date(today.year, 12, 31))
    )
    assert plan.unit.name == "Phường Long Biên" and plan.registration_deadline == expected

    # Every draft with a title that requires registration can still be submitted.
    for dossier in Dossier.objects.filter(state="draft"):
        assert registration_problems(dossier, list(dossier.nominees.current())) == []
    ngoclam = Dossier.objects.get(title="Đề nghị công nhận Chiến sĩ thi đua cơ sở và khen thưởng sáng kiến")
    statuses = nominee_registrations(ngoclam, list(ngoclam.nominees.current()))
    assert statuses and not any(s.missing for s in statuses.values())

    override = RegistrationOverride.objects.select_related("nominee__dossier").get(
        nominee__award_type__code="chien-si-thi-dua-co-so"
    )
    assert override.nominee.dossier.title == "Đề nghị Chiến sĩ thi đua cơ sở"
    head = RoleAssignment.objects.get(role="unit_head", unit=override.nominee.dossier.unit).user
    client.force_login(head)
    page = client.get(reverse("dossier-detail", args=[override.nominee.dossier_id])).content.decode()
    assert 'data-testid="nominee-registration-override"' in page
    assert "Trạm Y tế" in " ".join(u.name for u in plan_overview(plan=plan)["not_registered"])

    call_command("seed_demo")
    assert EmulationPlan.objects.count() == 1 and Registration.objects.count() == registrations
