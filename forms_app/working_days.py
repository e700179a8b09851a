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

Deadline computations read the ``CalendarDay`` rows of the dates they walk through in
one query, never one query per day.
"""

import datetime
import functools
import itertools
from collections.abc import Iterator

import holidays
from django.utils import timezone

from .constants import CalendarDayKind
from .models import CalendarDay

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

    ``start`` is the day the dossier was received and is not counted, working day or
    not: the law counts from the next working day. ``days == 0`` gives ``start``.
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


def due_at(received_at: datetime.datetime, days: int) -> datetime.datetime:
    """When a result received at ``received_at`` (aware) and owed in ``days`` working
    days falls due: the close of office hours, in the portal's time zone, of the due
    date. The day of receipt is the local one, as the citizen and the official saw it:
    late evening UTC is already the next morning in Việt Nam."""
    office_zone = timezone.get_default_timezone()
    received_on = timezone.localdate(received_at, timezone=office_zone)
    due_date = add_working_days(received_on, days)
    if days == 0 and not is_working_day(due_date):
        # Nothing left to count (a supplement requested on the due day): the next day
        # the office is open, not a Sunday or a holiday.
        due_date = add_working_days(due_date, 1)
    return datetime.datetime.combine(due_date, OFFICE_CLOSES_AT, tzinfo=office_zone)
