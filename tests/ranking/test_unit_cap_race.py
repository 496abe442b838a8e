"""Two dossiers of the same unit submitted at the same moment for the unit's last place under the
campaign's cap: on PostgreSQL with real connections, exactly one is accepted and the other is
refused with the count, never both (the campaign's row is locked by the submission)."""

import threading

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from dossiers import services
from dossiers.models import Campaign, Dossier, DossierState
from dossiers.reference_data import seed_reference_data
from tests import factories as f


def _complete(w):
    dossier = f.DossierFactory(unit=w.school_a, campaign=w.campaign, created_by=w.staff_a)
    nominee = f.NomineeFactory(dossier=dossier, sex="female")
    for kind, who in (("to-trinh", None), ("bien-ban", None), ("bao-cao-thanh-tich", nominee)):
        services.attachment_add(
            actor=w.staff_a, dossier=dossier, kind=f.doc_kind(kind), nominee=who, uploaded_file=f.pdf_upload()
        )
    return dossier


@pytest.mark.postgres
def test_two_dossiers_of_a_unit_cannot_both_take_its_last_place(transactional_db, world):
    seed_reference_data(apps)  # the data migration's rows are gone after an earlier flush
    w = world
    Campaign.objects.filter(pk=w.campaign.pk).update(max_nominees_per_unit=1)
    dossiers = [_complete(w), _complete(w)]
    start = threading.Barrier(2)
    accepted, refused, errors = [], [], []

    def submit(dossier):
        try:
            translation.activate("en")
            start.wait()
            services.dossier_submit(actor=w.head_a, dossier=dossier)
            accepted.append(dossier.pk)
        except ValidationError as exc:
            refused.append(exc.messages)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(d,)) for d in dossiers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    assert len(accepted) == 1 and len(refused) == 1
    assert refused[0] == [
        "The campaign accepts at most 1 nominees from each unit: Trường THCS Ngọc Lâm has already "
        "submitted 1, this dossier adds 1."
    ]
    states = sorted(Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).values_list("state", flat=True))
    assert states == [DossierState.DRAFT, DossierState.SUBMITTED]
