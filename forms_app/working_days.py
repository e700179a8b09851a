"""Working-day arithmetic for the legal processing times of administrative procedures.

Processing times are set by law in working days, so a deadline skips weekends, the
public holidays (lunar Tết, Giỗ Tổ Hùng Vương, the days off the government swaps
each year…) and the days this portal's administrators record in ``CalendarDay``.

A day is a working day, in order of precedence:

1. as recorded by the administrators (``CalendarDay``): they publish the decisions of
   the province and correct the package, so their word is final;
2. as the ``holidays`` package says for Việt Nam: a public holiday or substituted day
   off is not one, a weekend day the government swapped to be worked is one;
3. otherwise when it falls Monday to Friday.

Which day a dossier counts as received on, and so when it falls due, is ``due_at``'s:
the one rule for every clock that starts or resumes.

Deadline computations read the ``CalendarDay`` rows of the dates they walk through in
one query, never one query per day.
"""

import datetime
import functools
import itertools
from collections.abc import Iterator

import holidays
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .constants import CalendarDayKind
from .models import CalendarDay, CalendarYear

# From this day of the year (month, day), the admin warns while next year's calendar is
# not confirmed: the last quarter, when the government announces next year's Tết and
# swapped days.
CONFIRM_NEXT_YEAR_FROM = (10, 1)

# The moment of the due date by which the result is owed: the office closes.
OFFICE_CLOSES_AT = datetime.time(17, 0)

ONE_DAY = datetime.timedelta(days=1)

# Calendar days a run of working days may take, with room to spare: weekends take two
# days in seven, and the longest break (Tết) about ten.
SPAN_PER_WORKING_DAY = 3
SPAN_MARGIN = 60


@functools.cache
def _national_calendar(year: int) -> tuple[frozenset[datetime.date], frozenset[datetime.date]]:
    """The days off and the weekend days worked that the ``holidays`` package knows in
    ``year``. Cached: the package's data does not change for its pinned version, and
    building its calendar costs far more than a set lookup."""
    calendar = holidays.country_holidays("VN", years=year)
    days_off = frozenset(calendar)
    # The package lists swapped weekend days of every year whatever ``years`` says.
    weekend_workdays = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return days_off, weekend_workdays


def _national_working_day(day: datetime.date) -> bool:
    """Whether ``day`` is a working day by the package's calendar and the weekend."""
    days_off, weekend_workdays = _national_calendar(day.year)
    if day.weekday() >= 5:
        return day in weekend_workdays
    return day not in days_off


def _recorded_kinds(first: datetime.date, last: datetime.date) -> dict[datetime.date, str]:
    """The kinds the administrators recorded for the days from ``first`` to ``last``
    (inclusive), by date, in one query."""
    rows = CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "kind")
    return dict(rows)


def _is_working_day(day: datetime.date, recorded: dict[datetime.date, str]) -> bool:
    """Whether ``day`` is a working day, given the recorded kinds around it."""
    kind = recorded.get(day)
    if kind is None:
        return _national_working_day(day)
    return kind == CalendarDayKind.WORKING_DAY


def _dates(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    """Every date from ``first`` to ``last``, inclusive."""
    for offset in range((last - first).days + 1):
        yield first + offset * ONE_DAY


def _working_days_after(start: datetime.date, span: int) -> Iterator[datetime.date]:
    """The working days after ``start``, in order, endlessly.

    The recorded days are read ``span`` calendar days at a time: one query when the
    caller's estimate of the span holds, one more per span when it does not.
    """
    window_start = start
    while True:
        window_end = window_start + span * ONE_DAY
        recorded = _recorded_kinds(window_start + ONE_DAY, window_end)
        for day in _dates(window_start + ONE_DAY, window_end):
            if _is_working_day(day, recorded):
                yield day
        window_start = window_end


def _check_date(value: datetime.date, name: str) -> None:
    """Refuse a datetime where a date is due: it would never equal a holiday's date and
    the count would silently ignore every holiday."""
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")


def is_working_day(day: datetime.date) -> bool:
    """Whether the offices work on ``day``."""
    _check_date(day, "day")
    return _is_working_day(day, _recorded_kinds(day, day))


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start``.

    ``start`` is the day the dossier counts as received (``due_at`` decides which) and
    is not counted itself, working day or not. ``days == 0`` gives ``start``.
    """
    _check_date(start, "start")
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    if days == 0:
        return start
    span = days * SPAN_PER_WORKING_DAY + SPAN_MARGIN
    return next(itertools.islice(_working_days_after(start, span), days - 1, None))


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days fall after ``start`` up to ``end`` included: the inverse
    of ``add_working_days`` (what a paused clock has used, or has left). 0 when ``end``
    is not after ``start``."""
    _check_date(start, "start")
    _check_date(end, "end")
    if end <= start:
        return 0
    first = start + ONE_DAY
    recorded = _recorded_kinds(first, end)
    return sum(_is_working_day(day, recorded) for day in _dates(first, end))


def next_working_day(day: datetime.date) -> datetime.date:
    """The first working day after ``day``."""
    _check_date(day, "day")
    return next(_working_days_after(day, SPAN_PER_WORKING_DAY + SPAN_MARGIN))


def close_of_office(day: datetime.date) -> datetime.datetime:
    """The moment a result owed on ``day`` falls due: the office closes, in the portal's
    time zone."""
    _check_date(day, "day")
    return datetime.datetime.combine(day, OFFICE_CLOSES_AT, tzinfo=timezone.get_default_timezone())


def due_at(
    received_at: datetime.datetime, days: int, *, cutoff: datetime.time
) -> datetime.datetime:
    """When a dossier received at ``received_at`` (aware) and owed in ``days`` working
    days falls due: the one rule of the one-stop shop, for every way a clock starts or
    resumes (receipt online, receipt at the counter, a supplement handed in).

    1. The day of receipt is the local one (Việt Nam), as the citizen and the official
       saw it: late evening UTC is already the next morning there.
    2. A dossier received after the agency's afternoon cut-off (``cutoff``, 15:00 unless
       the agency sets another, ``AgencyPage.receipt_cutoff``) or on a day the offices
       are closed (weekend, public holiday, a day recorded off) counts as received on
       the next working day.
    3. The time limit is counted in working days after that day: ``days == 0`` (a
       procedure settled within the day of receipt, such as "Đăng ký khai sinh", Luật
       Hộ tịch 2014 Điều 16) is due that same working day, ``days == 1`` the working day
       after, and so on.
    4. The result is owed by the close of office hours (17:00 local) of the due date.

    Legal source: the one-stop-shop rules on receiving dossiers and on processing times
    (Nghị định 61/2018/NĐ-CP, as amended by Nghị định 107/2021/NĐ-CP, with Thông tư
    01/2018/TT-VPCP, and Nghị định 45/2020/NĐ-CP for dossiers received electronically;
    since 01/07/2025 Nghị định 118/2025/NĐ-CP and Thông tư 03/2025/TT-VPCP), and the
    published records of same-day procedures, which write it out: "trường hợp nhận hồ sơ
    sau 15 giờ mà không giải quyết được ngay thì trả kết quả trong ngày làm việc tiếp
    theo". No article number is given here: none could be checked against the official
    texts (README, "Working days").
    """
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    office_zone = timezone.get_default_timezone()
    # Both refuse a naive datetime, whose day could not be known.
    moment = timezone.localtime(received_at, office_zone)
    received_on = timezone.localdate(received_at, timezone=office_zone)
    counted_from = received_on
    if moment.time() > cutoff or not is_working_day(received_on):
        counted_from = next_working_day(received_on)
    return close_of_office(add_working_days(counted_from, days))


def year_to_confirm(today: datetime.date | None = None) -> int | None:
    """Next year, when its calendar should be confirmed and is not: from 1 October
    (``CONFIRM_NEXT_YEAR_FROM``, the local day) until an administrator confirms it
    (``CalendarYear``). None otherwise."""
    today = today or timezone.localdate()
    _check_date(today, "today")
    if (today.month, today.day) < CONFIRM_NEXT_YEAR_FROM:
        return None
    next_year = today.year + 1
    if CalendarYear.objects.filter(year=next_year).exists():
        return None
    return next_year


def year_calendar(year: int) -> list[dict]:
    """Every day of ``year`` that is not what its weekday says (a weekday off, a weekend
    day worked), and every day recorded by the administrators, in order: what the
    deadlines will count, to compare with the government's decision before confirming
    the year. Each row: ``date``, ``working``, ``recorded`` (an administrator's record
    rather than the ``holidays`` package) and ``name`` (the record's note, or the
    package's name of the holiday)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    recorded = {day.date: day for day in CalendarDay.objects.filter(date__range=(first, last))}
    language = "en_US" if (get_language() or "vi").startswith("en") else "vi"
    names = holidays.country_holidays("VN", years=year, language=language)
    rows = []
    for day in _dates(first, last):
        record = recorded.get(day)
        working = _is_working_day(day, {day: record.kind} if record else {})
        if record is None and working == (day.weekday() < 5):
            continue
        if record is not None:
            name = record.note
        elif working:
            name = _("Ngày làm bù")
        else:
            name = names.get(day) or ""
        rows.append(
            {"date": day, "working": working, "recorded": record is not None, "name": name}
        )
    return rows
