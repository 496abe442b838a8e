"""A contest (hội thi, seed 002): units pre-select their best entries, a jury appraises them, the
finalists present, the jury scores, and prizes go by rank within the contest's prize structure.

Its path is not an award dossier's: it has rounds with hard deadlines, criteria with weights, a
jury whose members score each entry (a member with a conflict of interest does not score that
entry), and a results decision whose annex lists the prizes and their cash. The contest's state
moves only through contests.services; its rounds are tasks of contests.flows.ContestFlow.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from viewflow.workflow.models import Process

from org import limits
from org.models import Unit


class ContestState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Receiving entries")
    APPRAISAL = "appraisal", _("Appraisal round")
    FINAL = "final", _("Final round")
    RESULTS = "results", _("Results ranked")
    DECIDED = "decided", _("Results decided")
    CANCELLED = "cancelled", _("Cancelled")


C = ContestState


class RoundKind(models.TextChoices):
    APPRAISAL = "appraisal", _("Appraisal round (vòng thẩm định)")
    FINAL = "final", _("Final round (vòng chung kết)")


class Aggregation(models.TextChoices):
    """How the jurors' scores of one entry become its score."""

    MEAN = "mean", _("Mean of the jurors' scores")
    TRIMMED_MEAN = "trimmed_mean", _("Mean after dropping the highest and the lowest score")


class ContestTieRule(models.TextChoices):
    """How two entries with the same score are ordered: declared before the contest opens."""

    APPRAISAL_SCORE = (
        "appraisal_score",
        _("Higher appraisal-round score, then the criteria in order of weight"),
    )
    CRITERIA = "criteria", _("The criteria in order of weight")
    SHARED = "shared", _("Tied entries share the rank and the prize")


class EntrantKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")


class Contest(ConcurrentTransitionMixin, models.Model):
    """Hội thi: organised by a unit (e.g. Sở Nội vụ), with its plan, rules and deadlines."""

    organizer = models.ForeignKey(
        Unit, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="contests"
    )
    name = models.CharField(_("name"), max_length=limits.TITLE)
    year = models.PositiveSmallIntegerField(_("year"))
    plan_reference = models.CharField(_("plan (number and symbol)"), max_length=64, blank=True)
    legal_basis = models.TextField(_("legal basis"), max_length=limits.SHORT_TEXT, blank=True)
    description = models.TextField(_("description"), max_length=limits.LONG_TEXT, blank=True)
    entry_cap_per_unit = models.PositiveSmallIntegerField(
        _("entries per unit, at most"), default=3, validators=[MinValueValidator(1)]
    )
    entries_deadline = models.DateField(_("entries by"))
    appraisal_deadline = models.DateField(_("appraisal round finished by"))
    final_deadline = models.DateField(_("final round finished by"))
    finalists = models.PositiveSmallIntegerField(
        _("entries going to the final"), validators=[MinValueValidator(1)]
    )
    aggregation = models.CharField(
        _("score of an entry"), max_length=16, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    tie_rule = models.CharField(
        _("ties"), max_length=16, choices=ContestTieRule.choices, default=ContestTieRule.APPRAISAL_SCORE
    )
    state = FSMField(_("state"), default=C.DRAFT, choices=C.choices, protected=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    cancel_reason = models.TextField(_("reason for cancelling"), max_length=limits.SHORT_TEXT, blank=True)
    # The results decision (a decision of the organiser, numbered and signed like an award's).
    decision = models.OneToOneField(
        "approvals.Decision",
        verbose_name=_("results decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contest",
    )

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        constraints = [
            models.CheckConstraint(
                condition=Q(appraisal_deadline__gte=models.F("entries_deadline"))
                & Q(final_deadline__gte=models.F("appraisal_deadline")),
                name="contest_deadlines_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    # --- transitions: called only from contests.services -------------------------------------
    @transition(field=state, source=C.DRAFT, target=C.OPEN)
    def open_entries(self):
        pass

    @transition(field=state, source=C.OPEN, target=C.APPRAISAL)
    def start_appraisal(self):
        pass

    @transition(field=state, source=C.APPRAISAL, target=C.FINAL)
    def start_final(self):
        pass

    @transition(field=state, source=C.FINAL, target=C.RESULTS)
    def rank(self):
        pass

    @transition(field=state, source=C.RESULTS, target=C.DECIDED)
    def decide(self):
        pass

    @transition(field=state, source=[C.DRAFT, C.OPEN, C.APPRAISAL, C.FINAL, C.RESULTS], target=C.CANCELLED)
    def cancel(self):
        pass


class ContestProcess(Process):
    """The contest's rounds as a viewflow process (contests.flows.ContestFlow): one per contest."""

    contest = models.OneToOneField(
        Contest, verbose_name=_("contest"), on_delete=models.PROTECT, related_name="process"
    )

    class Meta:
        verbose_name = _("contest process")
        verbose_name_plural = _("contest processes")
        default_permissions = ("add", "change", "delete", "view", "manage")

    def __str__(self):
        return f"{self.contest} (#{self.pk})"


class Criterion(models.Model):
    """A criterion a round scores, with its weight (the weights of a round add up to 100)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="criteria")
    round = models.CharField(_("round"), max_length=16, choices=RoundKind.choices)
    name = models.CharField(_("criterion"), max_length=limits.TITLE)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), default=10, validators=[MinValueValidator(1)]
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contest", "round", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["contest", "round", "name"], name="uniq_contest_criterion"),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight} %)"


class Prize(models.Model):
    """One level of the prize structure for one kind of entrant: e.g. two second prizes for
    collectives, 7,000,000 đ each. Levels are given in `position` order (first prize first)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="prizes")
    entrant_kind = models.CharField(_("entrant"), max_length=16, choices=EntrantKind.choices)
    name = models.CharField(_("prize"), max_length=64)
    position = models.PositiveSmallIntegerField(_("order"), validators=[MinValueValidator(1)])
    count = models.PositiveSmallIntegerField(_("how many"), validators=[MinValueValidator(1)])
    amount = models.PositiveBigIntegerField(_("cash each (VND)"))

    class Meta:
        ordering = ["contest", "entrant_kind", "position"]
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "entrant_kind", "position"], name="uniq_prize_position"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_entrant_kind_display()})"


class JurorRole(models.TextChoices):
    CHAIR = "chair", _("Chair of the jury")
    MEMBER = "member", _("Juror")


class Juror(models.Model):
    """Thành viên Ban Giám khảo."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="juries")
    role = models.CharField(_("role"), max_length=16, choices=JurorRole.choices, default=JurorRole.MEMBER)

    class Meta:
        ordering = ["contest", "role", "user__full_name"]
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="uniq_juror"),
            models.UniqueConstraint(fields=["contest"], condition=Q(role="chair"), name="one_jury_chair"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class EntryState(models.TextChoices):
    DRAFT = "draft", _("Being prepared by the unit")
    SUBMITTED = "submitted", _("Pre-selected and sent")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    INELIGIBLE = "ineligible", _("Not admitted")
    FINALIST = "finalist", _("In the final")
    ELIMINATED = "eliminated", _("Not in the final")


class Entry(models.Model):
    """Sản phẩm dự thi: sent by a unit after its own pre-selection (vòng sơ tuyển)."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="entries")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="contest_entries"
    )
    title = models.CharField(_("title"), max_length=limits.TITLE)
    summary = models.TextField(_("summary"), max_length=limits.LONG_TEXT, blank=True)
    entrant_kind = models.CharField(_("entrant"), max_length=16, choices=EntrantKind.choices)
    # A collective entry's name (e.g. "Phòng Cải cách hành chính"); an individual's is its author's.
    entrant_name = models.CharField(_("entrant's name"), max_length=limits.TITLE)
    contact = models.CharField(_("contact (address, telephone)"), max_length=limits.TITLE, blank=True)
    # The unit's own pre-selection (vòng sơ tuyển): how it chose the entry, e.g. its minutes.
    preselection_note = models.TextField(_("unit's pre-selection"), max_length=limits.TEXT, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=EntryState.choices, default=EntryState.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("sent"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ineligible_reason = models.TextField(_("why not admitted"), max_length=limits.TEXT, blank=True)
    # Scores, filled when a round closes (Decimal, two places; never floats).
    appraisal_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    final_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["contest", "unit__name", "title"]
        verbose_name = _("contest entry")
        verbose_name_plural = _("contest entries")

    def __str__(self):
        return self.title


class EntryAuthor(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="authors")
    name = models.CharField(_("name"), max_length=limits.TITLE)
    position = models.CharField(_("position / title"), max_length=limits.TITLE, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person in the system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["entry", "order", "pk"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name


def entry_file_path(instance, filename):
    return f"contests/{instance.entry.contest_id}/{instance.entry_id}/{filename}"


class EntryFile(models.Model):
    """The entry's description (bản mô tả), with its Word file, video or pictures."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=entry_file_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["entry", "uploaded_at"]
        verbose_name = _("entry file")
        verbose_name_plural = _("entry files")

    def __str__(self):
        return self.original_name


class ConflictOfInterest(models.Model):
    """A juror who may not score an entry (their own unit's, a relative's, their own work)."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="conflicts")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("reason"), max_length=limits.TITLE)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["juror", "entry"], name="uniq_conflict")]

    def __str__(self):
        return f"{self.juror} ↔ {self.entry}"


class Round(models.Model):
    """One round of the contest, opened and closed by the organiser; scores stay hidden from the
    other jurors until it closes."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(_("round"), max_length=16, choices=RoundKind.choices)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Closed with jurors' scores missing: the organiser's reason, and the jurors left out; their
    # scores count for no entry of the round, so every entry is judged by the same jurors.
    close_reason = models.TextField(
        _("reason for closing with scores missing"), max_length=limits.TEXT, blank=True
    )
    excluded_jurors = models.ManyToManyField(
        Juror, verbose_name=_("jurors whose scores do not count"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["contest", "kind"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [models.UniqueConstraint(fields=["contest", "kind"], name="uniq_contest_round")]

    def __str__(self):
        return f"{self.contest} — {self.get_kind_display()}"

    @property
    def is_closed(self):
        return self.closed_at is not None


class Score(models.Model):
    """A juror's score of one entry on one criterion in one round. Changed in place until the
    round closes (each change is in the audit chain); never after."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="scores")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="scores")
    juror = models.ForeignKey(Juror, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["round", "entry", "juror", "criterion"], name="uniq_score"),
        ]

    def __str__(self):
        return f"{self.juror} / {self.entry} / {self.criterion}: {self.value}"


class Placing(models.Model):
    """An entry's place in the final ranking and the prize it receives (none past the prizes)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="placings")
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="placing")
    rank = models.PositiveSmallIntegerField(_("rank"))
    prize = models.ForeignKey(Prize, null=True, blank=True, on_delete=models.PROTECT, related_name="placings")
    amount = models.PositiveBigIntegerField(_("cash (VND)"), default=0)
    tie_note = models.CharField(_("how a tie was broken"), max_length=limits.TITLE, blank=True)
    # Still tied after the declared tie rule where the tie decides a prize: no prize until the
    # organiser resolves it (contests.ranking); the organiser's order and reason, once given.
    tie_unresolved = models.BooleanField(_("tie to resolve"), default=False)
    tie_seat = models.PositiveSmallIntegerField(_("order set by the organiser"), null=True, blank=True)
    tie_reason = models.CharField(_("why the organiser set that order"), max_length=limits.TITLE, blank=True)

    class Meta:
        ordering = ["contest", "entry__entrant_kind", "rank"]
        verbose_name = _("placing")
        verbose_name_plural = _("placings")

    def __str__(self):
        return f"{self.rank}. {self.entry}"


def certificates_path(instance, filename):
    # Random names: a stored PDF is never replaced, each version is a new file.
    return f"contests/certificates/{uuid.uuid4().hex}.pdf"


class ContestCertificates(models.Model):
    """The prize winners' Giấy khen of a contest, one PDF with a page per prize (seed 002, III.5),
    made once the results decision is issued. A version is never overwritten: data that changed
    makes version n+1. Each certificate's number is the register entry pointing at its placing
    (org.registers, series of certificates), kept on every later version."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="certificate_sets")
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=certificates_path, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    source_sha256 = models.CharField(_("SHA-256 of the source"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    count = models.PositiveSmallIntegerField(_("certificates"))
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(_("made"), auto_now_add=True)

    class Meta:
        ordering = ["contest", "-version"]
        verbose_name = _("contest certificates")
        verbose_name_plural = _("contest certificates")
        constraints = [
            models.UniqueConstraint(fields=["contest", "version"], name="contest_certificates_version_unique")
        ]

    def __str__(self):
        return f"{self.contest} — v{self.version}"
