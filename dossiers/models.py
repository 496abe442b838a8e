"""Campaigns, award types and their dated rules, dossiers (a state machine), nominees, attachments.

Rules are data (DESIGN.md, "Rules as data"): every threshold, quorum, required document, cash
coefficient and base salary is a row with the dates it is in force and its legal basis. A dossier's
nominees pin the rule version in force when the dossier is submitted; later changes do not move it.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, State, transition

from org import limits
from org.models import Unit, UnitLevel

from .search_text import SEARCH_TEXT_LENGTH, search_text_of


class DatedQuerySet(models.QuerySet):
    def in_force_on(self, day):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Dated(models.Model):
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    legal_basis = models.TextField(_("legal basis"), max_length=limits.SHORT_TEXT)

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True


class NomineeKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")
    HOUSEHOLD = "household", _("Household")
    # Sáng kiến / đề tài khoa học: proposed with its authors (NomineeAuthor).
    INITIATIVE = "initiative", _("Initiative or research topic")


class NomineeSex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class ProcedureKind(models.TextChoices):
    """Hình thức tổ chức khen thưởng."""

    ACHIEVEMENT = "achievement", _("By achievement")
    CAMPAIGN = "campaign", _("By campaign or theme")
    SUDDEN = "sudden", _("Sudden achievement")
    LONG_SERVICE = "long_service", _("Long service")
    SENIORITY = "seniority", _("Seniority")
    FOREIGN = "foreign", _("Foreign")
    # Khen thưởng thành tích kháng chiến (Luật TĐKT 2022; Nghị định 152/2025/NĐ-CP): an award
    # kind of its own, with the certification of participation among its documents.
    RESISTANCE = "resistance", _("Resistance")


# The central level (khen cao: the Prime Minister, the President) decides state honours. It is not
# a unit of the engine: a province proposes them (honours.HonoursProposal) and records the result.
CENTRAL_LEVEL = "central"
DECIDING_LEVELS = [*UnitLevel.choices, (CENTRAL_LEVEL, _("Central level (state honours)"))]


class DocumentScope(models.TextChoices):
    DOSSIER = "dossier", _("Once per dossier")
    NOMINEE = "nominee", _("One per nominee")


class DocumentKind(models.Model):
    """A kind of document a dossier may need: tờ trình, biên bản, báo cáo thành tích, …"""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=255)
    scope = models.CharField(_("scope"), max_length=16, choices=DocumentScope.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("document kind")
        verbose_name_plural = _("document kinds")

    def __str__(self):
        return self.name


class AwardType(models.Model):
    """Hình thức khen thưởng / danh hiệu thi đua. What it requires lives in its dated rules."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        ordering = ["name"]
        verbose_name = _("award type")
        verbose_name_plural = _("award types")

    def __str__(self):
        return self.name

    def rule_on(self, day):
        return self.rules.in_force_on(day).order_by("-valid_from").first()


class ThresholdKind(models.TextChoices):
    UNIT_REVIEW = "unit_review", _("Unit review (no council vote)")
    PERCENT = "percent", _("At least a percentage of all council members")
    MAJORITY = "majority", _("More than half of all council members")


class AwardRule(Dated):
    """One version of the rules of an award type, in force between two dates."""

    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="rules")
    nominee_kinds = models.JSONField(_("nominee kinds"), default=list)
    deciding_level = models.CharField(_("decided at level"), max_length=16, choices=DECIDING_LEVELS)
    threshold_kind = models.CharField(_("vote threshold"), max_length=16, choices=ThresholdKind.choices)
    # Over ALL council members, not only those present (DOMAIN.md, step 5).
    threshold_percent = models.PositiveSmallIntegerField(_("threshold (%)"), null=True, blank=True)
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=3)
    public_notice_days = models.PositiveSmallIntegerField(_("public notice (working days)"), default=0)
    simplified = models.BooleanField(_("simplified procedure"), default=False)
    # Cash as a multiple of the base salary; Decimal, never float.
    cash_individual = models.DecimalField(
        _("cash, individual (× base salary)"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    cash_collective = models.DecimalField(
        _("cash, collective (× base salary)"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    required_documents = models.ManyToManyField(
        DocumentKind, through="RuleDocument", verbose_name=_("required documents"), blank=True
    )

    class Meta:
        ordering = ["award_type", "-valid_from"]
        verbose_name = _("award rule")
        verbose_name_plural = _("award rules")
        constraints = [
            models.CheckConstraint(
                condition=~Q(threshold_kind="percent")
                | Q(threshold_percent__gte=1, threshold_percent__lte=100),
                name="percent_threshold_has_value",
            ),
            models.CheckConstraint(
                condition=Q(quorum_denominator__gte=1)
                & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="quorum_is_a_fraction",
            ),
        ]

    def __str__(self):
        return f"{self.award_type} ({self.valid_from:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        problem = self.change_problem(kwargs.get("update_fields"))
        if problem:
            raise ValidationError(problem)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pinned_until() is not None:
            raise ValidationError(rule_pinned_message(self))
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        problem = self.change_problem()
        if problem:
            raise ValidationError(problem)

    # A rule a nominee pinned is the law that nominee was judged under: it is never edited nor
    # deleted (its required documents neither). A change of the rules is a new row in force from
    # a date (dossiers.services.rule_publish). The only write left on a pinned row is closing it
    # (valid_to), and never before the last day a dossier pinned it.

    def pinned_until(self):
        """The latest rules date of the dossiers whose nominees pinned this row, or None when no
        nominee pinned it."""
        if self.pk is None:
            return None
        pins = Nominee.objects.filter(rule_id=self.pk).aggregate(
            count=models.Count("pk"), last=models.Max("dossier__rules_date")
        )
        return (pins["last"] or self.valid_from) if pins["count"] else None

    def change_problem(self, update_fields=None) -> str:
        """Why this row may not be saved as it is now ("" when it may)."""
        if self.pk is None:
            return ""
        stored = AwardRule.objects.filter(pk=self.pk).values(*RULE_FROZEN_FIELDS, "valid_to").first()
        if stored is None:
            return ""
        frozen = [
            f
            for f in RULE_FROZEN_FIELDS
            if update_fields is None or f in update_fields or f.removesuffix("_id") in update_fields
        ]
        changed = [f for f in frozen if stored[f] != getattr(self, f)]
        closing = stored["valid_to"] != self.valid_to and (
            update_fields is None or "valid_to" in update_fields
        )
        if not changed and not closing:
            return ""
        last = self.pinned_until()
        if last is None:
            return ""
        if changed:
            return rule_pinned_message(self)
        if self.valid_to is not None and self.valid_to < last:
            return _("This rule was applied to a dossier on %(date)s: it cannot end before that day.") % {
                "date": last.strftime("%d/%m/%Y")
            }
        return ""


# Every term of a rule; `valid_to` is apart (a pinned rule may still be closed at a later date).
RULE_FROZEN_FIELDS = (
    "award_type_id",
    "valid_from",
    "legal_basis",
    "nominee_kinds",
    "deciding_level",
    "threshold_kind",
    "threshold_percent",
    "quorum_numerator",
    "quorum_denominator",
    "public_notice_days",
    "simplified",
    "cash_individual",
    "cash_collective",
)


def rule_pinned_message(rule) -> str:
    return _(
        "The rule “%(rule)s” has been applied to dossiers: it is never changed nor deleted. "
        "To change the rules, publish a new rule in force from a later date."
    ) % {"rule": rule}


class RuleDocument(models.Model):
    rule = models.ForeignKey(AwardRule, on_delete=models.CASCADE)
    kind = models.ForeignKey(DocumentKind, on_delete=models.PROTECT)
    # e.g. tax and social-insurance confirmations are required only for enterprises.
    enterprise_only = models.BooleanField(_("only for enterprises"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "kind"], name="uniq_rule_document")]

    def __str__(self):
        return f"{self.rule}: {self.kind}"

    # The documents a pinned rule required are part of it: never changed once applied.
    def save(self, *args, **kwargs):
        rules = [self.rule_id]
        if self.pk is not None:
            rules += list(RuleDocument.objects.filter(pk=self.pk).values_list("rule_id", flat=True))
        self._refuse_if_pinned(rules)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_pinned([self.rule_id])
        return super().delete(*args, **kwargs)

    @staticmethod
    def _refuse_if_pinned(rule_ids):
        pinned = AwardRule.objects.filter(pk__in=[r for r in rule_ids if r is not None]).filter(
            pk__in=Nominee.objects.filter(rule__isnull=False).values("rule_id")
        )
        rule = pinned.select_related("award_type").first()
        if rule is not None:
            raise ValidationError(rule_pinned_message(rule))


class RulebookStamp(models.Model):
    """One row whose token the database changes on every write to the rulebook's tables (the
    award types, document kinds, rules, the documents they require, the conditions on award
    history, the base salary: triggers of migration 0018). What a process keeps of the rulebook
    is good as long as the token it was kept under is the one a statement reads (dossiers.rulebook).
    A token is random, never a counter: one written by a transaction rolled back never comes
    back to name other rules."""

    token = models.CharField(_("token"), max_length=36)

    class Meta:
        verbose_name = _("rulebook stamp")
        verbose_name_plural = _("rulebook stamps")

    def __str__(self):
        return self.token


class BaseSalary(Dated):
    """Lương cơ sở, in đồng."""

    amount = models.PositiveBigIntegerField(_("amount (VND)"))

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")

    def __str__(self):
        return f"{self.amount:,} đ ({self.valid_from:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        problem = self.change_problem(kwargs.get("update_fields"))
        if problem:
            raise ValidationError(problem)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.in_use():
            raise ValidationError(salary_in_use_message(self))
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        problem = self.change_problem()
        if problem:
            raise ValidationError(problem)

    # A base salary that has come into force may have priced an award (a decision takes the one
    # in force on the day it is signed): from then on it is never edited nor deleted. A new
    # amount is a new row from a later date (dossiers.services.base_salary_set), which closes
    # this one the day before; the only write left here is that closing, never before today.

    def in_use(self, today=None) -> bool:
        if self.pk is None:
            return False
        stored = BaseSalary.objects.filter(pk=self.pk).values_list("valid_from", flat=True).first()
        return stored is not None and stored <= (today or timezone.localdate())

    def change_problem(self, update_fields=None) -> str:
        if self.pk is None:
            return ""
        stored = BaseSalary.objects.filter(pk=self.pk).values(*SALARY_FROZEN_FIELDS, "valid_to").first()
        if stored is None:
            return ""
        today = timezone.localdate()
        if stored["valid_from"] > today:
            return ""  # not in force yet: a correction before anyone could apply it
        frozen = [f for f in SALARY_FROZEN_FIELDS if update_fields is None or f in update_fields]
        if any(stored[f] != getattr(self, f) for f in frozen):
            return salary_in_use_message(self)
        closing = (update_fields is None or "valid_to" in update_fields) and stored[
            "valid_to"
        ] != self.valid_to
        if closing and self.valid_to is not None and self.valid_to < today:
            return _("A base salary in force cannot end before today: awards may have been priced with it.")
        return ""


SALARY_FROZEN_FIELDS = ("amount", "valid_from", "legal_basis")


def salary_in_use_message(salary) -> str:
    return _(
        "The base salary %(salary)s has been in force: awards may have been priced with it, so it is "
        "never changed nor deleted. Set a new base salary from a later date."
    ) % {"salary": salary}


class TieRule(models.TextChoices):
    RUNOFF = "runoff", _("A run-off vote among the tied nominees")
    CHAIR = "chair", _("The chair decides, with a recorded reason")


class PriorityCriterion(models.TextChoices):
    WOMAN = "woman", _("A woman (individual nominee)")
    WOMEN_SHARE = "women_share", _("A collective with at least the given share of women")


class RankingPriority(Dated):
    """A priority the rules give when nominees rank equal at the council's close (e.g. women in
    equal conditions: Luật Thi đua, khen thưởng 2022; Nghị định 152/2025/NĐ-CP). Applied in order
    of `order` as tie-breakers after the share of votes, before any run-off."""

    criterion = models.CharField(_("criterion"), max_length=16, choices=PriorityCriterion.choices)
    min_women_percent = models.PositiveSmallIntegerField(
        _("at least this share of women (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("ranking priority")
        verbose_name_plural = _("ranking priorities")
        constraints = [
            models.CheckConstraint(
                condition=~Q(criterion="women_share")
                | Q(min_women_percent__gte=1, min_women_percent__lte=100),
                name="women_share_priority_has_percent",
            ),
        ]

    def __str__(self):
        if self.criterion == PriorityCriterion.WOMEN_SHARE:
            return _("Collective with at least %(percent)d%% women") % {"percent": self.min_women_percent}
        return str(self.get_criterion_display())

    def favours(self, nominee) -> bool:
        """Whether `nominee` has this priority."""
        if self.criterion == PriorityCriterion.WOMAN:
            return nominee.kind == "individual" and nominee.sex == "female"
        percent = nominee.women_percent
        return (
            nominee.kind == "collective"
            and percent is not None
            and percent >= (self.min_women_percent or 101)
        )


class Campaign(models.Model):
    """Phong trào / đợt thi đua, with its awards, quotas and submission deadline."""

    name = models.CharField(_("name"), max_length=255)
    organizer = models.ForeignKey(
        Unit, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="campaigns"
    )
    procedure_kind = models.CharField(
        _("kind"), max_length=16, choices=ProcedureKind.choices, default=ProcedureKind.CAMPAIGN
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    submission_deadline = models.DateField(_("submission deadline"))
    legal_basis = models.TextField(_("legal basis"), max_length=limits.SHORT_TEXT, blank=True)
    award_types = models.ManyToManyField(AwardType, verbose_name=_("award types"), blank=True)
    # A cap on PROPOSALS (seed 002: at most 3 entries per unit), checked at submission across the
    # unit's dossiers in the campaign; the quotas (CampaignQuota) cap AWARDS, at the council's close.
    max_nominees_per_unit = models.PositiveSmallIntegerField(
        _("at most nominees per unit"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    # How a tie at a quota's line is resolved (DOMAIN.md: the council's, never the order of entry):
    # a run-off vote among the tied nominees, or the chair's reasoned decision where the province's
    # rules say so.
    tie_rule = models.CharField(
        _("tie at the quota line"), max_length=16, choices=TieRule.choices, default=TieRule.RUNOFF
    )

    class Meta:
        ordering = ["-period_start", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="campaign_period_ordered"
            ),
        ]

    def __str__(self):
        return self.name


class CampaignQuota(models.Model):
    """At most `limit` nominees in the campaign, of an award type and/or a nominee kind."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="quotas")
    award_type = models.ForeignKey(AwardType, null=True, blank=True, on_delete=models.PROTECT)
    nominee_kind = models.CharField(max_length=16, choices=NomineeKind.choices, blank=True)
    limit = models.PositiveIntegerField(_("at most"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.CheckConstraint(
                condition=Q(award_type__isnull=False) | ~Q(nominee_kind=""), name="quota_has_a_scope"
            ),
        ]

    def __str__(self):
        what = " / ".join(str(x) for x in [self.award_type, self.get_nominee_kind_display()] if x)
        return f"{what}: ≤ {self.limit}"

    # What counts against a quota, in one place: at submission (dossiers.services) and when the
    # council's vote is closed (approvals.meeting_services).

    def matches(self, nominee) -> bool:
        """`nominee`, one of this quota's campaign, counts against it: of its award type when it
        names one, and of its kind of nominee when it names one."""
        return (not self.award_type_id or nominee.award_type_id == self.award_type_id) and (
            not self.nominee_kind or nominee.kind == self.nominee_kind
        )

    def nominee_filter(self) -> Q:
        """The same rule as a filter on nominees, the campaign included."""
        match = Q(dossier__campaign_id=self.campaign_id)
        if self.award_type_id:
            match &= Q(award_type_id=self.award_type_id)
        if self.nominee_kind:
            match &= Q(kind=self.nominee_kind)
        return match


# Working days the standing body has to appraise a complete dossier (Luật TĐKT 2022; ND 152/2025).
APPRAISAL_DAYS = 20


class DossierState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_APPRAISAL = "in_appraisal", _("In appraisal")
    RETURNED = "returned", _("Returned for supplement")
    REJECTED = "rejected", _("Rejected")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    IN_COUNCIL = "in_council", _("Before the council")
    COUNCIL_VOTED = "council_voted", _("Council has voted")
    AWAITING_DECISION = "awaiting_decision", _("Awaiting decision")
    DECIDED = "decided", _("Decided")
    FORWARDED = "forwarded", _("Forwarded to the next level")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = DossierState


class Dossier(ConcurrentTransitionMixin, models.Model):
    """Hồ sơ đề nghị khen thưởng. Its state changes only through the services."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="dossiers")
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="dossiers"
    )
    title = models.CharField(_("title"), max_length=255)
    procedure_kind = models.CharField(
        _("kind of award procedure"), max_length=16, choices=ProcedureKind.choices
    )
    summary = models.TextField(_("summary"), max_length=limits.LONG_TEXT, blank=True)
    state = FSMField(_("state"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Pinned when first submitted: the day whose rules apply, and the unit as it was named then
    # (units merge and split; history keeps the unit as it was).
    rules_date = models.DateField(_("rules in force on"), null=True, blank=True)
    unit_name_at_submission = models.CharField(max_length=255, blank=True)
    submission_count = models.PositiveSmallIntegerField(default=0)
    # The deciding unit whose standing body, council and chair handle this dossier: the unit's
    # own level, or the next level up for a dossier forwarded there (trình cấp trên).
    reviewing_unit = models.ForeignKey(
        Unit, verbose_name=_("handled by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # True for a dossier a lower level's chair forwarded up: its standing body prepares it.
    is_upward = models.BooleanField(_("forwarded from a lower level"), default=False)
    # Set on a dossier whose approved nominees went up to the next level in another dossier.
    forwarded_to = models.ForeignKey(
        "self",
        verbose_name=_("forwarded to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwarded_from",
    )

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        permissions = [
            ("submit_dossier", _("Can submit or withdraw a dossier")),
            ("appraise_dossier", _("Can appraise a dossier assigned to them")),
        ]
        indexes = [
            models.Index(fields=["unit", "state"]),
            # The lists' order, newest first: a page is read off the index, not sorted from every row.
            models.Index(fields=["-updated_at", "-id"], name="dossier_recent_idx"),
            # A deciding level's inboxes: the dossiers sent to it in the states of a step.
            models.Index(fields=["reviewing_unit", "state"], name="dossier_review_state_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def state_as_read(self) -> str:
        """The state the row held when this object read or last saved it: what the state
        machine's guard on saving compares with (ConcurrentTransitionMixin)."""
        return self._ConcurrentTransitionMixin__initial_states["state"]

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    # Transitions: the one list of which step may follow which state. Services ask it
    # (dossiers.services.require_transition) instead of listing states, and call a transition
    # only once their own rules pass; workflows/flows.py is checked against it on import. Each
    # service takes one transition; where the next state is a business rule (public notice,
    # simplified procedure) the service names it, and the transition refuses an undeclared one.
    @transition(field=state, source=[S.DRAFT, S.RETURNED], target=S.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=[S.DRAFT, S.SUBMITTED, S.RETURNED], target=S.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.IN_APPRAISAL)
    def receive(self):
        pass

    @transition(field=state, source=S.IN_APPRAISAL, target=S.RETURNED)
    def return_for_supplement(self):
        pass

    @transition(field=state, source=S.IN_APPRAISAL, target=S.REJECTED)
    def reject(self):
        pass

    @transition(
        field=state,
        source=S.IN_APPRAISAL,
        target=RETURN_VALUE(S.PUBLIC_NOTICE, S.IN_COUNCIL, S.AWAITING_DECISION),
    )
    def accept(self, to):
        """Eligible: a public notice when an award asks for one, else the council, or the chair
        directly under the simplified procedure."""
        return to

    @transition(field=state, source=S.PUBLIC_NOTICE, target=None)
    def lodge_objection(self):
        """Objections are taken only while the nominee list is publicly noticed; no state change."""

    @transition(field=state, source=S.PUBLIC_NOTICE, target=RETURN_VALUE(S.IN_COUNCIL, S.AWAITING_DECISION))
    def close_public_notice(self, to):
        """After the notice: the council, or the chair directly under the simplified procedure."""
        return to

    @transition(field=state, source=S.IN_COUNCIL, target=S.COUNCIL_VOTED)
    def record_council_result(self):
        pass

    @transition(field=state, source=S.COUNCIL_VOTED, target=S.AWAITING_DECISION)
    def give_opinion(self):
        pass

    @transition(field=state, source=S.AWAITING_DECISION, target=S.DECIDED)
    def decide(self):
        pass

    @transition(field=state, source=S.AWAITING_DECISION, target=S.FORWARDED)
    def forward(self):
        pass

    @transition(field=state, source=S.AWAITING_DECISION, target=S.DECLINED)
    def decline(self):
        pass


def _state_graph() -> dict[DossierState, dict[str, frozenset[DossierState]]]:
    """{source: {transition: targets}}, read from the transitions above. A transition that keeps
    the state (target None) targets its own source."""
    graph = {state: {} for state in S}
    for t in Dossier._meta.get_field("state").get_all_transitions(Dossier):
        source = S(t.source)
        if t.target is None:
            targets = [source]
        elif isinstance(t.target, State):
            targets = t.target.allowed_states
        else:
            targets = [t.target]
        graph[source][t.name] = frozenset(S(x) for x in targets)
    return graph


def states_reachable_from(start, graph=None) -> frozenset[DossierState]:
    """`start` and every state the machine (or `graph`, of the same shape) can take it to."""
    graph = STATE_GRAPH if graph is None else graph
    seen, todo = {start}, [start]
    while todo:
        for targets in graph[todo.pop()].values():
            todo += [s for s in targets if s not in seen]
            seen.update(targets)
    return frozenset(seen)


def _in_order(states) -> tuple[DossierState, ...]:
    states = set(states)
    return tuple(s for s in S if s in states)


# The state machine as data, and the sets of states other rules use, derived from it here once.
STATE_GRAPH = _state_graph()
# Where nothing more can happen: the process is over.
FINAL_STATES = _in_order(s for s, moves in STATE_GRAPH.items() if not moves)
# The unit edits a dossier while it may (re)submit it: a draft, or returned for supplement.
EDITABLE_STATES = _in_order(s for s, moves in STATE_GRAPH.items() if "submit" in moves)
# Where a submitted dossier can be. Reviewers see a dossier in these; the others (a draft) are
# the unit's own working copy. (A draft withdrawn unsubmitted is `withdrawn` too, so visible.)
ONCE_SUBMITTED_STATES = _in_order(states_reachable_from(S.SUBMITTED))
PRIVATE_STATES = _in_order(set(S) - set(ONCE_SUBMITTED_STATES))
# Ends where the nominees get nothing (withdrawn, rejected, declined): they no longer take a
# campaign's places. Every other submitted dossier counts against its quotas.
DROPPED_STATES = (S.WITHDRAWN, S.REJECTED, S.DECLINED)
QUOTA_STATES = _in_order(set(ONCE_SUBMITTED_STATES) - set(DROPPED_STATES))


class NomineeOutcome(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    VOTED_IN = "voted_in", _("Voted in")
    VOTED_OUT = "voted_out", _("Voted out")
    AWARDED = "awarded", _("Awarded")
    REVOKED = "revoked", _("Revoked")


class NomineeQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)

    def bulk_create(self, objs, *args, **kwargs):
        # Copies made in bulk (a forwarding) are searched like the rest.
        objs = list(objs)
        for obj in objs:
            obj.search_text = obj.folded_search_text()
        return super().bulk_create(objs, *args, **kwargs)


class Nominee(models.Model):
    """Đối tượng đề nghị: an individual, a collective or a household, proposed for one award.

    Removing a nominee from a draft keeps the row (and its files) as history: nothing is lost.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="nominees")
    kind = models.CharField(_("nominee kind"), max_length=16, choices=NomineeKind.choices)
    name = models.CharField(_("name"), max_length=255)
    position = models.CharField(_("position / title"), max_length=255, blank=True)
    workplace = models.CharField(_("workplace"), max_length=255, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person in the system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    is_enterprise = models.BooleanField(_("is an enterprise or its head"), default=False)
    # Identity (individuals): what the achievement report and the decision print.
    sex = models.CharField(_("sex"), max_length=8, choices=NomineeSex.choices, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    hometown = models.CharField(_("home town"), max_length=255, blank=True)
    # Số CCCD / số định danh cá nhân: shown only to people whose scope covers the dossier.
    id_number = models.CharField(_("ID number"), max_length=12, blank=True)
    qualifications = models.CharField(
        _("professional and political qualifications"), max_length=255, blank=True
    )
    # The unit a collective nominee IS (recusal and scope follow this link, not the name).
    collective_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit (collective)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Collectives: the share of women among their members (a priority in ranking, RankingPriority).
    women_percent = models.PositiveSmallIntegerField(
        _("share of women (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    award_type = models.ForeignKey(AwardType, verbose_name=_("proposed award"), on_delete=models.PROTECT)
    achievements = models.TextField(_("achievements"), max_length=limits.LONG_TEXT)
    under_discipline = models.BooleanField(_("under discipline"), default=False)
    under_investigation = models.BooleanField(_("under investigation or inspection"), default=False)
    pending_complaint = models.BooleanField(_("unresolved complaint"), default=False)
    # Pinned at submission: the rule version in force on the dossier's rules date.
    rule = models.ForeignKey(AwardRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=NomineeOutcome.choices, default=NomineeOutcome.PROPOSED
    )
    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The nominee of the lower-level dossier this one was forwarded from.
    source = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="forwarded_as"
    )
    # The name folded for the award register's search and order (dossiers.search_text):
    # written on every save from the name, never by hand.
    search_text = models.CharField(
        _("search text"), max_length=SEARCH_TEXT_LENGTH, blank=True, editable=False, db_index=True
    )

    objects = NomineeQuerySet.as_manager()

    class Meta:
        ordering = ["dossier", "pk"]
        verbose_name = _("nominee")
        verbose_name_plural = _("nominees")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = self.folded_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def folded_search_text(self) -> str:
        return search_text_of(self.name)

    @property
    def is_barred(self):
        """Luật TĐKT 2022: no award while under discipline, investigation or complaint."""
        return self.under_discipline or self.under_investigation or self.pending_complaint

    @property
    def honorific(self):
        """The form of address (Ông / Bà) from the sex; empty when the sex is not given."""
        return {NomineeSex.MALE: "Ông", NomineeSex.FEMALE: "Bà"}.get(self.sex, "")

    @property
    def id_number_masked(self):
        """The ID number as logs and exports may show it: only its last four digits."""
        if not self.id_number:
            return ""
        return "*" * max(len(self.id_number) - 4, 0) + self.id_number[-4:]


class NomineeAuthor(models.Model):
    """Tác giả of an initiative or research topic proposed as a nominee."""

    nominee = models.ForeignKey(Nominee, on_delete=models.CASCADE, related_name="authors")
    name = models.CharField(_("name"), max_length=255)
    position = models.CharField(_("position / title"), max_length=255, blank=True)
    share_percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person in the system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["nominee", "pk"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name


def attachment_path(instance, filename):
    # The stored name is random: the user's file name is kept as data, never trusted as a path.
    return f"attachments/{instance.dossier_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a dossier. Versions are kept: a replacement is a new row, never an
    overwrite; the current one of a (kind, nominee) slot is the highest version."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="attachments")
    nominee = models.ForeignKey(
        Nominee, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.ForeignKey(DocumentKind, verbose_name=_("document kind"), on_delete=models.PROTECT)
    version = models.PositiveSmallIntegerField(default=1)
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # Detached from the dossier (e.g. a nominee removed): kept as history, no longer counted.
    detached = models.BooleanField(default=False)
    # On a dossier forwarded up: the lower dossier's attachment this one refers to. It names the
    # same stored file and hash (referenced, never copied), so the file is one and the same.
    source = models.ForeignKey(
        "self",
        verbose_name=_("forwarded from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwarded_as",
    )

    class Meta:
        ordering = ["dossier", "kind", "nominee", "-version"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind", "nominee", "version"],
                condition=Q(nominee__isnull=False),
                name="uniq_nominee_attachment_version",
            ),
            models.UniqueConstraint(
                fields=["dossier", "kind", "version"],
                condition=Q(nominee__isnull=True, source__isnull=True),
                name="uniq_dossier_attachment_version",
            ),
            # Each lower dossier's document travels once into an upward dossier.
            models.UniqueConstraint(
                fields=["dossier", "source"],
                condition=Q(source__isnull=False),
                name="uniq_forwarded_attachment",
            ),
        ]

    def __str__(self):
        return f"{self.kind} v{self.version}: {self.original_name}"

    def delete(self, *args, **kwargs):
        """A stored file may be named by several rows (a lower dossier's and the upward dossiers'
        it was forwarded into): a row whose file another row still names is never deleted."""
        if Attachment.objects.filter(file=self.file.name).exclude(pk=self.pk).exists():
            raise ValidationError(_("This file is still referenced by a forwarded dossier: it is kept."))
        return super().delete(*args, **kwargs)


# --- Legal grounds (căn cứ pháp lý) as data ------------------------------------------------------


class LegalGroundKind(models.TextChoices):
    """Kinds of legal document, in the order a document cites them (after the law organising the
    issuing body, which comes first): laws, resolutions, decrees, circulars, then the directives,
    decisions, plans and guidance of the bodies that run the campaigns."""

    LAW = "law", _("Law")
    RESOLUTION = "resolution", _("Resolution")
    DECREE = "decree", _("Decree")
    CIRCULAR = "circular", _("Circular")
    DIRECTIVE = "directive", _("Directive")
    DECISION = "decision", _("Decision")
    PLAN = "plan", _("Plan")
    GUIDANCE = "guidance", _("Guidance")
    LETTER = "letter", _("Official letter")


class LegalGround(models.Model):
    """One legal document a rule or a campaign rests on, cited in full in the documents
    ("Căn cứ Nghị định số 152/2025/NĐ-CP ngày … của Chính phủ quy định …;", dossiers.legal)."""

    kind = models.CharField(_("kind"), max_length=16, choices=LegalGroundKind.choices)
    # Số, ký hiệu (e.g. 152/2025/NĐ-CP); a law is cited by its name and date, not its number.
    number = models.CharField(_("number and symbol"), max_length=64, blank=True)
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    # For a law, its name after "Luật" ("Thi đua, khen thưởng"); for the others the words that
    # follow the issuer in a citation ("quy định chi tiết …", "về …").
    subject = models.CharField(_("subject"), max_length=500)
    # The law organising the issuing body (Luật Tổ chức chính quyền địa phương) is cited first.
    organises_issuer = models.BooleanField(_("organises the issuing body (cited first)"), default=False)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    rules = models.ManyToManyField(
        AwardRule, through="RuleGround", related_name="grounds", verbose_name=_("award rules"), blank=True
    )
    campaigns = models.ManyToManyField(
        Campaign, through="CampaignGround", related_name="grounds", verbose_name=_("campaigns"), blank=True
    )

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-organises_issuer", "issued_on", "pk"]
        verbose_name = _("legal ground")
        verbose_name_plural = _("legal grounds")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number"], condition=~Q(number=""), name="uniq_legal_ground_number"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="legal_ground_dates_ordered",
            ),
        ]

    def __str__(self):
        from .legal import short_title

        return short_title(self)

    @property
    def citation(self) -> str:
        """The full sentence a document prints: "Căn cứ … ;" (dossiers.legal.citation)."""
        from .legal import citation

        return citation(self)


class RuleGround(models.Model):
    """A legal ground of an award rule. Part of the rule: never changed once a nominee pinned it."""

    rule = models.ForeignKey(
        AwardRule, verbose_name=_("award rule"), on_delete=models.CASCADE, related_name="ground_links"
    )
    ground = models.ForeignKey(
        LegalGround, verbose_name=_("legal ground"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["rule", "position", "pk"]
        verbose_name = _("legal ground of a rule")
        verbose_name_plural = _("legal grounds of rules")
        constraints = [models.UniqueConstraint(fields=["rule", "ground"], name="uniq_rule_ground")]

    def __str__(self):
        return f"{self.rule}: {self.ground}"

    def save(self, *args, **kwargs):
        rules = [self.rule_id]
        if self.pk is not None:
            rules += list(RuleGround.objects.filter(pk=self.pk).values_list("rule_id", flat=True))
        RuleDocument._refuse_if_pinned(rules)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        RuleDocument._refuse_if_pinned([self.rule_id])
        return super().delete(*args, **kwargs)


class CampaignGround(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="ground_links"
    )
    ground = models.ForeignKey(
        LegalGround, verbose_name=_("legal ground"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["campaign", "position", "pk"]
        verbose_name = _("legal ground of a campaign")
        verbose_name_plural = _("legal grounds of campaigns")
        constraints = [models.UniqueConstraint(fields=["campaign", "ground"], name="uniq_campaign_ground")]

    def __str__(self):
        return f"{self.campaign}: {self.ground}"


# --- Award history and the eligibility conditions that depend on it ------------------------------


class AwardRecord(models.Model):
    """An award decided outside the engine (by a higher body, or on paper before the system),
    recorded so that history and eligibility are complete (DOMAIN.md, process step 10). Never
    deleted: a correction is audited, a record entered by mistake is voided with its reason."""

    kind = models.CharField(_("awardee kind"), max_length=16, choices=NomineeKind.choices)
    # The unit the awardee belongs to (an individual's workplace, or the collective itself): the
    # scope of who sees and records it.
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=255)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person in the system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    id_number = models.CharField(_("ID number"), max_length=12, blank=True)
    collective_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit (collective)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # When the award is not in the catalogue (e.g. Huân chương Lao động hạng Ba).
    award_title = models.CharField(_("award (when not in the list)"), max_length=255, blank=True)
    # The year the award is for; for a period (e.g. 2021–2025) its last year.
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=64, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64)
    decision_date = models.DateField(_("decision date"))
    issuer = models.CharField(_("issued by"), max_length=255)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True, editable=False)
    void_reason = models.TextField(_("reason for voiding"), max_length=limits.TEXT, blank=True)
    # The name folded for the award register's search and order (dossiers.search_text):
    # written on every save from the name, never by hand.
    search_text = models.CharField(
        _("search text"), max_length=SEARCH_TEXT_LENGTH, blank=True, editable=False, db_index=True
    )

    class Meta:
        ordering = ["-year", "name", "pk"]
        verbose_name = _("recorded award")
        verbose_name_plural = _("recorded awards")
        indexes = [
            models.Index(fields=["id_number"]),
            models.Index(fields=["name", "date_of_birth"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(award_type__isnull=False) | ~Q(award_title=""), name="award_record_names_award"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1945) & Q(year__lte=2100), name="award_record_year_plausible"
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.award_name} ({self.year})"

    def save(self, *args, **kwargs):
        self.search_text = search_text_of(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def award_name(self) -> str:
        return self.award_type.name if self.award_type_id else self.award_title

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class EligibilityCondition(Dated):
    """A condition on the nominee's award history for an award under a rule, with its legal
    basis: e.g. "Chiến sĩ thi đua cấp tỉnh" needs "Chiến sĩ thi đua cơ sở" three times in a row
    (Luật Thi đua, khen thưởng 2022, Điều 22). Checked at submission (dossiers.services)."""

    rule = models.ForeignKey(
        AwardRule,
        verbose_name=_("award rule"),
        on_delete=models.CASCADE,
        related_name="eligibility_conditions",
    )
    required_award_types = models.ManyToManyField(
        AwardType, verbose_name=_("required awards (any of)"), related_name="+"
    )
    # Within the `years` years before the period of the proposal, at least `times` of those years
    # with a required award (`times` equal to `years`: every year, i.e. consecutive years). With
    # `include_period_year` the years may also end with the period's own year (a title of that
    # year already decided, e.g. by the commune before the dossier goes up).
    years = models.PositiveSmallIntegerField(_("over the last years"))
    times = models.PositiveSmallIntegerField(_("in at least this many of those years"))
    include_period_year = models.BooleanField(_("the period's own year may count"), default=False)
    description = models.CharField(_("condition"), max_length=255)

    class Meta:
        ordering = ["rule", "pk"]
        verbose_name = _("eligibility condition")
        verbose_name_plural = _("eligibility conditions")
        constraints = [
            models.CheckConstraint(
                condition=Q(years__gte=1) & Q(times__gte=1) & Q(times__lte=models.F("years")),
                name="eligibility_times_within_years",
            ),
        ]

    def __str__(self):
        return self.description

    def windows(self, period_year: int) -> list[list[int]]:
        """The runs of years that may satisfy the condition: the years before the period, and
        (with `include_period_year`) the run ending with the period's own year."""
        ends = [period_year - 1, period_year] if self.include_period_year else [period_year - 1]
        return [list(range(last - self.years + 1, last + 1)) for last in ends]


class EligibilityOverride(models.Model):
    """The standing body lets a nominee through one eligibility condition, with its reason."""

    nominee = models.ForeignKey(Nominee, on_delete=models.CASCADE, related_name="eligibility_overrides")
    condition = models.ForeignKey(EligibilityCondition, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), max_length=limits.TEXT)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        ordering = ["nominee", "pk"]
        verbose_name = _("eligibility override")
        verbose_name_plural = _("eligibility overrides")
        constraints = [
            models.UniqueConstraint(fields=["nominee", "condition"], name="uniq_eligibility_override"),
        ]

    def __str__(self):
        return f"{self.nominee}: {self.condition}"
