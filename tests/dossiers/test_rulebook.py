"""What a process keeps of the rulebook (dossiers.rulebook): a submission checks its nominees
against the rules in force without reading them again, and every change to the rulebook, however
it is written, is seen by the next submission; a change rolled back is never seen."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers import services
from dossiers.models import (
    AwardRule,
    AwardType,
    BaseSalary,
    DocumentKind,
    DossierState,
    EligibilityCondition,
    RulebookStamp,
    RuleDocument,
)
from tests import factories as f

# What a submission reads of the rulebook when nothing is kept.
RULEBOOK_READS = (
    'FROM "dossiers_awardrule"',
    'FROM "dossiers_ruledocument"',
    'FROM "dossiers_eligibilitycondition"',
)
NEW_REQUIREMENT = "Missing document: “Xác nhận của cơ quan thuế” for Nguyễn Văn Nam."


def complete(world, name="Nguyễn Văn Nam"):
    """A draft of school A with one nominee for a Giấy khen and every document it needs."""
    dossier = f.DossierFactory(unit=world.school_a, campaign=world.campaign, created_by=world.staff_a)
    nominee = f.NomineeFactory(dossier=dossier, name=name)
    for code, nominee_of in (("to-trinh", None), ("bien-ban", None), ("bao-cao-thanh-tich", nominee)):
        services.attachment_add(
            actor=world.staff_a,
            dossier=dossier,
            kind=f.doc_kind(code),
            nominee=nominee_of,
            uploaded_file=f.pdf_upload(),
        )
    return dossier


def submitted(world, dossier) -> list[str]:
    """Submit; the rulebook's tables the submission read (the start of each such query)."""
    with CaptureQueriesContext(connection) as ctx:
        services.dossier_submit(actor=world.head_a, dossier=dossier)
    return [
        q["sql"][:40]
        for q in ctx.captured_queries
        if any(read in q["sql"].split(" WHERE ")[0] for read in RULEBOOK_READS)
        and q["sql"].startswith('SELECT "dossiers_')
    ]


def in_force_rule():
    return AwardRule.objects.filter(award_type__code="giay-khen").order_by("-valid_from").first()


def stamp() -> str | None:
    return RulebookStamp.objects.filter(pk=1).values_list("token", flat=True).first()


def test_a_second_submission_reads_no_rule(complete_draft, world):
    assert len(submitted(world, complete_draft)) == 3  # the rules, their documents, their conditions
    second = complete(world)
    assert submitted(world, second) == []
    second.refresh_from_db()
    assert second.state == DossierState.SUBMITTED
    assert second.nominees.get().rule == in_force_rule()


def stricter(how):
    """The rules of a Giấy khen made stricter: the tax office's confirmation now asked of every
    nominee. Published as the law would have it (a new rule in force from today, through the
    ORM), or written in place by someone at the database."""
    rule = in_force_rule()
    if how == "sql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE dossiers_ruledocument SET enterprise_only = %s WHERE rule_id = %s", [False, rule.pk]
            )
        return
    links = list(RuleDocument.objects.filter(rule=rule))
    rule.pk, rule.id, rule.valid_from = None, None, timezone.localdate()
    rule.save()
    RuleDocument.objects.bulk_create(
        RuleDocument(rule=rule, kind_id=link.kind_id, enterprise_only=False) for link in links
    )


@pytest.mark.parametrize("how", ["orm", "sql"])
def test_a_rule_changed_is_seen_by_the_next_submission(complete_draft, world, how):
    services.dossier_submit(actor=world.head_a, dossier=complete_draft)  # kept
    stricter(how)
    with pytest.raises(ValidationError) as refused:
        services.dossier_submit(actor=world.head_a, dossier=complete(world))
    assert NEW_REQUIREMENT in refused.value.messages


def test_a_change_rolled_back_is_never_seen(complete_draft, world):
    services.dossier_submit(actor=world.head_a, dossier=complete_draft)
    second = complete(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        stricter("orm")
        with pytest.raises(ValidationError):  # the changed rules, read and kept under its stamp
            services.dossier_submit(actor=world.head_a, dossier=second)
        raise RuntimeError  # and the change undone

    services.dossier_submit(actor=world.head_a, dossier=second)

    second.refresh_from_db()
    assert second.state == DossierState.SUBMITTED


def test_without_a_stamp_the_rules_are_read_each_time(complete_draft, world):
    RulebookStamp.objects.all().delete()
    assert len(submitted(world, complete_draft)) == 3
    assert len(submitted(world, complete(world))) == 3


def _condition(rule):
    return EligibilityCondition.objects.create(
        rule=rule, valid_from=rule.valid_from, years=1, times=1, description="Một năm", legal_basis="Điều 22"
    )


def _write(model):
    """One write to a table of the rulebook, as an administrator's change would make it."""
    rule = in_force_rule()
    if model is EligibilityCondition.required_award_types.through:
        condition = _condition(rule)
        before = stamp()
        condition.required_award_types.add(AwardType.objects.get(code="giay-khen"))
        return before
    before = stamp()
    if model is EligibilityCondition:
        _condition(rule)
    elif model is BaseSalary:
        BaseSalary.objects.filter(valid_to__isnull=True).update(legal_basis="Nghị định 73/2024/NĐ-CP")
    elif model is RuleDocument:
        RuleDocument.objects.filter(rule=rule).update(enterprise_only=False)
    else:  # the award types, the document kinds: renamed
        model.objects.filter(pk=model.objects.order_by("pk").values("pk")[:1]).update(name="Đổi tên")
    return before


@pytest.mark.parametrize(
    "model",
    [
        AwardType,
        DocumentKind,
        RuleDocument,
        EligibilityCondition,
        EligibilityCondition.required_award_types.through,
        BaseSalary,
    ],
    ids=lambda m: m._meta.model_name,
)
def test_every_table_of_the_rulebook_changes_its_stamp(world, model):
    before = _write(model)
    assert before and stamp() and stamp() != before


def test_a_rule_saved_changes_the_stamp(world):
    before = stamp()
    rule = in_force_rule()
    AwardRule.objects.filter(pk=rule.pk).update(legal_basis=rule.legal_basis + " ")
    assert stamp() != before
