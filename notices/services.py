"""Who is told what, and when.

Notices follow the audit trail: `on_event_recorded` hears every event once its transaction has
committed (audit.services.event_recorded) and maps the act to the people whose turn it now is
(RECIPIENTS below). So a notice is only ever sent for something that really happened, a refused
act sends nothing, and nothing here can fail the act itself. Each notice is a row (the bell and
/notices/) and, unless its recipient turned that kind off, an email sent by a Celery task after
the rows are committed.

The actor is never told of their own act.

Reminders (`reminders_send`, daily by Celery beat and `manage.py send_reminders`): for each open
step with a time limit (appraisal: 20 working days from the submission; public notice: closable
on the first working day after its period), the person holding the task, or, while nobody has
taken it, everyone whose role does the step, is reminded 2 working days before the limit and on
the day; once it has passed they are told, and the chair of the unit that owns the step (the
chairperson of the People's Committee, who leads the standing body and answers for its time
limits) is told once. A ReminderSent row per task, day and stage makes each of them sent once.
"""

import datetime as dt
import functools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from approvals.models import Attendance, AttendanceStatus, CouncilMeeting
from audit.models import AuditEvent
from dossiers.models import Dossier, DossierState
from org.calendar import WorkingCalendar
from org.models import CouncilMembership, Role, RoleAssignment
from org.prepared import PreparedRead
from org.scopes import COUNCIL_ROLE_TO_ROLE
from workflows.flows import DossierFlow
from workflows.selectors import OPEN, task_rows

from .models import Notice, NoticedEvent, NoticeKind, NoticePreference, ReminderSent

log = logging.getLogger(__name__)
User = get_user_model()

REMIND_BEFORE_DAYS = 2  # working days before a limit


# --- people --------------------------------------------------------------------------------------


def _holders_query(roles, today, *, unit):
    assigned = RoleAssignment.objects.active_on(today).filter(role__in=roles, unit_id=unit)
    holding = Q(Exists(assigned.filter(user_id=OuterRef("pk"))))
    council_roles = [c for c, role in COUNCIL_ROLE_TO_ROLE.items() if role in roles]
    if council_roles:
        members = CouncilMembership.objects.active_on(today).filter(
            council__unit_id=unit, council_role__in=council_roles
        )
        holding |= Q(Exists(members.filter(user_id=OuterRef("pk"))))
    return User.objects.filter(holding, is_active=True).order_by("pk").only(*HOLDER_FIELDS)


# What a notice needs of its recipient (the rest is read if ever used).
HOLDER_FIELDS = ("id", "username", "full_name", "email", "is_active", "unit")
# Asked after nearly every step: compiled once per set of roles and day (org.prepared).
_HOLDERS = PreparedRead(_holders_query, arguments=("unit",))


def holders(roles, unit_id) -> list:
    """Active people holding one of `roles` in the unit today: by assignment, or for the council's
    roles by their membership of the unit's council (org.scopes, the same reading)."""
    if unit_id is None:
        return []
    key = (tuple(sorted(roles)), timezone.localdate())
    return _HOLDERS.objects(key=key, unit=unit_id)


def email_wanted(users, kind) -> set[int]:
    """Ids of `users` who receive `kind` by email (on unless they turned it off); nobody to ask
    when none of them has an address."""
    users = [u for u in users if u.email]
    if not users:
        return set()
    off = set(
        NoticePreference.objects.filter(user__in=users, kind=kind, email=False).values_list(
            "user_id", flat=True
        )
    )
    return {u.pk for u in users if u.pk not in off}


# --- sending ---------------------------------------------------------------------------------


def notify(*, recipients, kind, text, link="", exclude=None) -> list[Notice]:
    """One notice for each recipient (each person once, never `exclude`), emailed after commit to
    those who want this kind by email."""
    people = {u.pk: u for u in recipients if exclude is None or u.pk != exclude.pk}
    if not people:
        return []
    now = timezone.now()
    with transaction.atomic(savepoint=False):
        notices = Notice.objects.bulk_create(
            [Notice(recipient=u, kind=kind, text=text[:500], link=link, created=now) for u in people.values()]
        )
        by_email = email_wanted(list(people.values()), kind)
        ids = [n.pk for n in notices if n.recipient_id in by_email]
        if ids:
            from .tasks import send_emails

            transaction.on_commit(lambda: send_emails.delay(ids))
    return notices


def email_notices(notice_ids) -> int:
    """Send the email of each notice not yet emailed; a failure is logged and the notice stays
    unsent by email (it is in the app anyway). Returns how many were sent."""
    from django.core.mail import send_mail

    sent = 0
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    for notice in Notice.objects.filter(pk__in=notice_ids, emailed_at=None).select_related("recipient"):
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("[Emulation – Commendation] %(text)s") % {"text": notice.text}
            body = notice.text + ("\n\n" + base + notice.link if notice.link else "")
        try:
            send_mail(subject[:200], body, None, [notice.recipient.email])
        except Exception:  # a mail server down: the notice stays in the app
            log.exception("notice %s: the email could not be sent", notice.pk)
            continue
        Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


# --- acts → people ------------------------------------------------------------------------------


@dataclass
class Message:
    recipients: list
    kind: str
    text: str
    link: str


def _dossier(event):
    return Dossier.objects.select_related("unit", "reviewing_unit").filter(pk=event.object_id).first()


def _dossier_link(dossier) -> str:
    return reverse("dossier-detail", args=[dossier.pk])


def _at_review(dossier, *roles):
    return holders(roles, dossier.reviewing_unit_id)


def _unit_people(dossier):
    return holders({Role.UNIT_HEAD, Role.UNIT_STAFF}, dossier.unit_id)


def _task(recipients, text):
    def build(dossier):
        return Message(
            recipients(dossier), NoticeKind.TASK, text % {"dossier": dossier.title}, _dossier_link(dossier)
        )

    return build


def _unit(kind, text):
    def build(dossier):
        return Message(_unit_people(dossier), kind, text % {"dossier": dossier.title}, _dossier_link(dossier))

    return build


def _after_appraisal(dossier):
    """Accepted (or its public notice closed): the next step's people; a dossier put up for
    public notice first tells its unit, whose people may be asked about an objection."""
    if dossier.state == DossierState.PUBLIC_NOTICE:
        return _unit(
            NoticeKind.OUTCOME,
            _("The dossier “%(dossier)s” passed appraisal and is now under public notice for comments."),
        )(dossier)
    if dossier.state == DossierState.IN_COUNCIL:
        return _task(
            lambda d: _at_review(d, Role.COUNCIL_SECRETARY),
            _("The dossier “%(dossier)s” is before the council: put it on a meeting's agenda."),
        )(dossier)
    if dossier.state == DossierState.AWAITING_DECISION:
        return _task(
            lambda d: _at_review(d, Role.CHAIR), _("The dossier “%(dossier)s” awaits your decision.")
        )(dossier)
    return None


def _submitted(dossier):
    """The standing body's officers receive and appraise a submitted dossier; its leader, who
    assigns dossiers to them, is told too."""
    return [
        _task(
            lambda d: _at_review(d, Role.STANDING_OFFICER),
            _("The dossier “%(dossier)s” was submitted: receive and appraise it."),
        )(dossier),
        _task(
            lambda d: _at_review(d, Role.STANDING_LEADER),
            _("The dossier “%(dossier)s” was submitted: assign an officer to appraise it if needed."),
        )(dossier),
    ]


def _dossier_messages():
    return {
        "dossier.submit": _submitted,
        "dossier.accept": _after_appraisal,
        "dossier.notice_close": _after_appraisal,
        "dossier.council_result": _task(
            lambda d: _at_review(d, Role.VICE_CHAIR),
            _("The council has voted on the dossier “%(dossier)s”: give your opinion."),
        ),
        "dossier.opinion": _task(
            lambda d: _at_review(d, Role.CHAIR),
            _("The vice-chair has given an opinion on the dossier “%(dossier)s”: decide and sign."),
        ),
        "dossier.return": _unit(
            NoticeKind.RETURNED,
            _("The dossier “%(dossier)s” was returned for supplement: see what is missing and resubmit it."),
        ),
        "dossier.reject": _unit(NoticeKind.OUTCOME, _("The dossier “%(dossier)s” was rejected.")),
        "dossier.decide": _unit(
            NoticeKind.OUTCOME, _("An award decision was signed for the dossier “%(dossier)s”.")
        ),
        "dossier.decline": _unit(NoticeKind.OUTCOME, _("The chair declined the dossier “%(dossier)s”.")),
        "dossier.forward": _unit(
            NoticeKind.OUTCOME, _("The dossier “%(dossier)s” was forwarded to the next level.")
        ),
    }


def _meeting_message(event):
    meeting = CouncilMeeting.objects.filter(pk=event.object_id).first()
    if meeting is None:
        return None
    roll = Attendance.objects.filter(meeting=meeting).select_related("member")
    link = reverse("council-meeting-detail", args=[meeting.pk])
    if event.action == "meeting.schedule":
        when = timezone.localtime(meeting.scheduled_at).strftime("%H:%M %d/%m/%Y")
        text = _("You are invited to the council meeting “%(meeting)s” at %(when)s, %(place)s.") % {
            "meeting": meeting.title,
            "when": when,
            "place": meeting.place,
        }
        return Message([a.member for a in roll], NoticeKind.MEETING, text, link)
    text = _("The council meeting “%(meeting)s” is open: cast your votes.") % {"meeting": meeting.title}
    present = [a.member for a in roll if a.status == AttendanceStatus.PRESENT]
    return Message(present, NoticeKind.MEETING, text, link)


def messages_for(event, target=None) -> list[Message]:
    """What the event tells whom. `target`, the object the event is about as its act saved it
    (committed), saves reading the dossier again."""
    if event.action in _MEETING_ACTIONS:
        built = _meeting_message(event)
    else:
        build = _dossier_messages().get(event.action) if event.object_type == "dossiers.dossier" else None
        if build is None:
            return []
        saved = isinstance(target, Dossier) and str(target.pk) == event.object_id
        dossier = target if saved else _dossier(event)
        built = build(dossier) if dossier is not None else None
    if built is None:
        return []
    return built if isinstance(built, list) else [built]


_MEETING_ACTIONS = ("meeting.schedule", "meeting.open")


@functools.cache
def _notifying_actions() -> frozenset[str]:
    return frozenset((*_MEETING_ACTIONS, *_dossier_messages()))


def notifies(action) -> bool:
    """Whether an act of this kind tells anyone anything (messages_for)."""
    return action in _notifying_actions()


def notices_for_event(event, target=None) -> list[Notice]:
    """Make the event's notices, once: its mark (NoticedEvent) is written in the notices'
    transaction, and an event already marked makes nothing. Two makers at once (two relays, or a
    relay beside the sweep) meet on the mark's key: the second waits for the first's commit,
    then finds it made."""
    made = []
    with transaction.atomic():
        if not _mark(event.seq):
            return made
        with translation.override(settings.LANGUAGE_CODE):
            messages = messages_for(event, target)
        for message in messages:
            # The actor is never told of their own act: known by the name the event carries.
            recipients = [u for u in message.recipients if u.get_username() != event.actor]
            made += notify(recipients=recipients, kind=message.kind, text=message.text, link=message.link)
    return made


def _mark(seq) -> bool:
    """Mark the event's notices made, in the caller's transaction; False if they already were.
    One statement, no savepoint: a conflict on the key is not an error to recover from."""
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO "notices_noticedevent" (seq, made_at) VALUES (%s, %s) ON CONFLICT (seq) DO NOTHING',
            [seq, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        return cursor.rowcount == 1


def on_event_recorded(sender, event, target=None, **kwargs):
    """audit.services.event_recorded, after the act's commit: notify the people whose turn the
    act makes it. Without a broker (`make run`, the tests) the request makes the notices itself,
    at once. With one (REDIS_URL) the request does nothing more: the audit chain is the outbox,
    and a worker relays its new events into notices every few seconds (notices_relay;
    settings.NOTICES_RELAY_SECONDS), so an act neither waits for its notices nor for the broker,
    and a broker that is down or restarted loses none of them."""
    from .tasks import relay_notices

    if notifies(event.action) and relay_notices.app.conf.task_always_eager:
        notices_for_event(event, target)


# Events relayed per read of the chain (the relay reads again until none is left).
RELAY_BATCH = 500
# With nothing marked yet (a new database), the relay starts with the events this recent.
RELAY_FIRST_WITHIN = dt.timedelta(minutes=10)


def notices_relay(*, now=None) -> int:
    """Make the notices of the events recorded after the last one marked, in the chain's order.

    The chain is appended under its lock until the act's commit, so its order is the order of
    the commits: an event after the last marked one is new. Two relays at once meet on each
    event's mark (notices_for_event) and make its notices once. An event whose notices fail is
    logged and passed over, so that it does not hold up the others; the sweep tries it again.
    Returns how many events it looked at."""
    now = now or timezone.now()
    notifying = AuditEvent.objects.filter(action__in=sorted(_notifying_actions())).order_by("seq")
    last = NoticedEvent.objects.aggregate(last=Max("seq"))["last"]
    if last is None:
        last = (
            AuditEvent.objects.filter(ts__lt=now - RELAY_FIRST_WITHIN).aggregate(last=Max("seq"))["last"] or 0
        )
    relayed = 0
    while True:
        batch = list(notifying.filter(seq__gt=last)[:RELAY_BATCH])
        for event in batch:
            try:
                notices_for_event(event)
            except Exception:
                log.exception("event %s: its notices failed; the sweep will try again", event.seq)
        relayed += len(batch)
        if len(batch) < RELAY_BATCH:
            return relayed
        last = batch[-1].seq


# An event's notices are looked for by the sweep once this long has passed since it (the worker
# had its chance), and for this long after it.
SWEEP_AFTER = dt.timedelta(minutes=2)
SWEEP_WITHIN = dt.timedelta(days=7)


def notices_sweep(*, now=None) -> int:
    """Make the notices of recent events that have none (their notices failed in the relay, or
    in the request that acted). Only events after the first one marked are looked at, so the
    events of before the marks existed are never notified twice. Returns how many events it made
    notices for."""
    now = now or timezone.now()
    first = NoticedEvent.objects.order_by("seq").values_list("seq", flat=True).first()
    if first is None:
        return 0
    missed = (
        AuditEvent.objects.filter(
            seq__gt=first,
            ts__gte=now - SWEEP_WITHIN,
            ts__lte=now - SWEEP_AFTER,
            action__in=sorted(_notifying_actions()),
        )
        .exclude(Exists(NoticedEvent.objects.filter(seq=OuterRef("seq"))))
        .order_by("seq")
    )
    swept = 0
    for event in missed.iterator():
        if notices_for_event(event):
            log.warning("event %s: its notices were made by the sweep", event.seq)
        swept += 1
    return swept


# --- reading -------------------------------------------------------------------------------------


def notices_mark_read(*, user, ids=None) -> int:
    """Mark the user's notices read (all of them, or those of `ids`). A person's own reading
    state, not an act on any dossier: no audit event."""
    qs = Notice.objects.filter(recipient=user, read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def preferences_set(*, user, email_kinds) -> None:
    """The kinds the user receives by email; every other kind in the app only."""
    with transaction.atomic():
        for kind in NoticeKind.values:
            NoticePreference.objects.update_or_create(
                user=user, kind=kind, defaults={"email": kind in email_kinds}
            )


# --- reminders and escalation ---------------------------------------------------------------------

STEPS_WITH_LIMITS = (DossierFlow.appraise, DossierFlow.notice)


def _limit(row, calendar):
    if row.step is DossierFlow.appraise:
        return row.due
    if row.step is DossierFlow.notice and row.notice_until:
        return calendar.add_working_days(row.notice_until, 1)
    return None


def _once(task_id, day, stage) -> bool:
    """True the first time (task, day, stage) is claimed; False ever after."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(task_id=task_id, day=day, stage=stage)
    except IntegrityError:
        return False
    return True


def reminders_send(*, today=None) -> int:
    """Send today's reminders and escalations (see the module's docstring); returns how many
    notices were made. Nothing on a day off: the office is closed."""
    from viewflow.workflow.models import Task

    calendar = WorkingCalendar()
    today = today or timezone.localdate()
    if not calendar.is_working_day(today):
        return 0
    tasks = Task.objects.filter(status__in=OPEN, flow_task__in=list(STEPS_WITH_LIMITS)).select_related(
        "owner",
        "process__dossierprocess__dossier__reviewing_unit",
        "process__dossierprocess__dossier__public_notice",
    )
    made = 0
    with translation.override(settings.LANGUAGE_CODE):
        for row in task_rows(tasks, calendar):
            due = _limit(row, calendar)
            if due is None:
                continue
            made += _remind(row, due, today, calendar)
    return made


def _remind(row, due, today, calendar) -> int:
    dossier, step = row.dossier, row.step
    unit_id = step.unit_of(dossier).pk if step.unit_of(dossier) else None
    people = [row.holder] if row.holder else holders(step.roles, unit_id)
    words = {"step": step.task_title, "dossier": dossier.title, "due": due.strftime("%d/%m/%Y")}
    link = _dossier_link(dossier)
    if today < due and calendar.working_days_between(today, due) == REMIND_BEFORE_DAYS:
        if not _once(row.task.pk, today, "before"):
            return 0
        text = _("Reminder: “%(step)s” for the dossier “%(dossier)s” is due on %(due)s.") % words
        return len(notify(recipients=people, kind=NoticeKind.REMINDER, text=text, link=link))
    if today == due:
        if not _once(row.task.pk, today, "due"):
            return 0
        text = _("“%(step)s” for the dossier “%(dossier)s” is due today (%(due)s).") % words
        return len(notify(recipients=people, kind=NoticeKind.REMINDER, text=text, link=link))
    if today > due:
        # Once per limit, whenever the daily run first finds it passed.
        if not _once(row.task.pk, due, "overdue"):
            return 0
        text = _("“%(step)s” for the dossier “%(dossier)s” is overdue: it was due on %(due)s.") % words
        made = notify(recipients=people, kind=NoticeKind.REMINDER, text=text, link=link)
        leaders = holders({Role.CHAIR}, unit_id)
        escalation = _(
            "Overdue in your unit: “%(step)s” for the dossier “%(dossier)s” was due on %(due)s "
            "and is still open (%(people)s)."
        ) % {**words, "people": ", ".join(u.get_full_name() or u.get_username() for u in people)}
        made += notify(recipients=leaders, kind=NoticeKind.ESCALATION, text=escalation, link=link)
        return len(made)
    return 0
