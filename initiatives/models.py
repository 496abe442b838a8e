"""Initiatives (sáng kiến): registration, the initiative council's review and vote, recognition
by decision, scope of effect and authors.

Every civil servant registers initiatives each year (seed 003: "100% … đăng ký sáng kiến hằng
năm"); each unit's initiative council (Hội đồng sáng kiến cơ sở) reviews them and the unit's head
recognises the good ones by a decision naming the scope of effect and the authors (Nghị định
13/2012/NĐ-CP, Điều lệ sáng kiến; Thông tư 18/2013/TT-BKHCN). A recognised initiative is the
certification a Chiến sĩ thi đua needs (Luật TĐKT 2022; Nghị định 152/2025/NĐ-CP).

The initiative council is a council of its own, not the emulation council (org.Council, one per
unit). Its secret ballots are sealed to the meeting's key as the emulation council's are
(approvals.sealing): the cast writes the participation and a ciphertext, the close opens and
shuffles them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org import limits
from org.models import Unit


class EffectScope(models.TextChoices):
    UNIT = "unit", _("Within the unit")
    COMMUNE = "commune", _("Commune level")
    PROVINCE = "province", _("Province level")


class InitiativeState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    SUBMITTED = "submitted", _("Submitted for review")
    UNDER_REVIEW = "under_review", _("Under review")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class InitiativeCouncil(models.Model):
    """Hội đồng sáng kiến cơ sở of a unit, set up by its head to review the unit's initiatives."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="initiative_council"
    )
    name = models.CharField(_("name"), max_length=limits.TITLE)
    # Recognition needs MORE than threshold_numerator/threshold_denominator of ALL the council's
    # members (not of those present), and a quorum of two thirds present: the council's rules of
    # procedure under Thông tư 18/2013/TT-BKHCN, Điều 7, as the emulation council's (Điều 84 Luật TĐKT).
    threshold_numerator = models.PositiveSmallIntegerField(_("threshold numerator"), default=1)
    threshold_denominator = models.PositiveSmallIntegerField(_("threshold denominator"), default=2)
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=3)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=limits.TITLE,
        default="Nghị định 13/2012/NĐ-CP; Thông tư 18/2013/TT-BKHCN",
    )

    class Meta:
        verbose_name = _("initiative council")
        verbose_name_plural = _("initiative councils")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold_denominator__gt=0)
                & Q(quorum_denominator__gt=0)
                & Q(threshold_numerator__lt=models.F("threshold_denominator"))
                & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="initiative_council_fractions",
            ),
        ]

    def __str__(self):
        return self.name


class InitiativeCouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class InitiativeCouncilMember(models.Model):
    council = models.ForeignKey(InitiativeCouncil, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=InitiativeCouncilRole.choices)

    class Meta:
        ordering = ["council", "role", "pk"]
        verbose_name = _("initiative council member")
        verbose_name_plural = _("initiative council members")
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="uniq_initiative_council_member"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class Initiative(models.Model):
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=limits.TITLE)
    field = models.CharField(_("field"), max_length=limits.TITLE)
    summary = models.TextField(_("summary"), max_length=limits.LONG_TEXT)
    improvement = models.TextField(_("what it improves"), max_length=limits.TEXT)
    applied_on = models.DateField(_("applied since"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=InitiativeState.choices, default=InitiativeState.REGISTERED
    )
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "title", "pk"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        indexes = [models.Index(fields=["unit", "year", "state"])]

    def __str__(self):
        return self.title


class InitiativeAuthor(models.Model):
    """Tác giả: a person in the system, or a name with date of birth and position."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="authors")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person in the system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=limits.NAME)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    position = models.CharField(_("position / title"), max_length=limits.PLACE, blank=True)
    share_percent = models.PositiveSmallIntegerField(_("share (%)"), default=100)

    class Meta:
        ordering = ["initiative", "pk"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        constraints = [
            models.CheckConstraint(
                condition=Q(share_percent__gte=1) & Q(share_percent__lte=100), name="initiative_author_share"
            ),
        ]

    def __str__(self):
        return self.name


def initiative_file_path(instance, filename):
    return f"initiatives/{instance.initiative_id}/{uuid.uuid4().hex}/{filename}"


class InitiativeFile(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=initiative_file_path, max_length=500)
    original_name = models.CharField(max_length=limits.NAME)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["initiative", "pk"]
        verbose_name = _("initiative file")
        verbose_name_plural = _("initiative files")

    def __str__(self):
        return self.original_name


class InitiativeMeetingState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    VOTING = "voting", _("Voting open")
    CLOSED = "closed", _("Closed")


class InitiativeMeeting(models.Model):
    """The council's review meeting: who was present, the initiatives on its agenda, the vote."""

    council = models.ForeignKey(InitiativeCouncil, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=limits.PLACE)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=InitiativeMeetingState.choices,
        default=InitiativeMeetingState.SCHEDULED,
    )
    present = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    # Fixed when voting opens: the council's size and its fractions, so the close counts by them.
    members_total = models.PositiveSmallIntegerField(null=True, blank=True)
    ballot_key_id = models.UUIDField(null=True, blank=True, editable=False)
    ballot_public_key = models.BinaryField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("initiative council meeting")
        verbose_name_plural = _("initiative council meetings")

    def __str__(self):
        return f"{self.council} — {self.held_on:%d/%m/%Y}"


class InitiativeBallotChoice(models.TextChoices):
    """What a member may choose on an initiative (no abstention: recognition counts the votes for
    against ALL members, so a blank is a vote not for it)."""

    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")


class InitiativeResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class InitiativeAgendaItem(models.Model):
    meeting = models.ForeignKey(InitiativeMeeting, on_delete=models.CASCADE, related_name="agenda")
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="agenda_items")
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)
    result = models.CharField(_("result"), max_length=8, choices=InitiativeResult.choices, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "initiative"], name="uniq_initiative_agenda_item"),
        ]

    def __str__(self):
        return str(self.initiative)


class InitiativeRecusal(models.Model):
    """A member who is an author of the initiative does not vote on it (recorded at opening)."""

    item = models.ForeignKey(InitiativeAgendaItem, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="uniq_initiative_recusal"),
        ]

    def __str__(self):
        return f"{self.member} — {self.item}"


class InitiativeParticipation(models.Model):
    """That a member voted on an item: never what they chose."""

    item = models.ForeignKey(InitiativeAgendaItem, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="uniq_initiative_participation"),
        ]

    def __str__(self):
        return f"{self.member} — {self.item}"


class InitiativeSealedBallot(models.Model):
    """A choice encrypted to the meeting's key at the cast; opened and deleted at the close."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(InitiativeAgendaItem, on_delete=models.CASCADE, related_name="sealed_ballots")
    sealed = models.BinaryField()

    def __str__(self):
        return str(self.pk)


class InitiativeBallot(models.Model):
    """An opened choice, written at the close in shuffled order with a random key: no member."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(InitiativeAgendaItem, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(max_length=8)

    def __str__(self):
        return str(self.pk)


class InitiativeRecognition(models.Model):
    """The unit head's decision recognising an initiative (quyết định công nhận sáng kiến)."""

    initiative = models.OneToOneField(Initiative, on_delete=models.PROTECT, related_name="recognition")
    decision_number = models.CharField(_("decision number"), max_length=64)
    decision_date = models.DateField(_("decision date"))
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signer"), on_delete=models.PROTECT, related_name="+"
    )
    signer_position = models.CharField(_("signer's position"), max_length=limits.PLACE, blank=True)
    effect_scope = models.CharField(_("scope of effect"), max_length=16, choices=EffectScope.choices)
    meeting = models.ForeignKey(InitiativeMeeting, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decision_date", "-pk"]
        verbose_name = _("initiative recognition")
        verbose_name_plural = _("initiative recognitions")

    def __str__(self):
        return self.decision_number

    @property
    def unit(self):
        return self.initiative.unit
