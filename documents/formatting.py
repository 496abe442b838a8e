"""How Vietnamese administrative documents write dates, money and the names of bodies
(Decree 30/2020/NĐ-CP, Phụ lục I)."""

import unicodedata

from org.models import UnitLevel

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
SCALES = ["", "nghìn", "triệu"]


def nfc(text) -> str:
    """Text as NFC: Liberation Serif 2 has the precomposed letters; NFD would come out as base
    letters plus combining marks (shared/notes/documents.md)."""
    return unicodedata.normalize("NFC", str(text or ""))


def upper(text) -> str:
    return nfc(text).upper()


def date_line(day) -> str:
    """ "ngày 05 tháng 02 năm 2026": a day below 10 and the months January and February take a
    leading zero (Decree 30/2020, Phụ lục I, mục II.5)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(place, day) -> str:
    return f"{nfc(place)}, {date_line(day)}"


def money(amount: int) -> str:
    """2340000 → "2.340.000" (the Vietnamese thousands separator is a dot)."""
    return f"{int(amount):,}".replace(",", ".")


def _triple(n: int, full: bool) -> list[str]:
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words = []
    if full or hundreds:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (full or hundreds):
            words.append("lẻ")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(DIGITS[units])
    return words


def _below_billion(n: int, full: bool) -> list[str]:
    groups = [n // 1_000_000, n // 1000 % 1000, n % 1000]
    words = []
    for group, scale in zip(groups, SCALES[::-1], strict=True):
        if group:
            # Groups after the first are read in full: "một triệu không trăm năm mươi nghìn".
            words += _triple(group, full=full or bool(words))
            if scale:
                words.append(scale)
    return words


def number_words(n: int) -> str:
    """2130000 → "hai triệu một trăm ba mươi nghìn" (for "Bằng chữ: …")."""
    n = int(n)
    if n == 0:
        return DIGITS[0]
    billions, rest = divmod(n, 1_000_000_000)
    words = [number_words(billions), "tỷ"] if billions else []
    words += _below_billion(rest, full=bool(billions))
    return " ".join(words)


def money_words(amount: int) -> str:
    text = number_words(amount)
    return text[:1].upper() + text[1:] + " đồng"


def is_people_committee(unit) -> bool:
    """A province or a commune: its chair is the Chủ tịch Ủy ban nhân dân."""
    return unit.level in (UnitLevel.PROVINCE, UnitLevel.COMMUNE)


def body_name(unit) -> str:
    """The issuing body as its header names it: "ỦY BAN NHÂN DÂN PHƯỜNG LONG BIÊN"."""
    if is_people_committee(unit):
        return f"ỦY BAN NHÂN DÂN {upper(unit.name)}"
    return upper(unit.name)


def header_lines(unit) -> tuple[str, str]:
    """The two lines at the top left (Decree 30, Phụ lục I, mục II.3): the body it answers to
    (not bold) and the issuing body (bold). A people's committee has "ỦY BAN NHÂN DÂN" over its
    place."""
    if is_people_committee(unit):
        return "ỦY BAN NHÂN DÂN", upper(unit.name)
    parent = unit.parent
    if parent is None:
        return "", upper(unit.name)
    above = f"UBND {upper(parent.name)}" if is_people_committee(parent) else upper(parent.name)
    return above, upper(unit.name)


def head_title(unit) -> str:
    """The head's title in a signing block: CHỦ TỊCH, GIÁM ĐỐC, …"""
    if is_people_committee(unit):
        return "CHỦ TỊCH"
    if unit.level in (UnitLevel.DEPARTMENT, UnitLevel.ENTERPRISE):
        return "GIÁM ĐỐC"
    if unit.level == UnitLevel.SCHOOL:
        return "HIỆU TRƯỞNG"
    return "THỦ TRƯỞNG ĐƠN VỊ"


def authority_line(unit) -> str:
    """Who issues a decision: "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG LONG BIÊN"."""
    return f"{head_title(unit)} {body_name(unit)}"


def signing_lines(unit, capacity: str, signer_position: str = "") -> list[str]:
    """The capacity lines over a signature (Decree 30, Phụ lục I, mục II.8): "CHỦ TỊCH";
    "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"; "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"; "TL. CHỦ TỊCH" /
    the signer's own title; "TUQ. CHỦ TỊCH" / the signer's own title."""
    head = head_title(unit)
    if capacity == "TM":
        body = "ỦY BAN NHÂN DÂN" if is_people_committee(unit) else upper(unit.name)
        return [f"TM. {body}", head]
    if capacity == "KT":
        return [f"KT. {head}", f"PHÓ {head}"]
    if capacity in ("TL", "TUQ"):
        return [f"{capacity}. {head}", upper(signer_position) or "CHÁNH VĂN PHÒNG"]
    return [head]


def lower_first(text) -> str:
    text = nfc(text)
    return text[:1].lower() + text[1:]


def body_text(unit) -> str:
    """The issuing body in running text: "Ủy ban nhân dân phường Long Biên"."""
    if is_people_committee(unit):
        return f"Ủy ban nhân dân {lower_first(unit.name)}"
    return nfc(unit.name)


def authority_text(unit) -> str:
    """Who issues a decision, in running text: "Chủ tịch Ủy ban nhân dân phường Long Biên"."""
    head = head_title(unit)
    return f"{head[:1]}{head[1:].lower()} {body_text(unit)}"


def subject_line(title) -> str:
    """A decision's subject as its heading: "Về việc tặng Giấy khen …"."""
    title = nfc(title).strip()
    if title.lower().startswith("về việc"):
        return "Về việc" + title[len("về việc") :]
    return f"Về việc {lower_first(title)}"
