"""The one place where dates, times and amounts are written and read the Vietnamese way.

Pages (through the template filters of ``core.templatetags.vn_format``), PDFs, e-mails,
CSV exports and forms all use these functions, so that a date is "20/11/2026" everywhere
and never "2026-11-20" or "11/20/2026".

- Dates are day first: ``dd/mm/yyyy``. What people type is read the same way
  (``DATE_INPUT_FORMATS``): "20/11/2026", "5/11/2026", "05-11-2026", "05.11.2026", and
  the ISO form that date pickers and the API send; never month first.
- The long form of administrative documents is "ngày 05 tháng 11 năm 2026": Nghị định
  30/2020/NĐ-CP on clerical work (Phụ lục I, mục II.5) writes days below 10 and the
  months January and February with a leading zero.
- Aware datetimes are shown in the portal's time zone (Asia/Ho_Chi_Minh): the local day
  is ``timezone.localdate()``, never ``.date()`` of an aware datetime, which is the UTC
  day and between 17:00 and 24:00 UTC the day before Hà Nội's.
- Amounts are whole đồng with dots between thousands: "50.000 đồng", and in words as
  receipts write them a second time: "Một triệu không trăm linh năm nghìn đồng".
"""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

# Day first, in the order they are tried. ``%d`` and ``%m`` also read one digit, so
# "5/11/2026" is 5 November. ISO last: what ``<input type="date">`` and the API send.
DATE_INPUT_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
DATETIME_INPUT_FORMATS = (
    *(f"{date} {time}" for date in DATE_INPUT_FORMATS for time in ("%H:%M", "%H:%M:%S")),
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
)

# What a date field shows the citizen, next to it and as its placeholder.
DATE_HINT = "dd/mm/yyyy"


def local_date(value):
    """The Vietnamese calendar day of ``value``: a date as it is, an aware datetime in
    the portal's time zone, ISO text (as dossiers keep form answers) parsed. ``None``
    for empty or unreadable text."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            return timezone.localdate(value, timezone=timezone.get_default_timezone())
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def parse_date(text):
    """A date typed the Vietnamese way (``DATE_INPUT_FORMATS``), or ``None``."""
    text = (text or "").strip()
    for pattern in DATE_INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def format_date(value):
    """20/11/2026. Empty text for nothing; unreadable text is shown as it is."""
    day = local_date(value)
    if day is None:
        return "" if value in (None, "") else str(value)
    return f"{day:%d/%m/%Y}"


def format_datetime(value):
    """20/11/2026 14:05, in Hà Nội time."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value, timezone.get_default_timezone())
    return f"{value:%d/%m/%Y %H:%M}"


def long_date(value):
    """ "ngày 05 tháng 11 năm 2026", as an administrative document dates itself
    (Nghị định 30/2020/NĐ-CP, Phụ lục I: a leading zero for days 1–9 and for months 1
    and 2)."""
    day = local_date(value)
    if day is None:
        return ""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("ngày %(day)s tháng %(month)s năm %(year)s") % {
        "day": f"{day.day:02d}",
        "month": month,
        "year": day.year,
    }


def group_thousands(number):
    """1234567 → "1.234.567", as Vietnamese writes numbers."""
    return f"{number or 0:,}".replace(",", ".")


def format_vnd(amount):
    """50000 → "50.000 đồng"; nothing to pay → "Không thu phí", as fee schedules say."""
    if not amount:
        return _("Không thu phí")
    return _("%(amount)s đồng") % {"amount": group_thousands(amount)}


# Amounts in words ------------------------------------------------------------------------
DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# The names of the groups of three digits under a thousand million; above it the
# reading starts again before "tỷ" (1.000.000.000.000 is "một nghìn tỷ").
GROUP_NAMES = ("", "nghìn", "triệu")
BILLION = 10**9


def _units_after_tens(tens, units):
    """The last digit as it is read after a tens digit: "mốt" after "hai mươi" and
    above, "lăm" after any tens; "bốn" (not the colloquial "tư") everywhere."""
    if units == 1 and tens >= 2:
        return "mốt"
    if units == 5:
        return "lăm"
    return DIGITS[units]


def _three_digits(number, *, full):
    """0 < ``number`` < 1000 in words. ``full`` reads an inner group with all three
    digits, as receipts write it ("không trăm linh năm" for 005); the leading group
    is read as it stands ("năm")."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += ["linh", DIGITS[units]] if words else [DIGITS[units]]
    elif tens == 1:
        words.append("mười")
        if units:
            words.append(_units_after_tens(tens, units))
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append(_units_after_tens(tens, units))
    return words


def _words(number, *, full=False):
    """``number`` > 0 in words, without "đồng"."""
    if number >= BILLION:
        billions, rest = divmod(number, BILLION)
        words = [*_words(billions, full=full), "tỷ"]
        return words + (_words(rest, full=True) if rest else [])
    groups = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    words = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue  # a group of zeros is not read: "một triệu", "một tỷ năm nghìn"
        leading = not words and not full
        words += _three_digits(group, full=not leading)
        if GROUP_NAMES[index]:
            words.append(GROUP_NAMES[index])
    return words


def amount_in_words(amount):
    """An amount in đồng written in words as receipts write it a second time, with a
    capital letter: 1005000 → "Một triệu không trăm linh năm nghìn đồng".

    The receipt style reads every group of three digits after the first in full
    ("không trăm", "linh" for an empty tens place), "mười" for ten to nineteen, "mốt"
    for a final one after twenty and above, "lăm" for a final five after any tens,
    and "bốn" for four. num2words (the library this replaced) drops the "không trăm"
    and says "lẻ": "một triệu năm nghìn", which a finance officer would not write.
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValueError(f"An amount in words is a whole, non-negative number, not {amount!r}.")
    words = " ".join(_words(amount)) if amount else DIGITS[0]
    return f"{words[:1].upper()}{words[1:]} {_('đồng')}"


# Amounts as people type them --------------------------------------------------------------
# Whole đồng, grouped by dots as Vietnamese writes them ("1.005.000"), by spaces or commas
# as some keyboards and spreadsheets do, or not at all; "đồng", "đ" or "VND" may follow.
_AMOUNT = re.compile(r"^(\d{1,3}(?:([.,\s])\d{3})?(?:\2\d{3})*|\d+)$")
_CURRENCY = re.compile(r"\s*(đồng|đ|vnđ|vnd)\s*$", re.IGNORECASE)


def parse_vnd(text):
    """ "50.000", "50000", "50 000", "1.005.000 đồng" → whole đồng; ``None`` for anything
    else. "200.000" is two hundred thousand đồng: Django's IntegerField reads it as 200
    (it drops a trailing ".000" as decimals), which would confirm a fee a thousand times
    too small."""
    text = _CURRENCY.sub("", str(text or "").strip())
    if not _AMOUNT.match(text):
        return None
    return int(re.sub(r"[.,\s]", "", text))
