"""The emulation year's plan and registrations: the titles and initiatives units and people register for at the start of the year, and the check that a proposal was registered.

Each year the standing body of a deciding unit issues the year's emulation plan (kế hoạch thi đua)
with a deadline by which every unit under it registers (đăng ký thi đua) the collective titles it
aims for and its people's individual titles. At the end of the year a proposal for a title that
requires registration is refused without one, unless the standing body recorded an override with
its reason (Luật Thi đua, khen thưởng 2022, Điều 12: a title is granted on a registration to compete;
the titles that require it are rules as data, RegistrationRequirement).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.models import AwardType, Dated, Nominee, NomineeKind
from org import limits
from org.models import Unit


class PlanState(models.TextChoices):
    OPEN = "open", _("Open for registration")
    CLOSED = "closed", _("Closed")


class EmulationPlan(models.Model):
    """Kế hoạch tổ chức phong trào thi đua of one deciding unit for one year."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="emulation_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=limits.TITLE)
    number = models.CharField(_("number and symbol"), max_length=64, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    registration_deadline = models.DateField(_("registration deadline"))
    legal_basis = models.TextField(_("legal basis"), max_length=limits.SHORT_TEXT, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=PlanState.choices, default=PlanState.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__path"]
        verbose_name = _("emulation plan")
        verbose_name_plural = _("emulation plans")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="uniq_emulation_plan_unit_year")]

    def __str__(self):
        return self.title


class RegistrationRequirement(Dated):
    """An award type that may be proposed only to those who registered for it in the year's plan,
    from `valid_from` (rules as data, with their legal basis)."""

    award_type = models.ForeignKey(
        AwardType,
        verbose_name=_("award type"),
        on_delete=models.PROTECT,
        related_name="registration_requirements",
    )

    class Meta:
        ordering = ["award_type__name", "-valid_from"]
        verbose_name = _("registration requirement")
        verbose_name_plural = _("registration requirements")

    def __str__(self):
        return f"{self.award_type} ({self.valid_from:%d/%m/%Y})"


class RegistrationKind(models.TextChoices):
    INDIVIDUAL = NomineeKind.INDIVIDUAL.value, _("Individual")
    COLLECTIVE = NomineeKind.COLLECTIVE.value, _("Collective")


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Registration(models.Model):
    """One line of a unit's registration: a person (or a collective) and the title aimed for."""

    plan = models.ForeignKey(EmulationPlan, on_delete=models.PROTECT, related_name="registrations")
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("registering unit"),
        on_delete=models.PROTECT,
        related_name="emulation_registrations",
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("title"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RegistrationKind.choices)
    # An individual: a person in the system, or a name with date of birth and position.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emulation_registrations",
    )
    name = models.CharField(_("name"), max_length=limits.NAME)
    # The name folded (dossiers.search_text.fold): a nominee is matched accent- and case-insensitively.
    name_folded = models.CharField(max_length=limits.NAME, editable=False, db_index=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    position = models.CharField(_("position / title"), max_length=limits.PLACE, blank=True)
    # A collective: the unit it is (the registering unit or one of its parts).
    collective_unit = models.ForeignKey(
        Unit, verbose_name=_("collective"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    # Accepted by the standing body after the deadline: why.
    late_reason = models.TextField(
        _("reason for accepting it late"), max_length=limits.SHORT_TEXT, blank=True
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), max_length=limits.SHORT_TEXT, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "kind", "award_type__name", "name_folded", "pk"]
        verbose_name = _("emulation registration")
        verbose_name_plural = _("emulation registrations")
        constraints = [
            # One live registration per person (or name and date of birth, or collective) and title.
            models.UniqueConstraint(
                fields=["plan", "award_type", "person"],
                condition=Q(withdrawn_at__isnull=True, person__isnull=False),
                name="uniq_registration_person",
            ),
            models.UniqueConstraint(
                fields=["plan", "award_type", "name_folded", "date_of_birth"],
                condition=Q(withdrawn_at__isnull=True, person__isnull=True, kind="individual"),
                name="uniq_registration_name",
            ),
            models.UniqueConstraint(
                fields=["plan", "award_type", "collective_unit"],
                condition=Q(withdrawn_at__isnull=True, kind="collective"),
                name="uniq_registration_collective",
            ),
            models.CheckConstraint(
                condition=Q(kind="individual", collective_unit__isnull=True)
                | Q(kind="collective", collective_unit__isnull=False, person__isnull=True),
                name="registration_kind_fields",
            ),
        ]

    def __str__(self):
        return f"{self.name} — {self.award_type}"

    @property
    def is_late(self) -> bool:
        return bool(self.late_reason)


class RegistrationOverride(models.Model):
    """The standing body lets a nominee without a registration be proposed, with its reason."""

    nominee = models.OneToOneField(
        Nominee, verbose_name=_("nominee"), on_delete=models.CASCADE, related_name="registration_override"
    )
    reason = models.TextField(_("reason"), max_length=limits.SHORT_TEXT)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration override")
        verbose_name_plural = _("registration overrides")

    def __str__(self):
        return f"{self.nominee} — {self.reason[:40]}"
