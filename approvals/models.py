"""What the standing body, the council's hand-off, the vice-chair and the chair produce:
return requests, public notices and objections, opinions, decisions and the awards they grant.

Nothing here is ever edited away: a second return is a new row, a revocation is a new decision
citing the old one, an award is marked revoked, never deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier, Nominee
from org import limits
from org.errors import TransitionNotAllowed
from org.models import Unit


class ReturnRequest(models.Model):
    """Trả lại, yêu cầu bổ sung: the itemised list of what the unit must supply."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="return_requests")
    items = models.JSONField(_("what is missing"), default=list)
    # The law allows one return; a further one must say why (recorded, audited).
    further_return_reason = models.TextField(
        _("reason for a further return"), max_length=limits.SHORT_TEXT, blank=True
    )
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
    reasons = models.TextField(_("reasons"), max_length=limits.TEXT)
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
    text = models.TextField(_("objection"), max_length=limits.TEXT)
    # A logged-in user in scope, or a citizen on the public notice page without an account, who
    # leaves a name and a phone number or e-mail address instead (approvals.notice_services).
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lodger_name = models.CharField(_("name of the person objecting"), max_length=limits.NAME, blank=True)
    lodger_contact = models.CharField(_("phone or e-mail"), max_length=limits.NAME, blank=True)
    # The receipt a citizen notes to look the objection up later (public objections only).
    receipt_code = models.CharField(_("receipt code"), max_length=16, blank=True)
    lodged_at = models.DateTimeField(auto_now_add=True)
    resolution = models.TextField(_("resolution"), max_length=limits.TEXT, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["lodged_at"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(
                condition=Q(lodged_by__isnull=False) | (~Q(lodger_name="") & ~Q(lodger_contact="")),
                name="objection_has_a_lodger",
            ),
            models.UniqueConstraint(
                fields=["receipt_code"], condition=~Q(receipt_code=""), name="uniq_objection_receipt"
            ),
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def is_public(self) -> bool:
        return self.lodged_by_id is None

    @property
    def lodger(self) -> str:
        """Who lodged it, as the standing body reads it."""
        if self.lodged_by_id is None:
            return f"{self.lodger_name} ({self.lodger_contact})"
        return self.lodged_by.get_full_name()


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
    text = models.TextField(_("opinion"), max_length=limits.TEXT)
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
    # A contest's results (seed 002): prizes by rank, rendered through settings.DOCUMENTS_DECISION_PROVIDERS.
    CONTEST = "contest", _("Contest results")


# --- a signed decision never changes -------------------------------------------------------------
# Luật TĐKT 2022: an award is withdrawn by a new decision citing the old one, never by editing it.
# Once its document carries the signer's digital signature (`Decision.signed_at`), a decision
# refuses every change to what it says: its own fields, the dossiers it covers, its awards'
# nominees and amounts. Saving, deleting, a queryset's update() and delete(), bulk_update() and
# bulk_create() are all refused, so neither the admin, a shell nor a future service can do it.
# Marking an award revoked (by the revocation decision) stays possible: that does not change the
# decision's text. Raw SQL and `_base_manager` are the deliberate ways round it.


def refuse_signed(decision_id):
    symbol = Decision._base_manager.select_related("issuer").get(pk=decision_id).symbol
    raise TransitionNotAllowed(
        gettext("Decision %(symbol)s is signed: it is never changed. Revoke it by a new decision.")
        % {"symbol": symbol}
    )


def _first_signed(decision_ids):
    """The first of these decisions that is signed, or None (one query)."""
    ids = {i for i in decision_ids if i is not None}
    if not ids:
        return None
    return (
        Decision._base_manager.filter(pk__in=ids, signed_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def _refuse_if_any_signed(decision_ids, issuing=None):
    """Refuse if any of these decisions is signed. `issuing`: the decision the caller is issuing
    in this very transaction (created here, its document not yet made, so not signed: documents
    sign in a later transaction), which needs no query to know it; any other id is checked."""
    if issuing is not None:
        if issuing.signed_at is not None or issuing._state.adding:
            raise ValueError("`issuing` is a decision just created and not signed")
        decision_ids = [i for i in decision_ids if i != issuing.pk]
    signed = _first_signed(decision_ids)
    if signed is not None:
        refuse_signed(signed)


def refuse_rows_of_signed(objs, issuing=None):
    """What a bulk_create of a decision's rows (its dossiers, its awards) checks first, for a
    caller that writes them without the manager (org.statements)."""
    _refuse_if_any_signed((o.decision_id for o in objs), issuing)


class DecisionQuerySet(models.QuerySet):
    def signed(self):
        return self.filter(signed_at__isnull=False)

    def _refuse_if_signed(self):
        signed = self.signed().order_by("pk").values_list("pk", flat=True).first()
        if signed is not None:
            refuse_signed(signed)

    def update(self, **kwargs):
        # Every field of a decision is part of what it says: no update touches a signed one.
        self._refuse_if_signed()
        return super().update(**kwargs)

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        _refuse_if_any_signed(o.pk for o in objs)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def delete(self):
        self._refuse_if_signed()
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True

    def mark_signed(self, *, at):
        """Record that these decisions' documents are now signed (the first signature counts);
        from then on they refuse every change."""
        return self.filter(signed_at__isnull=True).update(signed_at=at)


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
    dossiers = models.ManyToManyField(
        Dossier, through="DecisionDossier", related_name="decisions", blank=True
    )
    revokes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revoked_by"
    )
    reason = models.TextField(_("reason"), max_length=limits.TEXT, blank=True)
    # A revocation: the day by which the cash and the certificate are to be returned.
    return_by = models.DateField(_("return the cash and certificate by"), null=True, blank=True)
    base_salary = models.PositiveBigIntegerField(_("base salary applied (VND)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # When its document (the decision, or the revocation) was first digitally signed; from then on
    # the decision never changes. Set by documents' signing, never by hand.
    signed_at = models.DateTimeField(_("digitally signed"), null=True, blank=True, editable=False)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "number"], name="uniq_decision_number"),
        ]

    def __str__(self):
        return f"{self.symbol} — {self.title}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self._refuse_change(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk is not None:
            _refuse_if_any_signed([self.pk])
        return super().delete(*args, **kwargs)

    @property
    def symbol(self):
        return f"{self.number:02d}/QĐ-{self.issuer.code}"

    def _refuse_change(self, update_fields=None):
        names = [f.attname for f in self._meta.concrete_fields if not f.primary_key]
        if update_fields is not None:
            written = set(update_fields)
            names = [n for n in names if n in written or n.removesuffix("_id") in written]
        before = Decision._base_manager.filter(pk=self.pk).values("signed_at", *names).first()
        if before is None or before["signed_at"] is None:
            return
        if any(before[n] != getattr(self, n) for n in names):
            refuse_signed(self.pk)


class DecisionDossierQuerySet(models.QuerySet):
    """The dossiers a decision covers: `decision.dossiers.add/remove/set/clear` write through
    here, so a signed decision refuses them."""

    def bulk_create(self, objs, *args, issuing=None, **kwargs):
        objs = list(objs)
        refuse_rows_of_signed(objs, issuing)
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs):
        _refuse_if_any_signed(self.values_list("decision_id", flat=True))
        if "decision" in kwargs or "decision_id" in kwargs:
            _refuse_if_any_signed([getattr(kwargs.get("decision"), "pk", kwargs.get("decision_id"))])
        return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        _refuse_if_any_signed(self.values_list("decision_id", flat=True))
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


class DecisionDossier(models.Model):
    """A dossier a decision covers (the table of `Decision.dossiers`)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE)

    objects = DecisionDossierQuerySet.as_manager()

    class Meta:
        db_table = "approvals_decision_dossiers"
        unique_together = [("decision", "dossier")]

    def __str__(self):
        return f"{self.decision_id} — {self.dossier_id}"

    def save(self, *args, **kwargs):
        decision_ids = [self.decision_id]
        if self.pk is not None:
            before = DecisionDossier._base_manager.filter(pk=self.pk).values_list("decision_id", flat=True)
            decision_ids += list(before)
        _refuse_if_any_signed(decision_ids)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_any_signed([self.decision_id])
        return super().delete(*args, **kwargs)


# An award's text on its decision; `revoked_by` and `revoked_reason` stay writable.
AWARD_FROZEN_FIELDS = ("decision_id", "nominee_id", "amount", "cash_covered_by_id")


def _frozen_award_fields(names) -> bool:
    return any(n in AWARD_FROZEN_FIELDS or f"{n}_id" in AWARD_FROZEN_FIELDS for n in names)


class AwardQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if _frozen_award_fields(kwargs):
            _refuse_if_any_signed(self.values_list("decision_id", flat=True))
            if "decision" in kwargs or "decision_id" in kwargs:
                _refuse_if_any_signed([getattr(kwargs.get("decision"), "pk", kwargs.get("decision_id"))])
        return super().update(**kwargs)

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        if _frozen_award_fields(fields):
            before = self.model._base_manager.filter(pk__in=[o.pk for o in objs])
            _refuse_if_any_signed(
                [*before.values_list("decision_id", flat=True), *(o.decision_id for o in objs)]
            )
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, *args, issuing=None, **kwargs):
        objs = list(objs)
        refuse_rows_of_signed(objs, issuing)
        return super().bulk_create(objs, *args, **kwargs)

    def delete(self):
        _refuse_if_any_signed(self.values_list("decision_id", flat=True))
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


class Award(models.Model):
    """One awardee of a decision, with the cash it carries (integer đồng)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="awards")
    nominee = models.OneToOneField(Nominee, on_delete=models.PROTECT, related_name="award")
    amount = models.PositiveBigIntegerField(_("cash (VND)"))
    revoked_by = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="revoked_awards"
    )
    revoked_reason = models.TextField(max_length=limits.TEXT, blank=True)
    # Several titles for the same period pay only the highest (ND 152/2025): this award's cash is
    # then 0 (or what the highest exceeds an earlier, lower one by), and this names the award whose
    # cash covers it.
    cash_covered_by = models.ForeignKey(
        "self",
        verbose_name=_("cash paid with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "nominee__kind", "nominee__name"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self):
        return f"{self.nominee} ({self.decision.symbol})"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.pk is None:
            _refuse_if_any_signed([self.decision_id])
        elif update_fields is None or _frozen_award_fields(update_fields):
            before = Award._base_manager.filter(pk=self.pk).values(*AWARD_FROZEN_FIELDS).first()
            if before is None:
                _refuse_if_any_signed([self.decision_id])
            elif any(before[n] != getattr(self, n) for n in AWARD_FROZEN_FIELDS):
                _refuse_if_any_signed([before["decision_id"], self.decision_id])
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk is not None:
            _refuse_if_any_signed(
                Award._base_manager.filter(pk=self.pk).values_list("decision_id", flat=True)
            )
        return super().delete(*args, **kwargs)


class DecisionDraft(models.Model):
    """A decision the standing body prepares for its chair (the chuyên viên's draft): the dossiers
    it covers and its subject. The chair opens it, looks at the preview and signs, or changes the
    choice. A draft has no number and awards nothing; once signed it names the decision it became.
    """

    issuer = models.ForeignKey(
        Unit, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="decision_drafts"
    )
    title = models.CharField(_("subject"), max_length=255)
    dossiers = models.ManyToManyField(Dossier, related_name="decision_drafts")
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(_("prepared"), auto_now_add=True)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="drafts"
    )

    class Meta:
        ordering = ["-prepared_at", "-pk"]
        verbose_name = _("decision draft")
        verbose_name_plural = _("decision drafts")

    def __str__(self):
        return self.title


from .assignments import *  # noqa: E402,F403
from .meetings import *  # noqa: E402,F403
