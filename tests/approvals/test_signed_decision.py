"""A signed decision never changes (Luật TĐKT 2022: an award is withdrawn by a new decision citing
the old one): the model refuses every way of writing to one, not only a form or a service."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from approvals.models import Award, Decision, DecisionDossier
from org.errors import TransitionNotAllowed
from tests import factories as f

REFUSED = "01/QĐ-UBND is signed: it is never changed"


@pytest.fixture
def decision(world):
    dossier = f.DossierFactory(
        unit=world.school_a, campaign=world.campaign, created_by=world.staff_a, reviewing_unit=world.commune
    )
    decision = f.decision(world.commune, world.chair)
    decision.dossiers.add(dossier)
    Award.objects.create(decision=decision, nominee=f.NomineeFactory(dossier=dossier), amount=710_000)
    return decision


@pytest.fixture
def signed(decision):
    Decision.objects.filter(pk=decision.pk).mark_signed(at=timezone.now())
    return Decision.objects.get(pk=decision.pk)


def title_of(decision):
    return Decision.objects.values_list("title", flat=True).get(pk=decision.pk)


def test_an_unsigned_decision_can_still_be_corrected(decision, world):
    decision.title = "Về việc tặng Giấy khen (sửa)"
    decision.save()
    Decision.objects.filter(pk=decision.pk).update(reason="Đính chính")
    award = decision.awards.get()
    award.amount = 720_000
    award.save()
    decision.dossiers.add(
        f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    )

    assert title_of(decision) == "Về việc tặng Giấy khen (sửa)"
    assert Award.objects.get(pk=award.pk).amount == 720_000
    assert decision.dossiers.count() == 2


def test_saving_a_signed_decision_with_a_change_is_refused(signed):
    signed.title = "Về việc tặng Giấy khen (sửa)"

    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        signed.save()
    assert title_of(signed) == "Về việc tặng Giấy khen"


def test_saving_only_the_changed_field_is_refused_too(signed):
    signed.signed_on = dt.date(2026, 3, 1)

    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        signed.save(update_fields=["signed_on"])


def test_saving_a_signed_decision_unchanged_is_harmless(signed):
    signed.save()

    assert title_of(signed) == "Về việc tặng Giấy khen"


def test_a_signed_decision_cannot_be_unsigned(signed):
    signed.signed_at = None

    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        signed.save()


def test_a_queryset_update_does_not_bypass_it(signed, decision):
    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        Decision.objects.filter(pk=signed.pk).update(title="Về việc tặng Giấy khen (sửa)")
    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        Decision.objects.all().update(reason="Đính chính")  # one signed among them is enough
    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        signed.issuer.decisions.update(title="x")  # a related manager is the same queryset

    assert title_of(signed) == "Về việc tặng Giấy khen"


def test_bulk_update_is_refused(signed):
    signed.title = "Về việc tặng Giấy khen (sửa)"

    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        Decision.objects.bulk_update([signed], ["title"])
    assert title_of(signed) == "Về việc tặng Giấy khen"


def test_delete_is_refused(signed):
    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        signed.delete()
    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        Decision.objects.filter(pk=signed.pk).delete()

    assert Decision.objects.filter(pk=signed.pk).exists()


def test_the_dossiers_it_covers_cannot_change(signed, world):
    other = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    covered = signed.dossiers.get()

    for change in (
        lambda: signed.dossiers.add(other),
        lambda: other.decisions.add(signed),
        lambda: signed.dossiers.remove(covered),
        lambda: signed.dossiers.clear(),
        lambda: signed.dossiers.set([other]),
        lambda: covered.decisions.clear(),
        lambda: DecisionDossier.objects.filter(decision=signed).delete(),
        lambda: DecisionDossier.objects.filter(decision=signed).update(dossier=other),
    ):
        with pytest.raises(TransitionNotAllowed, match=REFUSED), transaction.atomic():
            change()
    assert list(signed.dossiers.all()) == [covered]


def test_its_awards_cannot_change_but_can_be_marked_revoked(signed, world):
    award = signed.awards.get()
    award.amount = 1

    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        award.save()
    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        Award.objects.filter(pk=award.pk).update(amount=1)
    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        Award.objects.bulk_update([award], ["amount"])
    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        award.delete()
    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        Award.objects.create(
            decision=signed, nominee=f.NomineeFactory(dossier=signed.dossiers.get()), amount=710_000
        )
    assert Award.objects.get(pk=award.pk).amount == 710_000

    # The revocation decision marks the award: that is not a change of the signed text.
    Award.objects.filter(pk=award.pk).update(revoked_reason="Giấy tờ giả")
    assert Award.objects.get(pk=award.pk).revoked_reason == "Giấy tờ giả"


def test_an_award_cannot_be_moved_onto_a_signed_decision(signed, world):
    draft = f.decision(world.commune, world.chair, number=2, title="Dự thảo")
    award = Award.objects.create(
        decision=draft, nominee=f.NomineeFactory(dossier=signed.dossiers.get()), amount=710_000
    )
    award.decision = signed

    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        award.save()
    with pytest.raises(TransitionNotAllowed, match=REFUSED):
        Award.objects.filter(pk=award.pk).update(decision=signed)


def test_marking_signed_keeps_the_first_signature_time(decision):
    first = timezone.now()
    Decision.objects.filter(pk=decision.pk).mark_signed(at=first)
    Decision.objects.filter(pk=decision.pk).mark_signed(at=first + dt.timedelta(hours=1))

    assert Decision.objects.get(pk=decision.pk).signed_at == first
