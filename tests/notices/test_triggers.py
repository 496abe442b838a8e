"""Each act tells the people whose turn it makes it, in the app and by email, and nobody else;
a refused act tells nobody; each person's choice of email is kept."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from approvals import meeting_services as ms
from notices.models import Notice, NoticeKind
from notices.services import preferences_set
from org.models import Role
from tests import factories as f
from tests.council.conftest import open_with, schedule
from tests.council.test_handoff import flowing_dossier
from workflows import council
from workflows import services as workflow_services

from .helpers import drafted, mailed, told


def test_a_submitted_dossier_is_a_task_for_the_standing_bodys_officers_only(people, committed):
    dossier = drafted(people)

    with committed():
        workflow_services.dossier_submit(actor=people.head_a, dossier=dossier)

    assert told() == {"officer": [f"Hồ sơ “{dossier.title}” đã được trình: hãy tiếp nhận và thẩm định."]}
    assert mailed() == ["officer"]
    message = mail.outbox[0]
    assert message.subject.startswith("[Thi đua – Khen thưởng]")
    assert f"/dossiers/{dossier.pk}/" in message.body
    notice = Notice.objects.get()
    assert notice.kind == NoticeKind.TASK and notice.link == f"/dossiers/{dossier.pk}/"
    assert notice.emailed_at is not None and notice.read_at is None


def test_a_submitted_dossier_tells_the_standing_bodys_leader_who_assigns_it(people, committed):
    leader = f.user_with_role(Role.STANDING_LEADER, people.commune, username="leader", email="leader@x.vn")
    f.user_with_role(Role.STANDING_LEADER, people.province, username="province_leader", email="p@x.vn")
    dossier = drafted(people)

    with committed():
        workflow_services.dossier_submit(actor=people.head_a, dossier=dossier)

    assert told() == {
        "officer": [f"Hồ sơ “{dossier.title}” đã được trình: hãy tiếp nhận và thẩm định."],
        "leader": [f"Hồ sơ “{dossier.title}” đã được trình: phân công chuyên viên thẩm định nếu cần."],
    }
    assert Notice.objects.get(recipient=leader).kind == NoticeKind.TASK
    assert sorted(mailed()) == ["leader", "officer"]


def test_a_dossier_put_up_for_public_notice_tells_its_unit(people, committed):
    dossier = drafted(people)
    rule = f.award("giay-khen").rule_on(timezone.localdate())
    rule.public_notice_days = 5
    rule.save(update_fields=["public_notice_days"])
    workflow_services.dossier_submit(actor=people.head_a, dossier=dossier)
    workflow_services.appraisal_receive(actor=people.officer, dossier=dossier)
    Notice.objects.all().delete()

    with committed():
        workflow_services.appraisal_accept(actor=people.officer, dossier=dossier)

    text = f"Hồ sơ “{dossier.title}” đã được thẩm định đạt và đang được niêm yết công khai để lấy ý kiến."
    assert told() == {"head_a": [text], "staff_a": [text]}
    assert {n.kind for n in Notice.objects.all()} == {NoticeKind.OUTCOME}


def test_a_refused_submission_tells_nobody(people, committed):
    dossier = drafted(people)

    with committed(), pytest.raises(PermissionDenied):
        workflow_services.dossier_submit(actor=people.staff_a, dossier=dossier)

    assert not Notice.objects.exists()
    assert mail.outbox == []


def test_an_accepted_dossier_goes_to_the_councils_secretary(people, committed):
    with committed():
        dossier = flowing_dossier(people, nominees=1)

    assert "secretary" in told(NoticeKind.TASK)
    assert told(NoticeKind.TASK)["secretary"] == [
        f"Hồ sơ “{dossier.title}” đã được trình Hội đồng: hãy đưa vào chương trình một phiên họp."
    ]
    assert set(told(NoticeKind.TASK)) == {"officer", "secretary"}  # submitted, then accepted


def test_a_returned_dossier_tells_its_units_head_and_staff(people, committed):
    dossier = drafted(people)
    workflow_services.dossier_submit(actor=people.head_a, dossier=dossier)
    workflow_services.appraisal_receive(actor=people.officer, dossier=dossier)

    with committed():
        workflow_services.appraisal_return(
            actor=people.officer, dossier=dossier, items=["Thiếu xác nhận sáng kiến"]
        )

    assert set(told()) == {"head_a", "staff_a"}  # not school B's head, nor the officer who returned it
    assert {n.kind for n in Notice.objects.all()} == {NoticeKind.RETURNED}
    assert mailed() == ["head_a", "staff_a"]


def test_a_convened_meeting_invites_every_member_on_the_roll_and_opening_tells_those_present(
    people, committed
):
    dossier = flowing_dossier(people, nominees=1)
    with committed():
        meeting = schedule(people, [dossier])
    invited = set(told(NoticeKind.MEETING))
    assert invited == {u.username for u in people.members} - {"secretary"}  # the secretary convened it

    Notice.objects.all().delete()
    present = [people.cchair, people.vice, people.secretary, *people.others]  # `member` absent
    with committed():
        open_with(people, meeting, present=present)
    assert set(told(NoticeKind.MEETING)) == {u.username for u in present} - {"secretary"}
    assert "member" not in told()


def test_the_chairs_close_gives_the_vice_chair_the_opinion_and_then_the_chair_the_decision(people, committed):
    dossier = flowing_dossier(people, nominees=1)
    meeting = open_with(people, schedule(people, [dossier]))
    for member in people.members[:7]:
        ms.ballot_cast(actor=member, meeting=meeting, nominee=dossier.agenda_nominees[0], choice="agree")

    with committed():
        council.meeting_close(actor=people.cchair, meeting=meeting)
    assert set(told(NoticeKind.TASK)) == {"vice"}

    with committed():
        workflow_services.opinion_give(actor=people.vice, dossier=dossier, text="Đồng ý đề nghị khen thưởng.")
    assert set(told(NoticeKind.TASK)) == {"vice", "chair"}
    assert "quyết định và ký" in told(NoticeKind.TASK)["chair"][0]


def test_a_person_who_turned_email_off_for_a_kind_is_told_in_the_app_only(people, committed):
    preferences_set(user=people.officer, email_kinds={NoticeKind.MEETING})
    dossier = drafted(people)

    with committed():
        workflow_services.dossier_submit(actor=people.head_a, dossier=dossier)

    assert set(told()) == {"officer"}
    assert mail.outbox == []


def test_nothing_is_sent_before_the_commit(people, django_capture_on_commit_callbacks):
    dossier = drafted(people)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow_services.dossier_submit(actor=people.head_a, dossier=dossier)
        assert not Notice.objects.exists()
    assert callbacks  # the notice waits for the commit
    assert mail.outbox == []


def test_a_mail_server_down_fails_nothing_and_the_notice_stays_in_the_app(people, committed, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.send_mail", refuse)
    dossier = drafted(people)

    with committed():
        workflow_services.dossier_submit(actor=people.head_a, dossier=dossier)

    dossier.refresh_from_db()
    assert dossier.state == "submitted"
    notice = Notice.objects.get()
    assert notice.recipient == people.officer and notice.emailed_at is None


def test_a_decided_dossier_tells_its_unit_and_a_refused_decision_tells_nobody(people, committed):
    dossier = flowing_dossier(people, nominees=1)
    meeting = open_with(people, schedule(people, [dossier]))
    for member in people.members[:7]:
        ms.ballot_cast(actor=member, meeting=meeting, nominee=dossier.agenda_nominees[0], choice="agree")
    council.meeting_close(actor=people.cchair, meeting=meeting)
    workflow_services.opinion_give(actor=people.vice, dossier=dossier, text="Đồng ý đề nghị khen thưởng.")

    with committed(), pytest.raises(PermissionDenied):
        workflow_services.decision_issue(actor=people.officer, dossiers=[dossier], title="Tặng Giấy khen")
    assert not Notice.objects.exists()

    with committed():
        workflow_services.decision_issue(actor=people.chair, dossiers=[dossier], title="Tặng Giấy khen")
    assert told(NoticeKind.OUTCOME) == {
        "staff_a": [f"Quyết định khen thưởng cho hồ sơ “{dossier.title}” đã được ký."],
        "head_a": [f"Quyết định khen thưởng cho hồ sơ “{dossier.title}” đã được ký."],
    }
    assert set(told()) == {"staff_a", "head_a"}
