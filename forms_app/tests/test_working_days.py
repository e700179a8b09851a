"""Working-day deadlines, on the real calendar of 2026 (``holidays`` 0.109)."""

import datetime
from zoneinfo import ZoneInfo

import holidays
import pytest

from forms_app.constants import CalendarDayKind
from forms_app.models import CalendarDay
from forms_app.working_days import (
    add_working_days,
    due_at,
    is_working_day,
    working_days_between,
)
from procedures.constants import DEFAULT_RECEIPT_CUTOFF

pytestmark = [pytest.mark.django_db, pytest.mark.any_hour]

date = datetime.date
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
CUTOFF = DEFAULT_RECEIPT_CUTOFF


def record(day, kind):
    return CalendarDay.objects.create(date=day, kind=kind, note="test")


def test_fifteen_working_days_skip_tet():
    # Tết 2026: Monday 16 to Friday 20 February off, between two weekends.
    assert add_working_days(date(2026, 2, 10), 15) == date(2026, 3, 10)


def test_recorded_make_up_saturday_counts():
    saturday = date(2026, 2, 28)
    assert not is_working_day(saturday)

    record(saturday, CalendarDayKind.WORKING_DAY)

    assert is_working_day(saturday)
    assert add_working_days(date(2026, 2, 10), 15) == date(2026, 3, 9)


def test_recorded_day_off_on_a_weekday_pushes_the_deadline():
    wednesday = date(2026, 3, 4)
    record(wednesday, CalendarDayKind.DAY_OFF)

    assert not is_working_day(wednesday)
    assert add_working_days(date(2026, 2, 10), 15) == date(2026, 3, 11)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 10), True),  # an ordinary Tuesday
        (date(2026, 3, 14), False),  # an ordinary Saturday
        (date(2026, 3, 15), False),  # an ordinary Sunday
        (date(2026, 1, 1), False),  # New Year's Day
        (date(2026, 2, 17), False),  # Tết
        (date(2026, 4, 27), False),  # Giỗ Tổ (Sunday 26 April), observed on Monday
        (date(2026, 4, 30), False),
        (date(2026, 5, 1), False),
        (date(2026, 9, 1), False),
        (date(2026, 9, 2), False),
        # The government swapped Monday 31 August off against Saturday 22 August worked.
        (date(2026, 8, 31), False),
        (date(2026, 8, 22), True),
    ],
)
def test_national_calendar(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "kind", "working"),
    [
        (date(2026, 8, 22), CalendarDayKind.DAY_OFF, False),  # over the package's swap
        (date(2026, 9, 1), CalendarDayKind.WORKING_DAY, True),  # over a holiday
        (date(2026, 3, 14), CalendarDayKind.WORKING_DAY, True),  # over the weekend
    ],
)
def test_recorded_day_wins(day, kind, working):
    record(day, kind)
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "days"),
    [
        (date(2026, 2, 10), 0),
        (date(2026, 2, 10), 1),
        (date(2026, 2, 10), 15),
        (date(2026, 2, 14), 5),  # received on a Saturday
        (date(2026, 2, 17), 3),  # received on a holiday
        (date(2026, 4, 24), 10),
        (date(2026, 8, 20), 8),
        (date(2025, 12, 15), 40),  # across the new year
        (date(2026, 1, 2), 200),
    ],
)
def test_working_days_between_is_the_inverse(start, days):
    assert working_days_between(start, add_working_days(start, days)) == days


def test_working_days_between_counts_end_not_start():
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 10)) == 1
    assert working_days_between(date(2026, 3, 10), date(2026, 3, 10)) == 0
    assert working_days_between(date(2026, 3, 10), date(2026, 3, 2)) == 0
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 22)) == 0  # Tết week


def test_paused_clock_resumes_with_the_days_left():
    received, days = date(2026, 4, 20), 10
    old_due = add_working_days(received, days)
    assert old_due == date(2026, 5, 7)  # skips 27 April, 30 April and 1 May

    paused_on = date(2026, 4, 24)
    days_left = working_days_between(paused_on, old_due)
    assert days_left == 6
    resumed_on = add_working_days(paused_on, 3)  # a 3-working-day pause
    assert resumed_on == date(2026, 5, 4)

    new_due = add_working_days(resumed_on, days_left)
    assert new_due == add_working_days(old_due, 3) == date(2026, 5, 12)


def test_due_at_is_close_of_office_on_the_local_due_date():
    # 20:30 UTC on Monday 9 February is 03:30 on Tuesday 10 February in Việt Nam.
    received_at = datetime.datetime(2026, 2, 9, 20, 30, tzinfo=datetime.UTC)

    due = due_at(received_at, 15, cutoff=CUTOFF)

    assert due == datetime.datetime(2026, 3, 10, 17, 0, tzinfo=VIETNAM)
    assert due.tzinfo is not None
    assert due.utcoffset() == datetime.timedelta(hours=7)
    assert (due.date(), due.time()) == (date(2026, 3, 10), datetime.time(17, 0))


def test_due_at_refuses_naive_datetime():
    with pytest.raises(ValueError):
        due_at(datetime.datetime(2026, 2, 10, 9, 0), 15, cutoff=CUTOFF)


def test_negative_days_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 2, 10), -1)
    with pytest.raises(ValueError):
        due_at(datetime.datetime(2026, 2, 10, 9, 0, tzinfo=VIETNAM), -1, cutoff=CUTOFF)


@pytest.mark.parametrize("start", [date(2026, 3, 10), date(2026, 2, 17), date(2026, 3, 14)])
def test_zero_days_is_the_same_date(start):
    assert add_working_days(start, 0) == start


def test_datetime_refused_where_a_date_is_due():
    with pytest.raises(TypeError):
        add_working_days(datetime.datetime(2026, 2, 10, 9, 0, tzinfo=VIETNAM), 1)
    with pytest.raises(TypeError):
        is_working_day(datetime.datetime(2026, 2, 10, 9, 0, tzinfo=VIETNAM))


def test_long_deadline_reads_the_calendar_once(django_assert_max_num_queries):
    record(date(2026, 6, 1), CalendarDayKind.DAY_OFF)
    record(date(2026, 6, 6), CalendarDayKind.WORKING_DAY)
    start = date(2026, 1, 2)

    with django_assert_max_num_queries(2):
        due = add_working_days(start, 200)

    # The package's own working days, corrected by the two recorded days, which cancel out.
    vn = holidays.country_holidays("VN", years=(2026, 2027))
    expected = start
    for _ in range(200):
        expected += datetime.timedelta(days=1)
        while not vn.is_working_day(expected):
            expected += datetime.timedelta(days=1)
    assert due == expected


def test_deadline_past_the_estimated_span_reads_further():
    # Far more days off than the estimate for one working day allows (3 + 60 days).
    start = date(2026, 3, 1)
    CalendarDay.objects.bulk_create(
        CalendarDay(date=start + datetime.timedelta(days=n), kind=CalendarDayKind.DAY_OFF)
        for n in range(1, 101)
    )

    assert add_working_days(start, 1) == date(2026, 6, 10)  # the day after the 100 off


def test_nothing_left_to_count_falls_due_on_the_next_working_day():
    """A supplement asked for on the due day leaves 0 working days; resumed on a
    Saturday, the dossier is due on Monday, not that Saturday."""
    saturday = datetime.datetime(2026, 3, 14, 10, tzinfo=VIETNAM)

    assert due_at(saturday, 0, cutoff=CUTOFF) == datetime.datetime(2026, 3, 16, 17, tzinfo=VIETNAM)
