"""What the standing body, the council's hand-off, the vice-chair and the chair produce:
return requests, public notices and objections, opinions, decisions and the awards they grant.

Nothing here is ever edited away: a second return is a new row, a revocation is a new decision
citing the old one, an award is marked revoked, never deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier, Nominee
from org.models import Unit


class ReturnRequest(models.Model):
    """Trả lại, yêu cầu bổ sung: the itemised list of what the unit must supply."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="return_requests")
    items = models.JSONField(_("what is missing"), default=list)
    # The law allows one return; a further one must say why (recorded, audited).
    further_return_reason = models.TextField(_("reason for a further return"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "created_at"]
        verbose_name = _("return for supplement")
        verbose_name_plural = _("returns for supplement")

    def __str__(self):
        return f"{self.dossier}: {len(self.items)}"


class Rejection(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rejection")
    reasons = models.TextField(_("reasons"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.dossier}: {self.reasons[:60]}"


class PublicNotice(models.Model):
    """Công khai: the nominee list is public from `starts_on` to `ends_on` (working days)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="public_notice")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.dossier}: {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"


class Objection(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="objections")
    nominee = models.ForeignKey(
        Nominee, null=True, blank=True, on_delete=models.PROTECT, related_name="objections"
    )
    text = models.TextField(_("objection"))
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lodged_at = models.DateTimeField(auto_now_add=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["lodged_at"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return self.text[:60]


class CouncilResult(models.Model):
    """The council's result for one nominee, as handed to the workflow (the vote itself, with
    its ballots and minutes, is the council's own business)."""

    nominee = models.OneToOneField(Nominee, on_delete=models.PROTECT, related_name="council_result")
    votes_for = models.PositiveSmallIntegerField()
    votes_against = models.PositiveSmallIntegerField(default=0)
    abstentions = models.PositiveSmallIntegerField(default=0)
    members_total = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(members_total__gte=1) & Q(votes_for__lte=models.F("members_total")),
                name="votes_within_council",
            ),
        ]

    def __str__(self):
        return f"{self.nominee}: {self.votes_for}/{self.members_total}"


class Opinion(models.Model):
    """The vice-chair in charge's written opinion before the chair signs."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="opinions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("opinion"))
    agrees = models.BooleanField(_("agrees with the proposal"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.author}: {self.text[:60]}"


class SignerCapacity(models.TextChoices):
    """How the signer signs (Decree 30/2020): in their own right or on behalf of someone."""

    OWN = "", _("In own right")
    TM = "TM", _("TM. (on behalf of the collective body)")
    KT = "KT", _("KT. (deputy, on behalf of the head)")
    TL = "TL", _("TL. (by order)")
    TUQ = "TUQ", _("TUQ. (by authorisation)")


class DecisionKind(models.TextChoices):
    AWARD = "award", _("Award decision")
    REVOCATION = "revocation", _("Revocation")
    DECLINE = "decline", _("Decline")


class Decision(models.Model):
    """Quyết định: numbered NN/QĐ-<issuer> from 01 every calendar year, per issuing body."""

    issuer = models.ForeignKey(
        Unit, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="decisions"
    )
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=DecisionKind.choices, default=DecisionKind.AWARD)
    title = models.CharField(_("subject"), max_length=255)
    signed_on = models.DateField(_("signed on"))
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_capacity = models.CharField(
        _("signs as"), max_length=4, choices=SignerCapacity.choices, blank=True
    )
    dossiers = models.ManyToManyField(Dossier, related_name="decisions", blank=True)
    revokes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revoked_by"
    )
    reason = models.TextField(_("reason"), blank=True)
    base_salary = models.PositiveBigIntegerField(_("base salary applied (VND)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "number"], name="uniq_decision_number"),
        ]

    def __str__(self):
        return f"{self.symbol} — {self.title}"

    @property
    def symbol(self):
        return f"{self.number:02d}/QĐ-{self.issuer.code}"


class Award(models.Model):
    """One awardee of a decision, with the cash it carries (integer đồng)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="awards")
    nominee = models.OneToOneField(Nominee, on_delete=models.PROTECT, related_name="award")
    amount = models.PositiveBigIntegerField(_("cash (VND)"))
    revoked_by = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="revoked_awards"
    )
    revoked_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["decision", "nominee__kind", "nominee__name"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self):
        return f"{self.nominee} ({self.decision.symbol})"


from .meetings import *  # noqa: E402,F403
