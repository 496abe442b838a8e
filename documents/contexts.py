"""The data of each document, as plain strings and lists ready for its template.

One function per kind builds everything its template shows. Nothing here reads the clock or the
active language: the same data gives the same context, the same HTML and the same PDF bytes
(the basis of "same data, same document" in services.document_render).
"""

import datetime as dt
import re
import zoneinfo
from collections import OrderedDict

from django.conf import settings
from django.utils import timezone

from approvals.models import Award, CouncilResult, DecisionKind
from dossiers import legal
from dossiers.history import award_history
from dossiers.models import NomineeKind
from org.models import CouncilMembership, CouncilRole, RegisterEntry, RegisterSeries, Role, RoleAssignment
from org.words import rounded_percent

from .formatting import (
    authority_line,
    authority_text,
    body_text,
    date_line,
    head_title,
    header_lines,
    is_people_committee,
    lower_first,
    money,
    money_words,
    nfc,
    place_date,
    signing_lines,
    subject_line,
    upper,
)
from .models import GeneratedKind

NBSP = "\u00a0"
VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
LOCAL_GOVERNMENT_LAW = "Luật Tổ chức chính quyền địa phương"
LAW_2022 = "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022"
KIND_HEADINGS = [
    (NomineeKind.INDIVIDUAL, "Cá nhân"),
    (NomineeKind.COLLECTIVE, "Tập thể"),
    (NomineeKind.HOUSEHOLD, "Hộ gia đình"),
]
ROMAN = ["I", "II", "III", "IV"]
COUNCIL_ROLE_LABEL = {
    CouncilRole.CHAIR: "Chủ tịch Hội đồng",
    CouncilRole.VICE_CHAIR: "Phó Chủ tịch Hội đồng",
    CouncilRole.SECRETARY: "Thư ký Hội đồng",
    CouncilRole.MEMBER: "Ủy viên",
}


def local_date(moment) -> dt.date:
    return timezone.localtime(moment).date()


def split_items(text) -> list[str]:
    """ "A; B; C" → ["A", "B", "C"]: legal bases are stored as one line of items."""
    return [nfc(part).strip().rstrip(".") for part in (text or "").split(";") if part.strip()]


def unique(items) -> list:
    return list(OrderedDict.fromkeys(items))


LEGAL_NUMBER = re.compile(r"\d+/\d{4}/[\wĐđ-]+")


def unique_grounds(items) -> list[str]:
    """Legal bases once each: two texts citing the same number ("06/2022/QH15") are one basis;
    the first (the fuller, as listed first) is kept."""
    seen, out = set(), []
    for item in items:
        match = LEGAL_NUMBER.search(item)
        key = match.group(0) if match else item.lower()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def symbol_line(number, doc_type, unit) -> str:
    # NBSP after "Số:" keeps the number on the line of its label (shared/notes/documents.md).
    number_text = f"{number:02d}" if number else NBSP * 6
    return f"Số:{NBSP}{number_text}/{doc_type}-{nfc(unit.code)}"


def unit_head(unit, day):
    """Who signs for the unit on `day`: its head (a commune's or department's chair)."""
    assignment = (
        RoleAssignment.objects.active_on(day)
        .filter(unit=unit, role__in=[Role.UNIT_HEAD, Role.CHAIR])
        .select_related("user")
        .order_by("role", "start", "pk")
        .first()
    )
    return assignment.user if assignment else None


def person_name(user) -> str:
    return nfc(user.get_full_name()) if user else ""


def header(unit, *, symbol, place_day, doc_type="", subject="") -> dict:
    above, name = header_lines(unit)
    return {
        "issuer_above": above,
        # A people's committee's two lines ("ỦY BAN NHÂN DÂN" / "PHƯỜNG LONG BIÊN") are one name,
        # the issuer's own: both bold. A superior body's line stays regular (Decree 30, Phụ lục I).
        "issuer_above_bold": is_people_committee(unit),
        "issuer_name": name,
        "symbol": symbol,
        "place_date": place_date(unit.place_name or unit.name, place_day),
        "doc_type": doc_type,
        "subject": subject,
    }


def nominee_row(nominee, *, amount=None) -> dict:
    return {
        "name": nfc(nominee.name),
        "position": nfc(nominee.position),
        "workplace": nfc(nominee.workplace),
        "award": nfc(nominee.award_type.name),
        "amount": money(amount) if amount is not None else "",
    }


def grouped_by_kind(rows) -> list[dict]:
    """[(nominee, row)] → the annex's sections I. Cá nhân, II. Tập thể (III. Hộ gia đình)."""
    sections = []
    for kind, heading in KIND_HEADINGS:
        items = [row for nominee, row in rows if nominee.kind == kind]
        if items:
            sections.append({"number": ROMAN[len(sections)], "heading": heading, "rows": items})
    return sections


def campaign_phrase(campaign) -> str:
    """ "phong trào thi đua “Sáng kiến, sáng tạo”" (a name that says what it is stays as it is)."""
    name = nfc(campaign.name)
    if name.lower().startswith(("phong trào", "đợt thi đua", "cuộc thi", "hội thi", "chương trình")):
        return lower_first(name)
    return f"phong trào thi đua “{name}”"


def count_phrase(nominees) -> str:
    """ "2 cá nhân và 1 tập thể"."""
    parts = []
    for kind, heading in KIND_HEADINGS:
        n = sum(1 for x in nominees if x.kind == kind)
        if n:
            parts.append(f"{n:02d} {heading.lower()}")
    return " và ".join(parts)


# --- tờ trình and trích ngang (the unit's documents) -----------------------------------------


def dossier_day(dossier) -> dt.date:
    return local_date(dossier.submitted_at or dossier.created_at)


def submission_number(dossier) -> int | None:
    """Tờ trình numbers restart every year per unit, in the order the dossiers were submitted.
    The tờ trình forwarding a dossier upward is the issuing body's own outgoing document: it bears
    the number its register gave when the chair forwarded (approvals.services.dossier_forward)."""
    if not dossier.submitted_at:
        return None
    if dossier.is_upward:
        entry = RegisterEntry.objects.filter(
            register__series=RegisterSeries.DOCUMENTS,
            content_type__app_label=dossier._meta.app_label,
            content_type__model=dossier._meta.model_name,
            object_id=str(dossier.pk),
        ).first()
        if entry is not None:
            return entry.number
    year = dossier_day(dossier).year
    return (
        type(dossier)
        .objects.filter(unit=dossier.unit, submitted_at__year=year, pk__lte=dossier.pk)
        .exclude(submitted_at__isnull=True)
        .count()
    )


def submission_context(dossier) -> dict:
    unit, reviewer = dossier.unit, dossier.reviewing_unit or dossier.unit.deciding_unit()
    day = dossier_day(dossier)
    nominees = list(
        dossier.nominees.current().select_related("award_type", "source__dossier__unit").order_by("pk")
    )
    head = unit_head(unit, day)
    awards = unique(nfc(n.award_type.name) for n in nominees)
    addressee = authority_text(reviewer) if reviewer else ""
    rows = [nominee_row(n) for n in nominees]
    intro = (
        f"{nfc(unit.name)} đã tổ chức bình xét, lựa chọn các cá nhân, tập thể có thành tích "
        f"xuất sắc trong {campaign_phrase(dossier.campaign)}. {nfc(unit.name)} kính trình "
        f"{addressee or 'cấp có thẩm quyền'} xem xét, khen thưởng ({', '.join(awards)}) "
        f"cho {count_phrase(nominees)}, cụ thể như sau:"
    )
    if dossier.is_upward:
        # Trình cấp trên: every nominee with the unit and the dossier it was proposed in.
        for n, row in zip(nominees, rows, strict=True):
            if n.source_id:
                source = n.source.dossier
                row["source"] = (
                    f"{nfc(source.unit_name_at_submission or source.unit.name)} (hồ sơ “{nfc(source.title)}”)"
                )
        proposers = unique(
            nfc(n.source.dossier.unit_name_at_submission or n.source.dossier.unit.name)
            for n in nominees
            if n.source_id
        )
        intro = (
            f"Trên cơ sở đề nghị của {', '.join(proposers)} và kết quả xét duyệt của Hội đồng Thi đua - "
            f"Khen thưởng {nfc(unit.name)}, {nfc(unit.name)} kính trình {addressee or 'cấp có thẩm quyền'} "
            f"xem xét, khen thưởng ({', '.join(awards)}) cho {count_phrase(nominees)}, cụ thể như sau:"
        )
    return {
        "upward": dossier.is_upward,
        **header(
            unit,
            symbol=symbol_line(submission_number(dossier), "TTr", unit),
            place_day=day,
            doc_type="TỜ TRÌNH",
            subject=f"Về việc đề nghị khen thưởng trong {campaign_phrase(dossier.campaign)}",
        ),
        "addressee": addressee,
        "grounds": legal.citations(campaign=dossier.campaign, rules=[n.rule for n in nominees if n.rule_id]),
        "intro": intro,
        "rows": rows,
        "summary": nfc(dossier.summary),
        "closing": f"Kính trình {addressee or 'cấp có thẩm quyền'} xem xét, quyết định./.",
        "recipients": ["Như trên", f"Lưu: VT, {nfc(unit.code)}"],
        "signers": [{"lines": [head_title(unit)], "name": person_name(head)}],
        "unit_name": nfc(unit.name),
    }


SEX_LABEL = {"male": "Nam", "female": "Nữ"}


def honorific_name(nominee) -> str:
    """ "Bà Nguyễn Thị Lan": an individual as the forms address them (Ông / Bà from the sex; the
    form's own "Ông/Bà" when the sex is not given); a collective's name as it is."""
    if nominee.kind != NomineeKind.INDIVIDUAL:
        return nfc(nominee.name)
    return f"{nominee.honorific or 'Ông/Bà'} {nfc(nominee.name)}"


def _day(day) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def period_text(campaign) -> str:
    """ "từ ngày 01/01/2021 đến ngày 31/12/2025": the period the achievements are reported for."""
    return f"từ ngày {_day(campaign.period_start)} đến ngày {_day(campaign.period_end)}"


def authors_text(nominee) -> str:
    """ "Nguyễn Thị Lan (60%), Phạm Minh Đức (40%)"."""
    parts = []
    for author in nominee.authors.all():
        share = author.share_percent
        share_text = f" ({share.normalize():f}%)".replace(".", ",") if share is not None else ""
        position = f", {nfc(author.position)}" if author.position else ""
        parts.append(f"{nfc(author.name)}{position}{share_text}")
    return "; ".join(parts)


def needs_full_report(nominee) -> bool:
    """A full achievement report (báo cáo thành tích, the decree's appendix forms) for an award
    decided at the provincial level or above; a short extract (trích ngang) below it, as the
    lower levels allow (seed 003: "Trích ngang thành tích" for the district's own awards)."""
    rule = nominee.rule or nominee.award_type.rule_on(dossier_day(nominee.dossier))
    return rule is not None and rule.deciding_level == "province"


def _history_rows(nominee) -> list[dict]:
    return [
        {
            "year": str(entry.year),
            "award": nfc(entry.award_name),
            "decision": ", ".join(
                x
                for x in [
                    f"Quyết định số {nfc(entry.decision_number)}" if entry.decision_number else "",
                    f"ngày {_day(entry.decision_date)}" if entry.decision_date else "",
                    nfc(entry.issuer),
                ]
                if x
            ),
        }
        for entry in award_history(nominee)
    ]


def achievement_context(nominee) -> dict:
    """The nominee's achievement report: the full report (sections I-III of the decree's form for
    an individual, a collective or an initiative) where the award level requires it, else the short
    extract (trích ngang): one table row with the nominee's fields."""
    dossier = nominee.dossier
    unit, day = dossier.unit, dossier_day(dossier)
    head = unit_head(unit, day)
    kind = nominee.kind
    individual = kind in (NomineeKind.INDIVIDUAL, NomineeKind.HOUSEHOLD)
    award = nfc(nominee.award_type.name)
    full = needs_full_report(nominee)
    who = honorific_name(nominee)
    addressed = (
        lower_first(who) if individual else ("tập thể " if kind == NomineeKind.COLLECTIVE else "") + who
    )
    workplace = nfc(nominee.workplace or unit.name)
    authors = authors_text(nominee) if kind == NomineeKind.INITIATIVE else ""
    if individual:
        facts = [
            ("Họ và tên", who),
            ("Sinh ngày, tháng, năm", _day(nominee.date_of_birth)),
            ("Giới tính", SEX_LABEL.get(nominee.sex, "")),
            ("Quê quán", nfc(nominee.hometown)),
            ("Đơn vị công tác", workplace),
            ("Chức vụ (Đảng, chính quyền, đoàn thể)", nfc(nominee.position)),
            ("Trình độ chuyên môn, nghiệp vụ, lý luận chính trị", nfc(nominee.qualifications)),
        ]
        first_section = "I. SƠ LƯỢC LÝ LỊCH"
    elif kind == NomineeKind.COLLECTIVE:
        linked = nominee.collective_unit
        facts = [
            ("Tên tập thể", nfc(nominee.name)),
            ("Đơn vị", nfc(linked.name) if linked else workplace),
            ("Trực thuộc", nfc(linked.parent.name) if linked and linked.parent else nfc(unit.name)),
            ("Chức năng, nhiệm vụ", nfc(nominee.position)),
        ]
        first_section = "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH"
    else:
        facts = [
            ("Tên sáng kiến, đề tài", nfc(nominee.name)),
            ("Tác giả", authors),
            ("Cấp công nhận", nfc(nominee.position)),
            ("Đơn vị áp dụng", workplace),
        ]
        first_section = "I. THÔNG TIN VỀ SÁNG KIẾN, ĐỀ TÀI"
    facts = [(label, value) for label, value in facts if value]
    achievements = [nfc(p).strip() for p in nominee.achievements.splitlines() if p.strip()]
    confirm = ["THỦ TRƯỞNG ĐƠN VỊ", "XÁC NHẬN, ĐỀ NGHỊ"]
    signers = [{"lines": confirm, "name": person_name(head)}]
    if individual:
        signers.append({"lines": ["NGƯỜI BÁO CÁO THÀNH TÍCH"], "name": nfc(nominee.name), "hand": True})
    elif kind == NomineeKind.INITIATIVE and nominee.authors.exists():
        first_author = nominee.authors.all()[0]
        signers.append({"lines": ["ĐẠI DIỆN TÁC GIẢ"], "name": nfc(first_author.name), "hand": True})
    row = {
        "name": who,
        "born": _day(nominee.date_of_birth),
        "sex": SEX_LABEL.get(nominee.sex, ""),
        "hometown": nfc(nominee.hometown),
        "work": ", ".join(x for x in [nfc(nominee.position), workplace] if x),
        "qualifications": nfc(nominee.qualifications),
        "unit": nfc(nominee.collective_unit.name) if nominee.collective_unit_id else workplace,
        "authors": authors,
        "summary": " ".join(achievements),
        "award": award,
    }
    return {
        **header(
            unit,
            symbol="",
            place_day=day,
            doc_type=f"BÁO CÁO THÀNH TÍCH ĐỀ NGHỊ {upper(_award_phrase(nominee.award_type.code, award))}"
            if full
            else "TRÍCH NGANG THÀNH TÍCH",
            subject="" if full else f"Đề nghị {lower_first(_award_phrase(nominee.award_type.code, award))}",
        ),
        "full": full,
        "kind": kind,
        "individual": individual,
        "first_section": first_section,
        "facts": facts,
        "period": f"Thành tích đạt được {period_text(dossier.campaign)} ({nfc(dossier.campaign.name)})",
        "duties": ", ".join(x for x in [nfc(nominee.position), workplace] if x) if individual else "",
        "history": _history_rows(nominee) if full else [],
        "row": row,
        "proposal": (
            f"{nfc(unit.name)} đề nghị {lower_first(_award_phrase(nominee.award_type.code, award))}"
            f" cho {addressed}."
        ),
        "achievements": achievements,
        "signers": signers,
    }


# --- biên bản --------------------------------------------------------------------------------

RESULT_LABEL = {"passed": "Đạt", "failed": "Không đạt", "over_quota": "Không đạt (vượt chỉ tiêu)"}


def closed_meeting_of(dossier):
    """The last closed council meeting that had this dossier on its agenda, if the council's
    meetings are recorded (approvals.meetings); else None and the minutes come from the results
    the workflow holds."""
    try:
        from approvals.meetings import AgendaItem, MeetingState
    except ImportError:  # pragma: no cover - the meetings are optional for this document
        return None
    item = (
        # A run-off round is part of its meeting, whose minutes state it.
        AgendaItem.objects.filter(
            dossier=dossier, meeting__state=MeetingState.CLOSED, meeting__runoff_of__isnull=True
        )
        .select_related("meeting")
        .order_by("-meeting__closed_at", "-meeting_id")
        .first()
    )
    return item.meeting if item else None


def percent_text(value) -> str:
    """Decimal("88.88") → "88,88%" (a Vietnamese decimal comma)."""
    return f"{value}%".replace(".", ",") if value is not None else ""


def minutes_context(dossier) -> dict:
    """The council's minutes (biên bản) for a dossier: the meeting's own minutes
    (approvals.meeting_selectors.meeting_minutes) when the council met on it, limited to this
    dossier's nominees; otherwise what the workflow holds (each nominee's CouncilResult and the
    council's members on that day). The one place to switch between the two."""
    meeting = closed_meeting_of(dossier)
    if meeting is not None:
        from approvals.meeting_selectors import meeting_minutes

        return _minutes_from_meeting(dossier, meeting_minutes(meeting), meeting)
    return _minutes_from_results(dossier)


def vietnam_time(moment) -> dt.datetime:
    """A stored (UTC) moment as printed on a document: in Vietnam time, whatever time zone the
    request or the process runs in (DESIGN.md: times stored in UTC, shown in Asia/Ho_Chi_Minh)."""
    return timezone.localtime(moment, VIETNAM)


def minutes_symbol(meeting) -> str:
    """“Số: 05/BB-HĐTĐKT”: the number the meeting's minutes took from the council's register
    when it closed (approvals.meeting_services.take_minutes_number); blank before."""
    entry = (
        RegisterEntry.objects.filter(
            register__series=RegisterSeries.COUNCIL,
            content_type__app_label=meeting._meta.app_label,
            content_type__model=meeting._meta.model_name,
            object_id=str(meeting.pk),
        ).first()
        if meeting is not None
        else None
    )
    if entry is None:
        return f"Số:{NBSP}{NBSP * 6}/BB-HĐTĐKT"
    return f"Số:{NBSP}{entry.number:02d}/{nfc(entry.symbol)}"


def awards_conclusion(passed) -> str:
    """“Hội đồng đề nghị tặng Giấy khen cho: Ông Nguyễn Văn A, Bà Trần Thị B.”: the awards and
    the recipients the council approved, award by award, in the table's order."""
    by_award = OrderedDict()
    for r in passed:
        by_award.setdefault(nfc(r.award), []).append(nfc(r.nominee))
    if not by_award:
        return "Không có trường hợp nào đạt tỷ lệ phiếu tán thành theo quy định."
    parts = [f"{award} cho: {', '.join(names)}" for award, names in by_award.items()]
    return f"Hội đồng đề nghị tặng {'; '.join(parts)}."


def _minutes_frame(dossier, *, reviewer, moment, council_name, title, place) -> dict:
    local = vietnam_time(moment)
    day = local.date()
    return {
        "issuer_above": f"UBND {upper(reviewer.name)}"
        if is_people_committee(reviewer)
        else upper(reviewer.name),
        "issuer_name": "HỘI ĐỒNG\nTHI ĐUA - KHEN THƯỞNG",
        "symbol": "",
        "place_date": place_date(reviewer.place_name or reviewer.name, day),
        "doc_type": "BIÊN BẢN",
        "subject": f"Họp {council_name} xét đề nghị khen thưởng",
        "opening": (
            f"Hôm nay, vào hồi {local:%H} giờ {local:%M} phút, {date_line(day)}, tại {place}, "
            f"{council_name} họp {lower_first(title)}, xét hồ sơ “{nfc(dossier.title)}” của {nfc(dossier.unit.name)}."
        ),
    }


def absence_lines(minutes, meeting=None) -> list[str]:
    """“Vắng mặt: Ông/Bà Lê Văn C (lý do: đi công tác); có biểu quyết bằng văn bản.”, one line per
    member absent. Minutes held on paper give only how many absent members voted in writing, not
    who: then one line says how many."""
    on_paper = meeting is not None and meeting.recorded_from_paper
    lines = []
    for a in minutes.absent:
        line = f"Vắng mặt: Ông/Bà {nfc(a.person.name)}"
        if a.absence_reason:
            line += f" (lý do: {nfc(a.absence_reason)})"
        if not on_paper:
            line += (
                "; có biểu quyết bằng văn bản" if a.voted_in_writing else "; không biểu quyết bằng văn bản"
            )
        lines.append(line + ".")
    if on_paper and minutes.absent:
        lines.append(f"Số thành viên vắng mặt biểu quyết bằng văn bản: {meeting.written_votes}.")
    return lines


def _minutes_from_meeting(dossier, minutes, meeting=None) -> dict:
    reviewer = dossier.reviewing_unit or dossier.unit.deciding_unit()
    results = [r for r in minutes.results if r.dossier_id == dossier.pk]
    names = {r.nominee for r in results}
    members = [
        {
            "name": nfc(a.person.name),
            "role": nfc(a.person.council_role),
            "position": nfc(a.person.position),
            "presence": "Có mặt"
            if a.present
            else ("Vắng, biểu quyết bằng văn bản" if a.voted_in_writing else "Vắng"),
        }
        for a in [*minutes.present, *minutes.absent]
    ]
    rows = [
        {
            "name": nfc(r.nominee),
            "award": nfc(r.award),
            "votes_for": r.votes_for,
            "votes_against": r.votes_against,
            "abstentions": r.abstentions,
            "not_voting": r.not_voting,
            "members_total": r.members_total,
            "percent": percent_text(r.percent_for),
            "threshold": nfc(r.threshold),
            "result": RESULT_LABEL.get(r.result, ""),
        }
        for r in results
    ]
    passed = [r for r in results if r.result == "passed"]
    context = _minutes_frame(
        dossier,
        reviewer=reviewer,
        moment=(meeting.started_at if meeting is not None else None)
        or minutes.opened_at
        or minutes.scheduled_at,
        council_name=nfc(minutes.council),
        title=nfc(minutes.title),
        place=nfc(minutes.place),
    )
    # The meeting's own end (a meeting recorded from paper: the time its minutes give, if any),
    # never the moment the result was typed in.
    ended = meeting.ended_at if meeting is not None else minutes.closed_at
    end = vietnam_time(ended) if ended else None
    began = vietnam_time(
        (meeting.started_at if meeting is not None else None) or minutes.opened_at or minutes.scheduled_at
    )
    context.update(
        {
            "symbol": minutes_symbol(meeting),
            "conclusion_awards": awards_conclusion(passed),
            "chair_name": nfc(minutes.chairperson.name),
            "secretary_name": nfc(minutes.secretary.name),
            "members": members,
            "members_total": minutes.members_total,
            "attendance": (
                f"Có mặt {len(minutes.present)}/{minutes.members_total} thành viên"
                + (
                    f" (cần ít nhất {minutes.quorum_needed} theo tỷ lệ {minutes.quorum})"
                    if minutes.quorum_needed
                    else ""
                )
                + "."
            ),
            "absences": absence_lines(minutes, meeting),
            "secret_ballot": minutes.secret_ballot,
            "written_opinions": [
                f"{nfc(o.member.name) if o.member else 'Một thành viên (bỏ phiếu kín)'} "
                f"({nfc(o.nominee)}): {nfc(o.comment)}"
                for o in minutes.written_opinions
                if o.nominee in names and o.comment
            ],
            "recusals": [
                f"{nfc(r.member.name)} không biểu quyết đối với {nfc(r.nominee)}: {nfc(r.reason)}"
                for r in minutes.recusals
                if r.nominee in names
            ],
            "rows": rows,
            "tie_lines": _tie_lines(minutes, names),
            "conclusion": nfc(minutes.conclusion)
            or (
                f"Hội đồng thống nhất đề nghị khen thưởng {len(passed)}/{len(rows)} trường hợp đạt tỷ lệ phiếu "
                "tán thành theo quy định (tính trên tổng số thành viên Hội đồng)."
            ),
            "closing": (
                f"Cuộc họp kết thúc vào hồi {end:%H} giờ {end:%M} phút "
                + ("cùng ngày." if end.date() == began.date() else f"ngày {end:%d/%m/%Y}.")
            )
            if end
            else "",
            "signers": [
                {"lines": ["THƯ KÝ"], "name": nfc(minutes.secretary.name)},
                {"lines": ["CHỦ TRÌ CUỘC HỌP"], "name": nfc(minutes.chairperson.name)},
            ],
        }
    )
    return context


def _tie_lines(minutes, names) -> list[str]:
    """Ties at a quota's line that concern this dossier's nominees, and how the council resolved
    them (its run-off rounds, the chair's reasoned decision), as the minutes state them."""
    lines = []
    for tie in minutes.ties:
        if names & set(tie["names"]):
            lines.append(
                f"{', '.join(nfc(n) for n in tie['names'])} bằng phiếu tại ngưỡng chỉ tiêu "
                f"(còn {tie['places']} suất); chưa giải quyết."
            )
    for runoff in minutes.runoffs:
        if names & {r.nominee for r in runoff.results}:
            results = "; ".join(
                f"{nfc(r.nominee)}: {r.votes_for} tán thành, {r.votes_against} không tán thành (thứ {r.place})"
                for r in runoff.results
            )
            lines.append(f"Bỏ phiếu lại (vòng {runoff.round}) giữa các trường hợp bằng phiếu: {results}.")
    if minutes.tie_reason:
        lines.append(f"Chủ trì cuộc họp quyết định trường hợp bằng phiếu; lý do: {nfc(minutes.tie_reason)}")
    return lines


def _minutes_from_results(dossier) -> dict:
    results = list(
        CouncilResult.objects.filter(nominee__dossier=dossier, nominee__removed_at__isnull=True)
        .select_related("nominee__award_type", "recorded_by")
        .order_by("nominee_id")
    )
    reviewer = dossier.reviewing_unit or dossier.unit.deciding_unit()
    council = getattr(reviewer, "council", None)
    moment = min((r.recorded_at for r in results), default=dossier.updated_at)
    day = timezone.localtime(moment).date()
    members = []
    if council is not None:
        memberships = (
            CouncilMembership.objects.active_on(day)
            .filter(council=council)
            .select_related("user")
            .order_by("pk")
        )
        members = sorted(memberships, key=lambda m: (CouncilRole.rank(m.council_role), m.pk))
    by_role = {}
    for m in members:
        by_role.setdefault(m.council_role, m.user)
    total = max([r.members_total for r in results] or [len(members)])
    rows = []
    for r in results:
        voted = r.votes_for + r.votes_against + r.abstentions
        rows.append(
            {
                **nominee_row(r.nominee),
                "votes_for": r.votes_for,
                "votes_against": r.votes_against,
                "abstentions": r.abstentions,
                "not_voting": r.members_total - voted,
                "members_total": r.members_total,
                "percent": percent_text(rounded_percent(r.votes_for, r.members_total) or 0),
                "result": "Đạt" if r.passed else "Không đạt",
            }
        )
    council_name = nfc(council.name) if council else "Hội đồng Thi đua - Khen thưởng"
    passed = [r for r in results if r.passed]
    context = _minutes_frame(
        dossier,
        reviewer=reviewer,
        moment=moment,
        council_name=council_name,
        title="xét đề nghị khen thưởng",
        place=f"trụ sở {body_text(reviewer)}",
    )
    context.update(
        {
            "chair_name": person_name(by_role.get(CouncilRole.CHAIR)),
            "secretary_name": person_name(by_role.get(CouncilRole.SECRETARY)),
            "members": [
                {
                    "name": person_name(m.user),
                    "role": COUNCIL_ROLE_LABEL[m.council_role],
                    "position": nfc(m.user.position),
                }
                for m in members
            ],
            "members_total": total,
            "attendance": "",
            "secret_ballot": True,
            "written_opinions": [],
            "recusals": [],
            "rows": rows,
            "conclusion": (
                f"Hội đồng thống nhất đề nghị khen thưởng {len(passed)}/{len(rows)} trường hợp đạt tỷ lệ phiếu "
                "tán thành theo quy định (tính trên tổng số thành viên Hội đồng)."
            ),
            "closing": "",
            "signers": [
                {"lines": ["THƯ KÝ"], "name": person_name(by_role.get(CouncilRole.SECRETARY))},
                {"lines": ["CHỦ TỊCH HỘI ĐỒNG"], "name": person_name(by_role.get(CouncilRole.CHAIR))},
            ],
        }
    )
    return context


# --- decisions -------------------------------------------------------------------------------


def _decision_signer(decision) -> dict:
    return {
        "lines": signing_lines(decision.issuer, decision.signer_capacity, decision.signed_by.position),
        "name": person_name(decision.signed_by),
    }


def _decision_header(decision, doc_subject) -> dict:
    issuer = decision.issuer
    return {
        **header(
            issuer,
            symbol=f"Số:{NBSP}{decision.symbol}",
            place_day=decision.signed_on,
            doc_type="QUYẾT ĐỊNH",
            subject=doc_subject,
        ),
        "authority": authority_line(issuer),
        "symbol_text": decision.symbol,
        "signed_on": date_line(decision.signed_on),
    }


def decision_reference(decision) -> str:
    """ "Quyết định số 01/QĐ-UBND ngày 05 tháng 02 năm 2026 của Chủ tịch Ủy ban nhân dân phường …"."""
    return (
        f"Quyết định số{NBSP}{decision.symbol} {date_line(decision.signed_on)} của "
        f"{authority_text(decision.issuer)}"
    )


def _council_name(unit) -> str:
    council = getattr(unit, "council", None)
    return nfc(council.name) if council else "Hội đồng Thi đua - Khen thưởng"


def _award_phrase(code, name) -> str:
    if code.startswith(("giay-khen", "bang-khen")):
        return f"Tặng {nfc(name)}"
    return f"Công nhận danh hiệu “{nfc(name)}”"


# Who carries out an award decision, by the issuing body's level, when settings.DECISION_OFFICES
# names nothing for it (by the unit's id, symbol or level): the office running the body's business,
# the standing body that drafts the decision (its abbreviation closes "Lưu: VT, …") and the finance
# office that pays the cash from the award fund.
DEFAULT_OFFICES = {
    "province": {
        "office": "Văn phòng Ủy ban nhân dân",
        "drafting_office": "Sở Nội vụ",
        "drafting_abbr": "SNV",
        "finance_office": "Sở Tài chính",
    },
    "commune": {
        "office": "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
        "drafting_office": "Phòng Nội vụ",
        "drafting_abbr": "NV",
        "finance_office": "Phòng Kinh tế",
    },
    "*": {
        "office": "Văn phòng",
        "drafting_office": "Văn phòng",
        "drafting_abbr": "VP",
        "finance_office": "Phòng Kế hoạch - Tài chính",
    },
}
HEAD_OF = [("Văn phòng", "Chánh"), ("Sở", "Giám đốc"), ("Phòng", "Trưởng"), ("Ban", "Trưởng")]


def decision_offices(unit) -> dict:
    """The offices that carry out `unit`'s award decisions: settings.DECISION_OFFICES[unit id],
    [symbol of the unit] or [level], else DEFAULT_OFFICES by level (each key falls back alone)."""
    configured = getattr(settings, "DECISION_OFFICES", {}) or {}
    offices = dict(DEFAULT_OFFICES["*"])
    offices.update(DEFAULT_OFFICES.get(unit.level, {}))
    for key in (unit.level, unit.code, str(unit.pk)):
        offices.update(configured.get(key, {}))
    return {k: nfc(v) for k, v in offices.items()}


def head_of(office) -> str:
    """ "Phòng Nội vụ" → "Trưởng phòng Nội vụ"; "Văn phòng …" → "Chánh Văn phòng …"."""
    office = nfc(office)
    for prefix, head in HEAD_OF:
        if office.startswith(prefix):
            if prefix in ("Văn phòng",):
                return f"{head} {office}"
            return f"{head} {lower_first(office)}"
    return f"Thủ trưởng {office}"


ANNEX_KINDS = [*KIND_HEADINGS, ("initiative", "Sáng kiến, đề tài")]


def _named(nominee) -> str:
    """An individual's name with Ông/Bà when the nominee's sex is known."""
    honorific = getattr(nominee, "honorific", "") if nominee.kind == NomineeKind.INDIVIDUAL else ""
    return f"{honorific} {nfc(nominee.name)}".strip() if honorific else nfc(nominee.name)


def _cover_note(award) -> str:
    """The annex's note on an award paid less because another title pays for the same period."""
    cover = getattr(award, "cash_covered_by", None)
    if cover is None:
        return ""
    where = ""
    cover_decision = getattr(cover, "decision", None)
    if cover_decision is not None and cover_decision.pk != getattr(award, "decision_id", None):
        where = f", {decision_reference(cover_decision)}"
    if award.amount:
        return (
            f"Nhận phần chênh lệch so với tiền thưởng “{nfc(cover.nominee.award_type.name)}”{where} "
            "(chỉ nhận mức cao nhất)"
        )
    return (
        f"Không nhận tiền thưởng: đã nhận mức cao nhất theo “{nfc(cover.nominee.award_type.name)}”{where} "
        "cùng thời gian"
    )


def decision_annex(awards) -> dict:
    """The annex: I. Cá nhân, II. Tập thể, III. Hộ gia đình (IV. Sáng kiến, đề tài), each by
    award with its subtotal, then the total in figures and in words. `awards` are Award rows (or
    the preview's planned awards): `.nominee`, `.amount`, `.cash_covered_by`."""
    sections, number = [], 0
    for kind, heading in ANNEX_KINDS:
        mine = [a for a in awards if a.nominee.kind == kind]
        if not mine:
            continue
        by_award = OrderedDict()
        for a in mine:
            by_award.setdefault(a.nominee.award_type.pk, []).append(a)
        groups = []
        for items in by_award.values():
            rows = []
            for a in items:
                number += 1
                n = a.nominee
                rows.append(
                    {
                        "number": number,
                        "name": _named(n),
                        "position": nfc(n.position),
                        "workplace": nfc(n.workplace),
                        "award": nfc(n.award_type.name),
                        "amount": money(a.amount),
                        "note": _cover_note(a),
                    }
                )
            subtotal = sum(a.amount for a in items)
            groups.append(
                {
                    "award": nfc(items[0].nominee.award_type.name),
                    "rows": rows,
                    "count": len(items),
                    "subtotal": money(subtotal),
                }
            )
        sections.append(
            {
                "number": ROMAN[len(sections)],
                "heading": heading,
                "groups": groups,
                "count": len(mine),
                "subtotal": money(sum(a.amount for a in mine)),
            }
        )
    total = sum(a.amount for a in awards)
    return {
        "sections": sections,
        "count": len(awards),
        "total": money(total),
        "total_words": money_words(total),
        "notes": any(a.amount == 0 or getattr(a, "cash_covered_by", None) for a in awards),
    }


def decision_context(decision, awards=None, dossiers=None, draft=False) -> dict:
    """The award decision's document. `awards` and `dossiers` are read from the decision unless
    given: the preview of a decision not yet signed (`draft`) passes its planned awards and an
    unsaved Decision, which has no number yet."""
    if decision.kind != DecisionKind.AWARD:
        raise ValueError("not an award decision")
    if awards is None:
        awards = list(
            Award.objects.filter(decision=decision)
            .select_related(
                "nominee__award_type",
                "nominee__rule",
                "nominee__dossier__unit",
                "cash_covered_by__nominee__award_type",
                "cash_covered_by__decision__issuer",
            )
            .order_by("nominee__dossier_id", "nominee_id")
        )
    if dossiers is None:
        dossiers = list(decision.dossiers.select_related("campaign", "unit").order_by("pk"))
    campaigns = unique(campaign_phrase(d.campaign) for d in dossiers)
    nominees = [a.nominee for a in awards]
    by_award = OrderedDict()
    for n in nominees:
        by_award.setdefault((n.award_type.code, n.award_type.name), []).append(n)
    article_one = "; ".join(
        f"{_award_phrase(c, name)} cho {count_phrase(ns)}" for (c, name), ns in by_award.items()
    )
    total = sum(a.amount for a in awards)
    issuer = decision.issuer
    offices = decision_offices(issuer)
    unit_heads = unique(f"Thủ trưởng {nfc(d.unit.name)}" for d in dossiers)
    if draft:
        context = _decision_header_draft(decision, subject_line(decision.title))
        reference = f"Quyết định số{NBSP * 6}/QĐ-{nfc(issuer.code)} ngày{NBSP * 4}tháng{NBSP * 4}năm {decision.signed_on.year} của {authority_text(issuer)}"
    else:
        context = _decision_header(decision, subject_line(decision.title))
        reference = decision_reference(decision)
    executing = unique(
        [
            head_of(offices["office"]),
            head_of(offices["drafting_office"]),
            head_of(offices["finance_office"]),
            *unit_heads,
        ]
    )
    context.update(
        {
            "draft": draft,
            "grounds": legal.citations(
                campaigns=[d.campaign for d in dossiers],
                rules=[n.rule for n in nominees if n.rule_id],
                on=decision.signed_on,
            ),
            "consideration": (
                f"Xét đề nghị của {_council_name(issuer)} và của {lower_first(offices['drafting_office'])}."
                if offices["drafting_office"].startswith("Phòng")
                else f"Xét đề nghị của {_council_name(issuer)} và của {offices['drafting_office']}."
            ),
            "articles": [
                (
                    f"{article_one} (có danh sách kèm theo) đã có thành tích xuất sắc trong "
                    f"{', '.join(campaigns)}."
                ),
                (
                    f"Kèm theo hình thức khen thưởng là tiền thưởng theo quy định; mức lương cơ sở áp dụng "
                    f"{money(decision.base_salary)} đồng; tổng số tiền thưởng: {money(total)} đồng "
                    f"(Bằng chữ: {money_words(total)}). Kinh phí khen thưởng chi từ Quỹ thi đua, khen "
                    f"thưởng của {body_text(issuer)}; {offices['finance_office']} có trách nhiệm cấp "
                    "phát tiền thưởng cho các cá nhân, tập thể có tên tại Điều 1."
                ),
                "Quyết định này có hiệu lực kể từ ngày ký.",
                (
                    f"{', '.join(executing)} và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm "
                    "thi hành Quyết định này./."
                ),
            ],
            "recipients": ["Như Điều 4", f"Lưu: VT, {offices['drafting_abbr']}"],
            "signers": [_decision_signer(decision)],
            "annex": {
                "title": "DANH SÁCH KHEN THƯỞNG",
                "reference": f"(Kèm theo {reference})",
                **decision_annex(awards),
            },
        }
    )
    return context


def _decision_header_draft(decision, doc_subject) -> dict:
    """A preview's header: the number and the day are left for the register to give."""
    issuer = decision.issuer
    day = decision.signed_on
    return {
        **header(
            issuer,
            symbol=symbol_line(None, "QĐ", issuer),
            place_day=day,
            doc_type="QUYẾT ĐỊNH",
            subject=doc_subject,
        ),
        "place_date": f"{nfc(issuer.place_name or issuer.name)}, ngày{NBSP * 4}tháng{NBSP * 4}năm {day.year}",
        "authority": authority_line(issuer),
        "symbol_text": "",
        "signed_on": "",
    }


def revocation_deadline(decision) -> dt.date:
    """The day by which the cash and the certificate are returned: the revocation's own, or (for a
    revocation recorded before it carried one) the default period after its signing."""
    from approvals.services import REVOCATION_RETURN_DAYS

    return decision.return_by or decision.signed_on + dt.timedelta(days=REVOCATION_RETURN_DAYS)


def _revoked_awards_phrase(awards) -> str:
    """ "hình thức khen thưởng Giấy khen của Chủ tịch UBND phường" (several: joined by "và")."""
    names = unique(nfc(a.nominee.award_type.name) for a in awards)
    return f"hình thức khen thưởng {' và '.join(names)}"


def _certificates_phrase(awards) -> str:
    """What is handed back besides the cash: "Giấy khen", "Bằng khen" or the title's certificate."""
    kinds = unique(certificate_title(a.nominee.award_type)[1].capitalize() for a in awards)
    return " và ".join(
        k if k in ("Giấy khen", "Bằng khen") else f"Giấy chứng nhận {k.lower()}" for k in kinds
    )


def revocation_context(decision) -> dict:
    if decision.kind != DecisionKind.REVOCATION or decision.revokes_id is None:
        raise ValueError("not a revocation decision")
    original = decision.revokes
    awards = list(
        Award.objects.filter(revoked_by=decision)
        .select_related("nominee__award_type", "nominee__rule", "nominee__dossier__campaign")
        .order_by("nominee_id")
    )
    total = sum(a.amount for a in awards)
    issuer = decision.issuer
    reference = decision_reference(original)
    revoked_nominees = [a.nominee for a in awards]
    standing = f"cơ quan thường trực {_council_name(issuer)}"
    context = _decision_header(decision, f"Về việc hủy bỏ một phần Quyết định số{NBSP}{original.symbol}")
    context.update(
        {
            "grounds": legal.citations(
                campaigns=[n.dossier.campaign for n in revoked_nominees],
                rules=[n.rule for n in revoked_nominees if n.rule_id],
                on=decision.signed_on,
                extra=[f"{reference} {lower_first(subject_line(original.title))}"],
            ),
            "consideration": f"Xét đề nghị của cơ quan thường trực {_council_name(issuer)}.",
            # Điều 1 what is revoked (which award, of which decision, from whom, why); Điều 2 what
            # is returned (the certificate and the cash) and by when; Điều 3 who carries it out.
            "articles": [
                (
                    f"Hủy bỏ {_revoked_awards_phrase(awards)} đã tặng tại {reference} về việc "
                    f"{lower_first(subject_line(original.title)).removeprefix('về việc ')} đối với "
                    f"{count_phrase([a.nominee for a in awards])} có tên dưới đây. "
                    f"Lý do: {nfc(decision.reason).rstrip('.')}."
                ),
                (
                    f"Các cá nhân, tập thể có tên tại Điều 1 nộp lại {_certificates_phrase(awards)} và số tiền "
                    f"thưởng đã nhận, tổng cộng {money(total)} đồng (Bằng chữ: {money_words(total)}), về "
                    f"{nfc(standing)} trước {date_line(revocation_deadline(decision))}. "
                    "Quyết định này có hiệu lực kể từ ngày ký."
                ),
                (
                    f"Chánh Văn phòng, Trưởng cơ quan thường trực {_council_name(issuer)}, Thủ trưởng các cơ "
                    "quan, đơn vị có liên quan và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm "
                    "thi hành Quyết định này./."
                ),
            ],
            "return_by": date_line(revocation_deadline(decision)),
            "revoked": [nominee_row(a.nominee, amount=a.amount) for a in awards],
            "original_symbol": original.symbol,
            "recipients": ["Như Điều 3", f"Lưu: VT, {nfc(issuer.code)}"],
            "signers": [_decision_signer(decision)],
        }
    )
    return context


# --- certificates ----------------------------------------------------------------------------


def certificate_title(award_type) -> tuple[str, str]:
    """(the verb, the big title): TẶNG GIẤY KHEN / BẰNG KHEN, or CÔNG NHẬN DANH HIỆU <title>."""
    if award_type.code.startswith("bang-khen"):
        return "TẶNG", "BẰNG KHEN"
    if award_type.code.startswith("giay-khen"):
        return "TẶNG", "GIẤY KHEN"
    return "CÔNG NHẬN DANH HIỆU", upper(award_type.name)


def verification_url(code) -> str:
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}/verify/{code}/"


def qr_svg(url) -> str:
    """The QR code of `url` as inline SVG: vector, sharp at any size (shared/notes/documents.md).

    The modules come from qrcode; each row's runs of dark modules are drawn as one rectangle,
    half the path of qrcode's SvgPathImage (the SVG is a good part of a certificate's rendering
    time). A fixed mask pattern spares qrcode trying all eight: any mask is a valid QR code."""
    import qrcode

    qr = qrcode.QRCode(border=2, mask_pattern=0)
    qr.add_data(url)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix)
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<path fill="#000" d="{"".join(parts)}"/></svg>'
    )


def display_code(code) -> str:
    return f"{code[:4]}-{code[4:]}"


def certificate_period(campaign) -> str:
    """The year or the period the certificate is for: "Năm 2026", "Giai đoạn 2021 - 2025"."""
    start, end = campaign.period_start, campaign.period_end
    if start and end and start.year != end.year:
        return f"Giai đoạn {start.year} - {end.year}"
    day = end or start
    return f"Năm {day.year}" if day else ""


def certificate_symbol(award_type) -> str:
    """The symbol of the certificates' register: GK (Giấy khen), BK (Bằng khen), GCN (the
    certificate of a title)."""
    if award_type.code.startswith("bang-khen"):
        return "BK"
    if award_type.code.startswith("giay-khen"):
        return "GK"
    return "GCN"


def certificate_context(award, code, number="") -> dict:
    """One certificate: `number` is its entry of the issuer's register of certificates ("05/GK",
    documents.services.certificate_number_for); `code` its verification code."""
    decision, nominee = award.decision, award.nominee
    dossier = nominee.dossier
    issuer = decision.issuer
    verb, title = certificate_title(nominee.award_type)
    line = ", ".join(x for x in [nfc(nominee.position), nfc(nominee.workplace)] if x)
    if nominee.kind == NomineeKind.COLLECTIVE and nominee.workplace and nominee.workplace != nominee.name:
        line = nfc(nominee.workplace)
    elif nominee.kind == NomineeKind.COLLECTIVE:
        line = ""
    return {
        "authority": authority_line(issuer),
        "verb": verb,
        "title": title,
        "long_title": len(title) > 12,
        "name": nfc(nominee.name),
        # Ông / Bà before an individual's name, from the nominee's sex (none when not given).
        "honorific": nominee.honorific if nominee.kind == NomineeKind.INDIVIDUAL else "",
        "kind": nominee.kind,
        "line": line,
        "reason": f"Đã có thành tích xuất sắc trong {campaign_phrase(dossier.campaign)}",
        "period": certificate_period(dossier.campaign),
        "decision_line": f"Quyết định số{NBSP}{decision.symbol}",
        "decision_date": date_line(decision.signed_on),
        "register_line": f"Số:{NBSP}{number}" if number else "",
        "place_date": place_date(issuer.place_name or issuer.name, decision.signed_on),
        "signers": [_decision_signer(decision)],
        "code": display_code(code),
        "url": verification_url(code),
    }


BUILDERS = {
    GeneratedKind.SUBMISSION: ("documents/submission.html", submission_context),
    GeneratedKind.ACHIEVEMENT: ("documents/achievement.html", achievement_context),
    GeneratedKind.MINUTES: ("documents/minutes.html", minutes_context),
    GeneratedKind.DECISION: ("documents/decision.html", decision_context),
    GeneratedKind.REVOCATION: ("documents/revocation.html", revocation_context),
}
