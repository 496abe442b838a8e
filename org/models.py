"""Units (a tree with levels), people, councils and who holds which role where.

A role is held in a unit (its scope): a unit head heads one unit, a standing-body officer serves
the deciding unit whose standing body they belong to, an inspector inspects a unit and everything
under it. Council roles come from council memberships with their terms.
"""

from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DEPARTMENT = "department", _("Department")
    COMMUNE = "commune", _("Commune / ward")
    OFFICE = "office", _("Office")
    SCHOOL = "school", _("School")
    ENTERPRISE = "enterprise", _("Enterprise")


class Unit(models.Model):
    name = models.CharField(_("name"), max_length=255)
    # Short symbol used in document numbers, e.g. "UBND" in 01/QĐ-UBND.
    code = models.CharField(_("symbol"), max_length=32)
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path ("/1/4/9/") so that "this unit and everything under it" is one indexed
    # prefix filter, whatever the depth.
    path = models.CharField(max_length=255, editable=False, db_index=True)
    # A unit that decides awards has its own council, standing body and chair.
    grants_awards = models.BooleanField(_("grants awards"), default=False)
    place_name = models.CharField(_("place name (for documents)"), max_length=128, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """A new unit takes its place under its parent. An existing unit keeps its place: it is
        moved only by org.services.unit_move, which carries its subtree along and records the move;
        and its path is the tree's, never an old copy held in memory."""
        if self.parent_id == self.pk and self.pk is not None:
            raise ValidationError(_("A unit cannot be its own parent."))
        stored = Unit.objects.filter(pk=self.pk).values_list("parent_id", "path").first() if self.pk else None
        if stored is not None:
            parent_id, self.path = stored
            if parent_id != self.parent_id:
                raise ValidationError(
                    _("A unit is moved with org.services.unit_move (it carries the units under it along).")
                )
        super().save(*args, **kwargs)
        if stored is None:
            parent = Unit.objects.filter(pk=self.parent_id).values_list("path", flat=True)
            parent_path = parent.get() if self.parent_id else "/"
            self.path = f"{parent_path}{self.pk}/"
            Unit.objects.filter(pk=self.pk).update(path=self.path)

    def clean(self):
        super().clean()
        # The admin's form: a change of parent is a move, and a move may be refused.
        stored = list(Unit.objects.filter(pk=self.pk).values_list("parent_id", flat=True)) if self.pk else []
        if stored and stored[0] != self.parent_id:
            problem = self.move_problem(self.parent)
            if problem:
                raise ValidationError({"parent": problem})

    def is_under(self, other) -> bool:
        """True when this unit is `other` or anywhere below it."""
        return self.path.startswith(other.path)

    def move_problem(self, new_parent) -> str:
        """Why this unit (with everything under it) may not move under `new_parent` (None: to
        the top of the tree), or "" when it may."""
        if new_parent is None:
            return ""
        if new_parent.pk == self.pk:
            return _("A unit cannot be its own parent.")
        if new_parent.is_under(self):
            return _("%(parent)s is under %(unit)s: a unit cannot move under itself.") % {
                "parent": new_parent,
                "unit": self,
            }
        if not new_parent.is_active or new_parent.dissolved_on:
            return _("%(parent)s is dissolved: nothing moves under it.") % {"parent": new_parent}
        deepest = max(
            (len(p) for p in Unit.objects.filter(path__startswith=self.path).values_list("path", flat=True)),
            default=len(self.path),
        )
        new_prefix = f"{new_parent.path}{self.pk}/"
        if deepest - len(self.path) + len(new_prefix) > self._meta.get_field("path").max_length:
            return _("The tree would be too deep under %(parent)s.") % {"parent": new_parent}
        return ""

    def ancestors_and_self(self):
        ids = [int(x) for x in self.path.strip("/").split("/") if x]
        return Unit.objects.filter(pk__in=ids).order_by("path")

    def deciding_unit(self):
        """The nearest unit at or above this one that grants awards (its council reviews us)."""
        return self.ancestors_and_self().filter(grants_awards=True).order_by("-path").first()


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    position = models.CharField(_("position"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username


class Role(models.TextChoices):
    """The roles of DOMAIN.md. Each is also a Django group that carries the model permissions."""

    UNIT_STAFF = "unit_staff", _("Unit emulation officer")
    UNIT_HEAD = "unit_head", _("Unit head")
    STANDING_OFFICER = "standing_officer", _("Standing body officer")
    STANDING_LEADER = "standing_leader", _("Standing body leader")
    RECORDS_CLERK = "records_clerk", _("Records clerk")
    COUNCIL_MEMBER = "council_member", _("Council member")
    COUNCIL_SECRETARY = "council_secretary", _("Council secretary")
    VICE_CHAIR = "vice_chair", _("Council vice-chair")
    CHAIR = "chair", _("Chair (deciding authority)")
    INSPECTOR = "inspector", _("Inspector")
    ADMIN = "admin", _("Administrator")


class ActiveQuerySet(models.QuerySet):
    def active_on(self, day=None):
        day = day or timezone.localdate()
        return self.filter(Q(start__lte=day), Q(end__isnull=True) | Q(end__gte=day))


class RoleAssignment(models.Model):
    """A person holds a role in a unit (the scope of that role) for a period."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    start = models.DateField(_("from"), default=timezone.localdate)
    end = models.DateField(_("until"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit", "start"], name="uniq_role_assignment"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="role_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class Council(models.Model):
    """Hội đồng Thi đua - Khen thưởng of a deciding unit."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="council"
    )
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self):
        return self.name


class CouncilRole(models.TextChoices):
    """A member's role in the council, declared in the council's order: the roll, the minutes and
    the documents list the chair first, then the vice-chairs, the secretary and the members."""

    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")

    @classmethod
    def rank(cls, value) -> int:
        """Where a role comes in the council's order (the chair is 0); after them all when
        `value` is no council role."""
        return cls.values.index(value) if value in cls.values else len(cls.values)


class CouncilMembership(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="council_memberships")
    council_role = models.CharField(_("council role"), max_length=16, choices=CouncilRole.choices)
    start = models.DateField(_("term from"), default=timezone.localdate)
    end = models.DateField(_("term until"), null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["council", "council_role", "user__full_name"]
        verbose_name = _("council membership")
        verbose_name_plural = _("council memberships")
        constraints = [
            models.UniqueConstraint(fields=["council", "user", "start"], name="uniq_council_membership"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="term_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_council_role_display()} — {self.council}"


class Holiday(models.Model):
    """A public holiday (or a compensating day off): not a working day. Editable data, because
    the government fixes the Tết and compensating days year by year."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=128)

    class Meta:
        ordering = ["date"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"


class ApiToken(models.Model):
    """A person's API key (`Authorization: Token <key>`), one at a time, valid until `expires`.

    Only the SHA-256 digest of the key is stored: whoever reads the database cannot use it. The
    key is random (160 bits), so a plain digest is enough; the key itself is shown once, when
    issued. `prefix` (its first characters) lets its holder recognise it. Revoking deletes it.
    """

    user = models.OneToOneField(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="api_token"
    )
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("begins with"), max_length=8)
    created = models.DateTimeField(_("issued"))
    expires = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.user} {self.prefix}…"

    @property
    def is_expired(self) -> bool:
        return self.expires <= timezone.now()


def role_group(role: str) -> Group:
    return Group.objects.get(name=role)


from .registers import *  # noqa: E402,F403
