"""CCCD and phone rules, as a citizen typing them would meet them."""

import datetime
import time

import pytest
import time_machine
from django.core.exceptions import ValidationError

from accounts.validators import check_cccd_matches, normalize_phone, validate_cccd


@pytest.mark.parametrize(
    "number",
    [
        "001090012345",  # Hà Nội, man born 1990
        "079195000001",  # TP Hồ Chí Minh, woman born 1995
        "054203123456",  # Phú Yên, woman born 2003
        "096000000000",  # Cà Mau, man born 1900
    ],
)
def test_valid_cccd_passes(number):
    validate_cccd(number)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("00109001234", "12 chữ số"),
        ("0010900123456", "12 chữ số"),
        ("00109001234a", "12 chữ số"),
        ("", "12 chữ số"),
        ("003090012345", "mã tỉnh"),  # 003 was never assigned
        ("099090012345", "mã tỉnh"),
        ("001490012345", "chưa tới"),  # century digit 4: born 2190
        ("001299012345", "chưa tới"),  # born 2099
    ],
)
def test_invalid_cccd_is_refused_in_vietnamese(number, message):
    with pytest.raises(ValidationError) as caught:
        validate_cccd(number, today=datetime.date(2026, 11, 30))
    assert message in " ".join(caught.value.messages)


def test_cccd_year_of_birth_and_sex_must_match_the_profile():
    born_1990 = datetime.date(1990, 5, 12)
    assert check_cccd_matches("001090012345", born_1990, "male") == {}
    assert "cccd" in check_cccd_matches("001090012345", datetime.date(1991, 1, 1), "male")
    assert "cccd" in check_cccd_matches("001090012345", born_1990, "female")
    # "Khác" and an empty gender are not compared with the card.
    assert check_cccd_matches("001090012345", born_1990, "other") == {}
    assert check_cccd_matches("001090012345", None, "") == {}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0321234567", "+84321234567"),
        ("0861234567", "+84861234567"),
        ("0701234567", "+84701234567"),
    ],
)
def test_mobile_numbers_are_stored_normalised(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "02438123456",  # a Hà Nội landline
        "0112345678",  # no such mobile prefix
        "091234567",  # one digit short
        "09123456789",  # one digit long
        "+1 415 555 0100",
        "phone",
        "",
    ],
)
def test_other_numbers_are_refused_in_vietnamese(typed):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(typed)
    assert "Số điện thoại di động không hợp lệ" in caught.value.messages[0]


def test_a_cccd_of_a_child_born_on_new_years_day_is_valid_in_hanoi_at_once(monkeypatch):
    """At 00:30 on 01/01/2027 in Hà Nội it is still 2026 in UTC: a number issued to a
    baby born that night (year 27, century digit 2) is valid, not "a year yet to come",
    even where the process's own clock is in UTC (Django cannot set the process's time
    zone everywhere: not on Windows, not in a process that read the clock before it)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        with time_machine.travel("2026-12-31 17:30Z", tick=False):
            validate_cccd("001227000001")
    finally:
        monkeypatch.undo()
        time.tzset()
