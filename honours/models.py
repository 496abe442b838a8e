"""A province's proposal of state honours (khen cao) to the central level, and its results.

The central level (Ban Thi đua - Khen thưởng Trung ương / Bộ Nội vụ, then the Prime Minister or
the President) is not a unit of the engine, so what goes up is not a dossier at a next level but
an `HonoursProposal`: the province's one submission, with the chair's tờ trình and the list of
nominees in the Ministry's format (honours.documents). Each `ProposedNominee` names the nominee
of a dossier the province handled (its council voted for a central award); a nominee is proposed
once (a one-to-one link). Months later the central decision comes back and is recorded per
nominee: awarded (with the decision's number, date and issuer, which also records the award in
the award register, dossiers.AwardRecord) or not awarded, with the reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from dossiers.models import AwardRecord, Nominee
from org import limits
from org.models import Unit

DEFAULT_CENTRAL_BODY = "Bộ Nội vụ (Ban Thi đua - Khen thưởng Trung ương)"


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the central level")
    RESULTS_PARTIAL = "results_partial", _("Results partly recorded")
    RESULTS_RECORDED = "results_recorded", _("Results recorded")
    CLOSED = "closed", _("Closed")


class HonoursProposal(models.Model):
    """Tờ trình đề nghị khen thưởng cấp Nhà nước of a province, with its list of nominees."""

    unit = models.ForeignKey(Unit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=limits.TITLE)
    central_body = models.CharField(_("sent to"), max_length=limits.NAME, default=DEFAULT_CENTRAL_BODY)
    summary = models.TextField(_("summary of the submission"), max_length=limits.TEXT, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ProposalState.choices, default=ProposalState.DRAFT, db_index=True
    )
    # The tờ trình's number and date from the province's register of outgoing documents.
    dispatch_number = models.CharField(_("dispatch number"), max_length=64, blank=True)
    dispatch_date = models.DateField(_("dispatch date"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("state honours proposal")
        verbose_name_plural = _("state honours proposals")
        constraints = [
            # The register's numbers run per year (Nghị định 30/2020/NĐ-CP, Điều 15): 01/TTr-UBND
            # comes again every January, so a number is unique within the year of its date.
            models.UniqueConstraint(
                F("unit"),
                ExtractYear("dispatch_date"),
                F("dispatch_number"),
                condition=~Q(dispatch_number=""),
                name="uniq_honours_dispatch_number_year",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | (~Q(dispatch_number="") & Q(dispatch_date__isnull=False)),
                name="honours_submitted_has_dispatch",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.state == ProposalState.DRAFT


class NomineeResult(models.TextChoices):
    PENDING = "pending", _("Awaiting the central decision")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")


class ProposedNominee(models.Model):
    """One nominee of the province's dossiers in a proposal, and the central level's result."""

    proposal = models.ForeignKey(
        HonoursProposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="entries"
    )
    # Each nominee is proposed to the central level once.
    nominee = models.OneToOneField(
        Nominee, verbose_name=_("nominee"), on_delete=models.PROTECT, related_name="honours_entry"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    result = models.CharField(
        _("result"), max_length=16, choices=NomineeResult.choices, default=NomineeResult.PENDING
    )
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_issuer = models.CharField(_("issued by"), max_length=limits.NAME, blank=True)
    reason = models.TextField(_("reason"), max_length=limits.SHORT_TEXT, blank=True)
    award_record = models.OneToOneField(
        AwardRecord,
        verbose_name=_("recorded award"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours_entry",
    )
    result_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("result recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result_recorded_at = models.DateTimeField(_("result recorded"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "pk"]
        verbose_name = _("proposed nominee")
        verbose_name_plural = _("proposed nominees")
        constraints = [
            models.CheckConstraint(
                condition=~Q(result="awarded")
                | (~Q(decision_number="") & Q(decision_date__isnull=False) & Q(award_record__isnull=False)),
                name="honours_awarded_has_decision",
            ),
        ]

    def __str__(self):
        return f"{self.proposal}: {self.nominee}"

    @property
    def unit(self):
        """The audit scope: the province of the proposal."""
        return self.proposal.unit
