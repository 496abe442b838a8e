"""A nominee's identity as the decree's forms print it: sex, date of birth, home town, ID number
(CCCD), qualifications; the unit a collective is. Checked by the services, refused with a precise
message and nothing written."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from dossiers import services
from dossiers.models import Nominee
from tests import factories as f

LAN = {
    "kind": "individual",
    "name": "Nguyễn Thị Lan",
    "award_type": None,  # set per test (the reference data exists only inside a test)
    "achievements": "Hoàn thành xuất sắc nhiệm vụ năm học.",
    "sex": "female",
    "date_of_birth": dt.date(1986, 4, 12),
    "hometown": "xã Kim Sơn, Gia Lâm, Hà Nội",
    "id_number": "001186004127",
    "qualifications": "Đại học Sư phạm Toán",
}


def add(world, dossier, **changes):
    values = {**LAN, "award_type": f.award("giay-khen"), **changes}
    return services.nominee_add(actor=world.staff_a, dossier=dossier, **values)


def refused(world, dossier, **changes) -> dict:
    """The field errors of a refused nominee_add; nothing was written."""
    nominees, events = Nominee.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        add(world, dossier, **changes)
    assert (Nominee.objects.count(), AuditEvent.objects.count()) == (nominees, events)
    return info.value.message_dict


def test_an_individual_is_added_with_the_fields_the_forms_print(world, draft):
    nominee = add(world, draft)

    nominee.refresh_from_db()
    assert (nominee.sex, nominee.date_of_birth, nominee.hometown, nominee.id_number) == (
        "female",
        dt.date(1986, 4, 12),
        "xã Kim Sơn, Gia Lâm, Hà Nội",
        "001186004127",
    )
    assert nominee.honorific == "Bà"
    assert nominee.qualifications == "Đại học Sư phạm Toán"


def test_the_honorific_follows_the_sex():
    assert Nominee(sex="male").honorific == "Ông"
    assert Nominee(sex="female").honorific == "Bà"
    assert Nominee(sex="").honorific == ""


def test_an_individual_needs_a_sex_because_the_documents_say_ong_or_ba(world, draft):
    errors = refused(world, draft, sex="", id_number="")
    assert errors == {"sex": ["Give the nominee's sex: the documents address them as Ông or Bà."]}


def test_a_collective_needs_no_sex_and_may_not_have_one(world, draft):
    team = add(world, draft, kind="collective", name="Tổ Ngữ văn", sex="", date_of_birth=None, id_number="")
    assert team.sex == ""
    errors = refused(world, draft, kind="collective", name="Tổ Toán", id_number="")
    assert errors["sex"] == ["Only an individual has a sex and a date of birth."]


@pytest.mark.parametrize(
    "born, message",
    [
        (dt.date(2026, 3, 11), "The date of birth must be in the past."),
        (dt.date(2030, 1, 1), "The date of birth must be in the past."),
        (dt.date(1890, 5, 1), "A date of birth more than 120 years ago is not plausible."),
    ],
)
def test_a_date_of_birth_is_in_the_past_and_plausible(world, draft, born, message):
    errors = refused(world, draft, date_of_birth=born, id_number="")
    assert errors == {"date_of_birth": [message]}


@pytest.mark.parametrize(
    "id_number, message",
    [
        ("00118600412", "An ID number (CCCD) has exactly 12 digits."),
        ("0011860041278", "An ID number (CCCD) has exactly 12 digits."),
        ("00118600412A", "An ID number (CCCD) has exactly 12 digits."),
        ("001 86004127", "An ID number (CCCD) has exactly 12 digits."),
        ("０01186004127", "An ID number (CCCD) has exactly 12 digits."),  # a full-width digit
        ("000186004127", "An ID number begins with a province code from 001 to 096."),
        ("097186004127", "An ID number begins with a province code from 001 to 096."),
        (
            "001086004127",
            "The ID number's fourth digit says the holder is male; the sex given differs.",
        ),
        (
            "001187004127",
            "The ID number's year of birth (digits 4 to 6) does not match the date of birth.",
        ),
        (
            "001386004127",  # female born in the 2000s: 2086, not 1986
            "The ID number's year of birth (digits 4 to 6) does not match the date of birth.",
        ),
    ],
)
def test_an_id_number_is_a_cccd_consistent_with_sex_and_birth(world, draft, id_number, message):
    assert refused(world, draft, id_number=id_number) == {"id_number": [message]}


def test_a_born_in_the_2000s_id_number_is_accepted(world, draft):
    nominee = add(world, draft, sex="male", date_of_birth=dt.date(2001, 9, 2), id_number="079201000123")
    assert nominee.id_number == "079201000123"


def test_the_audit_keeps_only_the_last_four_digits_of_the_id_number(world, draft):
    nominee = add(world, draft)
    added = AuditEvent.objects.filter(action="nominee.add").latest("seq")
    assert added.data["id_number"] == "********4127"
    assert "001186004127" not in str(added.data)

    services.nominee_update(actor=world.staff_a, nominee=nominee, id_number="001186009999")
    updated = AuditEvent.objects.filter(action="nominee.update").latest("seq")
    assert updated.data["changes"] == {"id_number": ["********4127", "********9999"]}


def test_a_collective_is_linked_to_a_unit_of_the_dossiers_unit(world, draft):
    team = f.UnitFactory(name="Tổ Ngữ văn", code="TNV", parent=world.school_a)
    nominee = add(
        world,
        draft,
        kind="collective",
        name="Tổ Ngữ văn",
        sex="",
        date_of_birth=None,
        id_number="",
        collective_unit=team,
    )
    assert nominee.collective_unit == team
    assert AuditEvent.objects.filter(action="nominee.add").latest("seq").data["collective_unit_id"] == team.pk


def test_a_collective_outside_the_dossiers_unit_is_refused(world, draft):
    errors = refused(
        world,
        draft,
        kind="collective",
        name="Trường Tiểu học Gia Thụy",
        sex="",
        date_of_birth=None,
        id_number="",
        collective_unit=world.school_b,
    )
    assert errors == {
        "collective_unit": ["“Trường Tiểu học Gia Thụy” is not Trường THCS Ngọc Lâm or one of its units."]
    }


def test_only_a_collective_is_linked_to_a_unit(world, draft):
    errors = refused(world, draft, collective_unit=world.school_a)
    assert errors == {"collective_unit": ["Only a collective is linked to a unit."]}


def test_editing_a_nominee_without_identity_changes_does_not_ask_for_them(world, draft):
    """Nominees entered before these fields existed stay editable field by field."""
    services.nominee_update(actor=world.staff_a, nominee=draft.nominee, position="Tổ trưởng")
    assert Nominee.objects.get(pk=draft.nominee.pk).position == "Tổ trưởng"
