"""Validation of Vietnamese identity numbers and mobile phone numbers.

Pure functions, used by the model, the sign-up form and the profile form alike, so that a
number accepted in one place is accepted everywhere.
"""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Province and city codes that open a citizen identity number (CCCD), as Circular
# 07/2016/TT-BCA assigns them. They stay valid for cards issued before the 2025 merger
# of provinces, so the old 63 codes are the ones to accept.
CCCD_PROVINCE_CODES = frozenset(
    """
    001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033
    034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066
    067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096
    """.split()  # noqa: SIM905 - the table reads like the circular's
)

MALE = "male"
FEMALE = "female"


def decode_cccd(number):
    """Return ``(birth_year, sex)`` encoded in a CCCD's digits 4 to 6.

    The fourth digit gives the century of birth and the sex: 0/1 for 1900-1999 (male,
    female), 2/3 for 2000-2099, 4/5 for 2100-2199, and so on; digits 5 and 6 are the
    last two digits of the year of birth.
    """
    century_and_sex = int(number[3])
    year = 1900 + 100 * (century_and_sex // 2) + int(number[4:6])
    return year, (MALE if century_and_sex % 2 == 0 else FEMALE)


def validate_cccd(value, today=None):
    """A CCCD is 12 digits: a known province code, then a century/sex digit and a year
    of birth that has already come."""
    if not re.fullmatch(r"[0-9]{12}", value or ""):
        raise ValidationError(_("Số CCCD phải gồm đúng 12 chữ số."), code="cccd_format")
    if value[:3] not in CCCD_PROVINCE_CODES:
        raise ValidationError(
            _("Ba chữ số đầu của số CCCD (%(code)s) không phải mã tỉnh, thành phố hợp lệ."),
            code="cccd_province",
            params={"code": value[:3]},
        )
    year, _sex = decode_cccd(value)
    today = today or timezone.localdate()
    if year > today.year:
        raise ValidationError(
            _("Chữ số thứ tư đến thứ sáu của số CCCD cho năm sinh %(year)s, chưa tới."),
            code="cccd_year",
            params={"year": year},
        )


def check_cccd_matches(cccd, date_of_birth, gender):
    """Errors (by field name) where the CCCD disagrees with the stated birth and sex.

    A malformed number gives none here: ``validate_cccd`` reports it at its own field.
    """
    errors = {}
    try:
        validate_cccd(cccd)
    except ValidationError:
        return errors
    year, sex = decode_cccd(cccd)
    if date_of_birth and date_of_birth.year != year:
        errors["cccd"] = ValidationError(
            _("Số CCCD ghi năm sinh %(year)s, khác với ngày sinh đã khai."),
            code="cccd_birth_mismatch",
            params={"year": year},
        )
    elif gender in (MALE, FEMALE) and gender != sex:
        errors["cccd"] = ValidationError(
            _("Số CCCD không khớp với giới tính đã khai."), code="cccd_gender_mismatch"
        )
    return errors


# Patterns spell out [0-9]: ``\d`` would also take Arabic-Indic or full-width digits.
# Mobile prefixes in use since the 2018 renumbering (Viettel, VinaPhone, MobiFone,
# Vietnamobile, Gmobile, Itelecom, Reddi), without the leading 0.
_MOBILE = re.compile(r"(3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-46-9])[0-9]{7}")
_SEPARATORS = re.compile(r"[\s.\-()]")


def normalize_phone(value):
    """Return a Vietnamese mobile number as ``+84`` and nine digits.

    Accepts how people write it: ``0912 345 678``, ``0912.345.678``, ``84912345678``,
    ``+84 912 345 678``.
    """
    digits = _SEPARATORS.sub("", value or "")
    if digits.startswith("+84"):
        national = digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = None
    if national is None or not _MOBILE.fullmatch(national):
        raise ValidationError(
            _(
                "Số điện thoại di động không hợp lệ. Nhập 10 chữ số bắt đầu bằng 0, "
                "ví dụ 0912 345 678."
            ),
            code="phone",
        )
    return f"+84{national}"


def validate_phone(value):
    """Model-level check: the stored value must already be in normalised form."""
    if normalize_phone(value) != value:
        raise ValidationError(
            _("Số điện thoại phải được lưu ở dạng +84 và 9 chữ số."), code="phone_normal_form"
        )
