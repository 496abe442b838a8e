"""The award fund (quỹ thi đua, khen thưởng): each issuing body's yearly budget, the cash each decision charges to it, payments, returns on revocation and the statement.

Decree 152/2025/NĐ-CP (on the fund): every award decision's cash is drawn from the fund of the body
that issues it. The fund keeps an append-only ledger: a line is never changed or deleted, a mistake
is put right by a correction line with its reason, so the balance at any moment is the sum of the
lines written up to then.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from approvals.models import Award, Decision
from org import limits
from org.errors import TransitionNotAllowed
from org.models import Unit


class Fund(models.Model):
    """One issuing body's fund for one calendar year."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("issuing body"), on_delete=models.PROTECT, related_name="funds"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # False while nobody has set the year's allocation: the fund was opened by a decision's charge
    # (an issue never fails for want of a budget) and no overdraw warning is given until it is set.
    budget_set = models.BooleanField(_("budget set"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__path"]
        verbose_name = _("award fund")
        verbose_name_plural = _("award funds")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="uniq_fund_unit_year")]

    def __str__(self):
        return f"{self.unit.name} — {self.year}"


class EntryKind(models.TextChoices):
    BUDGET = "budget", _("Budget for the year")
    ADDITION = "addition", _("Addition")
    CHARGE = "charge", _("Charge of a decision")
    RETURN = "return", _("Return on revocation")
    PAYMENT = "payment", _("Payment to an awardee")
    CORRECTION = "correction", _("Correction")


# The kinds that move the balance up, and down; a payment moves cash already charged (paid versus
# charged-but-unpaid) and not the balance; a correction goes the way it says.
INCOMING = (EntryKind.BUDGET, EntryKind.ADDITION, EntryKind.RETURN)
OUTGOING = (EntryKind.CHARGE,)


def refuse_change():
    raise TransitionNotAllowed(
        gettext("A line of the fund's ledger is never changed or deleted: record a correction instead.")
    )


class FundEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        refuse_change()

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        refuse_change()

    def delete(self):
        refuse_change()

    delete.alters_data = True
    delete.queryset_only = True

    def totals(self) -> dict:
        """The sums by kind (integer đồng, 0 when none) and the balance they make, in one query."""
        sums = self.aggregate(
            **{kind: Sum("amount", filter=Q(kind=kind), default=0) for kind in EntryKind.values},
            correction_in=Sum("amount", filter=Q(kind=EntryKind.CORRECTION, increases=True), default=0),
            correction_out=Sum("amount", filter=Q(kind=EntryKind.CORRECTION, increases=False), default=0),
        )
        return with_balance(sums)


def with_balance(sums: dict) -> dict:
    """Balance = budget + additions + returns − charges (± corrections); of the cash charged and not
    returned, what has been paid and what is still owed to awardees."""
    sums = dict(sums)
    sums["balance"] = (
        sums["budget"]
        + sums["addition"]
        + sums["return"]
        - sums["charge"]
        + sums["correction_in"]
        - sums["correction_out"]
    )
    sums["paid"] = sums["payment"]
    sums["unpaid"] = max(sums["charge"] - sums["return"] - sums["payment"], 0)
    return sums


class FundEntry(models.Model):
    """One line of a fund's ledger. The amount is a positive integer of đồng; the kind (and, for a
    correction, `increases`) gives its sign. Append-only: refused on change and delete, in save(),
    delete() and the queryset alike (raw SQL and `_base_manager` are the deliberate ways round)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    increases = models.BooleanField(_("adds to the fund"), default=False)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    award = models.ForeignKey(
        Award,
        verbose_name=_("award"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_entries",
    )
    note = models.TextField(_("note"), max_length=limits.SHORT_TEXT, blank=True)
    # A payment: when, by which voucher (số chứng từ) and to whom.
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    voucher = models.CharField(_("voucher number"), max_length=64, blank=True)
    paid_to = models.CharField(_("paid to"), max_length=limits.NAME, blank=True)
    # A charge that overdrew the fund: the shortfall the issuer was warned of and went on with.
    overdraw_acknowledged = models.BooleanField(_("overdraw acknowledged"), default=False)
    shortfall = models.PositiveBigIntegerField(_("shortfall (VND)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = FundEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("fund entry")
        verbose_name_plural = _("fund entries")
        constraints = [
            # A decision is charged once and its revocation returns once, whatever the retries.
            models.UniqueConstraint(
                fields=["decision", "kind"],
                condition=Q(kind__in=["charge", "return"]),
                name="uniq_fund_entry_decision_kind",
            ),
            models.UniqueConstraint(fields=["fund"], condition=Q(kind="budget"), name="uniq_fund_budget"),
            models.CheckConstraint(
                condition=~Q(kind__in=["charge", "return"]) | Q(decision__isnull=False),
                name="fund_entry_charge_has_decision",
            ),
            models.CheckConstraint(
                condition=~Q(kind="payment") | Q(award__isnull=False, paid_on__isnull=False),
                name="fund_entry_payment_has_award",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} — {self.fund}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            refuse_change()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_change()

    @property
    def signed_amount(self) -> int:
        """The amount as it moves the balance (0 for a payment)."""
        if self.kind in INCOMING or (self.kind == EntryKind.CORRECTION and self.increases):
            return self.amount
        if self.kind in OUTGOING or self.kind == EntryKind.CORRECTION:
            return -self.amount
        return 0


class PaymentManager(models.Manager.from_queryset(FundEntryQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=EntryKind.PAYMENT)


class Payment(FundEntry):
    """The payments of the ledger (cash handed to an awardee, with its date and voucher): a view of
    FundEntry, never a table of its own."""

    objects = PaymentManager()

    class Meta:
        proxy = True
        ordering = ["paid_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
