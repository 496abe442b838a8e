"""The daily run reminds whoever holds an open step 2 working days before its limit and on the
day, tells them and escalates to the unit's chair once the limit has passed; each once."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from notices.models import Notice, NoticeKind, ReminderSent
from notices.services import reminders_send
from org.calendar import WorkingCalendar
from org.models import Role
from tests import factories as f
from workflows import services as workflow_services

from .helpers import drafted, mailed, told

pytestmark = pytest.mark.calendar


def at(day):
    """Nine in the morning, Vietnam time, on `day`."""
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0))), tick=False)


@pytest.fixture
def appraising(people, committed):
    """A dossier submitted today and received by the officer; its appraisal limit."""
    dossier = drafted(people)
    workflow_services.dossier_submit(actor=people.head_a, dossier=dossier)
    workflow_services.appraisal_receive(actor=people.officer, dossier=dossier)
    calendar = WorkingCalendar()
    due = calendar.add_working_days(timezone.localdate(), 20)
    # The working day from which the limit is two working days away (a reminder is never sent
    # on a day off, whatever the date the suite runs on).
    two_before = due - dt.timedelta(days=1)
    while not (calendar.is_working_day(two_before) and calendar.working_days_between(two_before, due) == 2):
        two_before -= dt.timedelta(days=1)
    return dossier, due, two_before


def test_nothing_is_sent_while_the_limit_is_far(appraising, committed):
    with committed():
        assert reminders_send() == 0
    assert not Notice.objects.exists()


def test_the_holder_is_reminded_two_working_days_before_once(appraising, committed):
    dossier, due, two_before = appraising
    with at(two_before), committed():
        assert reminders_send() == 1
        assert reminders_send() == 0  # the same day again: nothing more
    assert told() == {
        "officer": [
            f"Nhắc việc: “Thẩm định hồ sơ” đối với hồ sơ “{dossier.title}” phải xong trước hạn ngày "
            f"{due:%d/%m/%Y}."
        ]
    }
    assert mailed() == ["officer"]


def test_the_holder_is_reminded_on_the_day(appraising, committed):
    _, due, _ = appraising
    with at(due), committed():
        reminders_send()
    assert list(told(NoticeKind.REMINDER)) == ["officer"]
    assert "Hôm nay" in told()["officer"][0]


def test_an_overdue_step_is_escalated_to_the_units_chair_once(appraising, committed):
    _, due, _ = appraising
    calendar = WorkingCalendar()
    after = calendar.add_working_days(due, 1)
    with at(after), committed():
        assert reminders_send() == 2
    assert list(told(NoticeKind.REMINDER)) == ["officer"]
    assert list(told(NoticeKind.ESCALATION)) == ["chair"]
    assert "quá hạn" in told(NoticeKind.ESCALATION)["chair"][0]
    assert sorted(mailed()) == ["chair", "officer"]

    mail.outbox.clear()
    with at(calendar.add_working_days(after, 1)), committed():
        assert reminders_send() == 0  # escalated once per limit
    assert mail.outbox == []
    assert ReminderSent.objects.filter(stage="overdue").count() == 1


def test_a_step_nobody_has_taken_reminds_everyone_whose_role_does_it(people, committed):
    dossier = drafted(people)
    workflow_services.dossier_submit(actor=people.head_a, dossier=dossier)
    other = f.user_with_role(Role.STANDING_OFFICER, people.commune)
    due = WorkingCalendar().add_working_days(timezone.localdate(), 20)
    with at(due), committed():
        reminders_send()
    assert set(told(NoticeKind.REMINDER)) == {"officer", other.username}


def test_a_completed_step_is_not_reminded(people, appraising, committed):
    dossier, due, _ = appraising
    workflow_services.appraisal_accept(actor=people.officer, dossier=dossier)
    with at(due), committed():
        assert reminders_send() == 0
    assert not Notice.objects.filter(kind__in=[NoticeKind.REMINDER, NoticeKind.ESCALATION]).exists()


def test_the_command_runs_the_daily_reminders(appraising, committed, capsys):
    _, _, two_before = appraising
    with at(two_before), committed():
        call_command("send_reminders")
    assert capsys.readouterr().out.strip() == "1"
    assert set(told()) == {"officer"}
