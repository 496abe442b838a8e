"""The council's meeting (phiên họp Hội đồng TĐKT): its agenda, roll, recusals and votes.

Step 5 of DOMAIN.md: the council meets with a quorum, absent members vote in writing, each member
votes per nominee, by secret ballot unless the council chooses open (named) voting, a member with a
conflict of interest does not vote, and thresholds count ALL members of the council.

Secrecy is a property of the tables, not of the screens, and holds against whoever holds the
database (its operator, a replica, a backup), not only against queries:
- `Participation` records THAT a member voted on a nominee (and whether in writing), never what;
- `SealedBallot` records WHAT was voted, sealed to the meeting's public key: written in the voter's
  transaction (so its `xmin` and physical position match the participation's), it holds only a
  ciphertext whose private key never enters the database (approvals.sealing);
- `Ballot` (and `BallotComment`, a written vote's comment) is the opened ballot: no member, no
  time, a random key, all of a meeting's ballots written in one shuffled batch by the close's
  transaction, after which the sealed rows are deleted and the private key destroyed. Dead row
  versions, the WAL and backups hold only ciphertexts whose key is gone.
- Open voting uses `OpenVote` instead, which names the member; a secret meeting never writes one.

Rows change only through approvals.meeting_services.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dossiers.models import Dossier, Nominee
from org import limits
from org.models import Council

__all__ = [
    "AgendaItem",
    "AgendaResult",
    "Attendance",
    "AttendanceStatus",
    "Ballot",
    "BallotComment",
    "CouncilMeeting",
    "MeetingState",
    "OpenVote",
    "Participation",
    "Recusal",
    "RecusalReason",
    "SealedBallot",
    "VoteChoice",
    "VoteHow",
    "WrittenOpinion",
]


class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    VOTING = "voting", _("Voting open")
    CLOSED = "closed", _("Closed")
    # The vote is counted but nominees tie at a quota's line: the council resolves it (a run-off
    # round, or the chair's reasoned decision) before any result goes to the dossiers.
    TIED = "tied", _("Tie at the quota line")
    CANCELLED = "cancelled", _("Cancelled")


def minutes_path(instance, filename):
    # A random stored name: the user's file name is never trusted as a path.
    return f"minutes/{uuid.uuid4().hex}"


class CouncilMeeting(models.Model):
    """One sitting of a council, with an agenda of dossiers before it (their eligible nominees).

    The quorum and the number of members are frozen when voting opens: thresholds are computed
    over that number (ALL members of the council on the meeting date, not only those present).
    """

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=255)
    scheduled_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=255)
    chairperson = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chaired by"), on_delete=models.PROTECT, related_name="+"
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("secretary"), on_delete=models.PROTECT, related_name="+"
    )
    # Secret ballot by default (DOMAIN.md, step 5); open (named) voting when the council chooses.
    secret_ballot = models.BooleanField(_("secret ballot"), default=True)
    # Whether a member may abstain: decided per meeting (the council's rules of procedure differ;
    # most councils vote agree / disagree only). An abstention never counts towards the threshold.
    allow_abstention = models.BooleanField(_("abstention allowed"), default=False)
    state = models.CharField(
        _("state"), max_length=16, choices=MeetingState.choices, default=MeetingState.SCHEDULED
    )
    # Frozen when voting opens.
    members_total = models.PositiveSmallIntegerField(_("members of the council"), null=True, blank=True)
    quorum_numerator = models.PositiveSmallIntegerField(null=True, blank=True)
    quorum_denominator = models.PositiveSmallIntegerField(null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), max_length=limits.LONG_TEXT, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), max_length=limits.SHORT_TEXT, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the meeting really began and ended, as its minutes print them: the roll taken (or the
    # vote opened) and the close, or for a meeting recorded from paper the times its minutes
    # give; never the moment a result was typed in.
    started_at = models.DateTimeField(_("began at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The meeting's ballot key (approvals.sealing): secret ballots are sealed to this public key;
    # its private half lives outside the database, under this id, until the close.
    ballot_key_id = models.UUIDField(null=True, blank=True, editable=False)
    ballot_public_key = models.BinaryField(null=True, blank=True, editable=False)
    # A meeting held outside the engine (the council met and voted on paper), recorded afterwards
    # by the council's secretary with its signed minutes (approvals.paper_meetings).
    recorded_from_paper = models.BooleanField(_("recorded from paper minutes"), default=False)
    minutes_file = models.FileField(_("signed minutes"), upload_to=minutes_path, blank=True)
    written_votes = models.PositiveSmallIntegerField(_("written votes"), null=True, blank=True)
    # A run-off round (vòng bỏ phiếu lại) of a meeting whose close found a tie at a quota's line:
    # same council, roll and frozen number of members, only the tied nominees on its agenda.
    runoff_of = models.ForeignKey(
        "self",
        verbose_name=_("run-off of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="runoffs",
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    # The ties found at the close (approvals.ranking): [{"nominees": [id, …], "places": n,
    # "rule": "runoff" | "chair"}], emptied when they are resolved.
    ties = models.JSONField(_("ties at the quota line"), default=list, blank=True)
    # The chair's recorded reason when they decided a tie (where the province's rules say so).
    tie_reason = models.TextField(_("reason for the tie decision"), max_length=limits.TEXT, blank=True)

    class Meta:
        ordering = ["-scheduled_at", "-pk"]
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_denominator__isnull=True)
                | Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="meeting_quorum_is_a_fraction",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def meeting_date(self):
        """The day whose council memberships make up the council for this meeting."""
        return timezone.localtime(self.scheduled_at).date()

    @property
    def is_open_for_votes(self):
        return self.state == MeetingState.VOTING


class AgendaResult(models.TextChoices):
    PASSED = "passed", pgettext_lazy("council vote", "Passed")
    FAILED = "failed", pgettext_lazy("council vote", "Below the threshold")
    OVER_QUOTA = "over_quota", pgettext_lazy("council vote", "Over the campaign's quota")
    TIED = "tied", pgettext_lazy("council vote", "Tied at the quota line")


class AgendaItem(models.Model):
    """One nominee before the meeting, with the council's result once the vote is closed."""

    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="agenda")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    # Filled when the vote is closed.
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(null=True, blank=True)
    recused = models.PositiveSmallIntegerField(null=True, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=AgendaResult.choices, blank=True)
    # Rank among the nominees that reached the threshold (1 = most votes), for the quota.
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    # Its place among the nominees it tied with, as the run-off or the chair decided (1 first);
    # equal values are still tied.
    tiebreak = models.PositiveSmallIntegerField(_("place among the tied"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "nominee"], name="uniq_agenda_nominee"),
            models.UniqueConstraint(fields=["meeting", "position"], name="uniq_agenda_position"),
        ]

    def __str__(self):
        return f"{self.position}. {self.nominee}"


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    # Was present and left while the vote was open: their votes cast in the room stand, but they
    # no longer count towards the quorum, which the close checks again.
    LEFT = "left", _("Left the meeting")


class Attendance(models.Model):
    """The roll: one row per member of the council on the meeting date (the invitation), marked
    present or absent by the secretary."""

    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="roll")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_roll"
    )
    council_role = models.CharField(_("council role"), max_length=16)
    status = models.CharField(
        _("attendance"), max_length=16, choices=AttendanceStatus.choices, default=AttendanceStatus.INVITED
    )
    # Why an absent member is not there, as the minutes print it ("lý do: đi công tác"); blank
    # for a member present.
    absence_reason = models.TextField(_("reason for absence"), max_length=limits.SHORT_TEXT, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="uniq_roll_member")]

    def __str__(self):
        return f"{self.member} — {self.get_status_display()}"


class RecusalReason(models.TextChoices):
    NOMINEE = "nominee", _("The member is the nominee")
    COLLECTIVE = "collective", _("The member belongs to the nominated collective")
    CONFLICT = "conflict", _("Declared conflict of interest")


class Recusal(models.Model):
    """A member who does not vote on a nominee (conflict of interest); the minutes record it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=RecusalReason.choices)
    note = models.TextField(_("note"), max_length=limits.SHORT_TEXT, blank=True)

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="uniq_recusal")]

    def __str__(self):
        return f"{self.member} — {self.get_reason_display()}"


class VoteHow(models.TextChoices):
    IN_ROOM = "in_room", _("In the meeting")
    WRITTEN = "written", _("In writing")


class Participation(models.Model):
    """THAT a member voted on a nominee, and how (in the room or in writing). Never what: there
    is no link to the ballot, and no time (the audit trail keeps when)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    how = models.CharField(max_length=8, choices=VoteHow.choices)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        # A member votes at most once per nominee.
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="uniq_participation")]

    def __str__(self):
        return f"{self.member} ({self.get_how_display()})"


class VoteChoice(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    ABSTAIN = "abstain", _("Abstain")


class Ballot(models.Model):
    """WHAT was voted on a nominee by secret ballot, and nothing else: no member, no time, a random
    key. Written only at the close, all of a meeting's ballots in one shuffled batch, opened from
    their `SealedBallot`s; never changed afterwards."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(max_length=8, choices=VoteChoice.choices)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self):
        return str(self.pk)


class SealedBallot(models.Model):
    """A secret ballot as it is cast: the choice (and a written vote's comment) sealed to the
    meeting's public key (approvals.sealing), readable only with the private key, which never
    enters the database. Written once, in the voter's transaction, and deleted at the close, when
    the ballots are opened and written again as `Ballot` rows in one shuffled batch."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="sealed_ballots")
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("sealed ballot")
        verbose_name_plural = _("sealed ballots")

    def __str__(self):
        return str(self.pk)


class BallotComment(models.Model):
    """The comment of a written secret vote, opened at the close with the ballots: on which
    nominee, never by whom (the minutes quote it without a name)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="ballot_comments")
    comment = models.TextField(_("comment"), max_length=limits.SHORT_TEXT)

    class Meta:
        verbose_name = _("comment of a written ballot")
        verbose_name_plural = _("comments of written ballots")

    def __str__(self):
        return self.comment[:50]


class OpenVote(models.Model):
    """A named vote, only in open voting: a changed vote before closing replaces this row."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="open_votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=VoteChoice.choices)

    class Meta:
        verbose_name = _("open vote")
        verbose_name_plural = _("open votes")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="uniq_open_vote")]

    def __str__(self):
        return f"{self.member}: {self.get_choice_display()}"


class WrittenOpinion(models.Model):
    """The comment an absent member wrote with their written vote on a nominee (the minutes quote
    it). The vote itself is a Participation plus a Ballot (or an OpenVote) like any other."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="written_opinions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), max_length=limits.SHORT_TEXT)

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = _("written opinion")
        verbose_name_plural = _("written opinions")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="uniq_written_opinion")]

    def __str__(self):
        return f"{self.member}: {self.comment[:50]}"
