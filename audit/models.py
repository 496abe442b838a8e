"""The audit trail: one hash chain of events, appended in the transaction of the change it records.

The contract (DESIGN.md, "Audit trail"): `seq` contiguous from 1; `hash` is the SHA-256 of the
RFC 8785 canonical JSON of the exported event without its `hash` key; `prev_hash` links to the
previous event (64 zeros for seq 1). This app knows nothing of the domain: objects are named by
type and id, and `scope` is an opaque path the caller gives (the project passes the unit path,
"/1/4/9/", so that "a unit and everything under it" is one indexed prefix filter). `case_id` is
the case file an event belongs to (the project's dossier id), so that "everything about one case"
is one indexed filter too.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .chain import GENESIS_HASH

__all__ = ["GENESIS_HASH", "AuditEvent"]


class AuditEvent(models.Model):
    seq = models.BigIntegerField(primary_key=True)
    ts = models.DateTimeField(_("time"))
    actor = models.CharField(_("actor"), max_length=150)
    # The actor's roles when they acted, comma-separated (exported as a list, `actor_roles`).
    actor_roles = models.CharField(_("actor's roles"), max_length=255, blank=True, default="")
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    data = models.JSONField(_("data"), default=dict)
    # Exported and hashed only when not empty, like actor_roles (chain.OPTIONAL_KEYS).
    scope = models.CharField(_("scope"), max_length=255, blank=True, default="")
    # The case file the event belongs to (AUDIT_CASE_RESOLVER), exported and hashed as `case_id`
    # only when set. Events recorded before the column existed have none: CaseBackfill holds theirs.
    case_id = models.BigIntegerField(_("case"), null=True, blank=True)
    # UNIQUE: two appenders that raced past the lock would fail loudly instead of forking.
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # Each filter of a search (audit.selectors.event_search) with its newest-first order.
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"]),
            models.Index(fields=["actor", "seq"], name="audit_actor_seq_idx"),
            models.Index(fields=["ts"], name="audit_ts_idx"),
            models.Index(fields=["case_id", "seq"], name="audit_case_seq_idx"),
            # Exact or by prefix ("dossier."; `LIKE 'x%'` in any collation: the pattern opclass,
            # which SQLite ignores), as the scope ("/1/4/": a unit and everything under it).
            models.Index(
                fields=["action", "seq"],
                name="audit_action_seq_idx",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            ),
            models.Index(
                fields=["scope", "seq"],
                name="audit_scope_seq_idx",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            ),
        ]
        default_permissions = ("view",)

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    @property
    def roles(self) -> list[str]:
        return self.actor_roles.split(",") if self.actor_roles else []


class CaseBackfill(models.Model):
    """The case of an event recorded before `AuditEvent.case_id` existed.

    Such an event's hash was computed without a case, and writing one into it now would change
    what it exports and so break its hash: its case is kept here instead, outside the chain, by
    a migration of the project that knows what a case is. An index, not evidence: it is derived
    from the events' own hashed contents (their object and data) and can be rebuilt from them.
    """

    seq = models.BigIntegerField(_("event"), primary_key=True)
    case_id = models.BigIntegerField(_("case"))

    class Meta:
        verbose_name = _("case of an earlier event")
        verbose_name_plural = _("cases of earlier events")
        indexes = [models.Index(fields=["case_id", "seq"], name="audit_backfill_case_seq_idx")]
        default_permissions = ("view",)

    def __str__(self):
        return f"#{self.seq} → {self.case_id}"


class SignInFailures(models.Model):
    """Failed sign-ins counted per client address, name tried and window, outside the chain.

    An anonymous client must not grow the append-only chain without bound (audit.signals): the
    first failure of a name from an address in a window is an event, the next ones only add to
    `failures` here. Past AUDIT_SIGNIN_EVENTS_PER_ADDRESS names in a window, the address's
    further names are counted together on one row whose `username` is empty. Rows older than
    AUDIT_SIGNIN_KEEP_DAYS are deleted.
    """

    address = models.CharField(_("client address"), max_length=45, blank=True)
    username = models.CharField(_("name tried"), max_length=150, blank=True)
    window_start = models.DateTimeField(_("window start"))
    failures = models.PositiveIntegerField(_("failures"), default=0)
    # An event names this row (its first failure, and its lockout if any).
    recorded = models.BooleanField(_("recorded in the chain"), default=False)
    locked_out = models.BooleanField(_("locked out"), default=False)

    class Meta:
        verbose_name = _("failed sign-ins")
        verbose_name_plural = _("failed sign-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["address", "window_start", "username"], name="audit_signin_failures_unique"
            )
        ]
        indexes = [models.Index(fields=["window_start"], name="audit_signin_window_idx")]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.address} {self.username or '*'} {self.window_start:%Y-%m-%d %H:%M}: {self.failures}"
