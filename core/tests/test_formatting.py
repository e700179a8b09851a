"""Dates and amounts written the Vietnamese way, as every page, PDF, e-mail and export
writes them (core/formatting.py)."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from core.formatting import (
    format_date,
    format_datetime,
    format_vnd,
    long_date,
    parse_date,
    parse_vnd,
)

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (datetime.date(2026, 11, 20), "20/11/2026"),
        (datetime.date(2026, 1, 5), "05/01/2026"),
        ("2026-11-20", "20/11/2026"),  # how a dossier keeps a form's date answer
        # 23:30 UTC on 30/11 is 06:30 on 01/12 in Hà Nội: the day shown is Hà Nội's.
        (datetime.datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "01/12/2026"),
        (None, ""),
        ("", ""),
    ],
)
def test_dates_are_written_day_first_on_the_hanoi_calendar(value, shown):
    assert format_date(value) == shown


def test_a_moment_is_written_in_hanoi_time():
    moment = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert format_datetime(moment) == "01/12/2026 06:30"
    assert format_datetime(None) == ""


@pytest.mark.parametrize(
    ("day", "written"),
    [
        # Nghị định 30/2020/NĐ-CP: a leading zero for days 1–9 and for January and February.
        (datetime.date(2026, 11, 5), "ngày 05 tháng 11 năm 2026"),
        (datetime.date(2026, 2, 14), "ngày 14 tháng 02 năm 2026"),
        (datetime.date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
        (datetime.date(2026, 3, 1), "ngày 01 tháng 3 năm 2026"),
    ],
)
def test_documents_date_themselves_in_the_long_form(day, written):
    with translation.override("vi"):
        assert long_date(day) == written


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("20/11/2026", datetime.date(2026, 11, 20)),
        ("05/11/2026", datetime.date(2026, 11, 5)),
        ("5/11/2026", datetime.date(2026, 11, 5)),
        ("05-11-2026", datetime.date(2026, 11, 5)),
        ("05.11.2026", datetime.date(2026, 11, 5)),
        ("2026-11-05", datetime.date(2026, 11, 5)),
        ("11/20/2026", None),  # month first is never read
        ("31/02/2026", None),
        ("20/11/26", None),  # a two-digit year is a guess
        ("", None),
    ],
)
def test_typed_dates_are_read_day_first(typed, day):
    assert parse_date(typed) == day


def test_amounts_are_whole_dong_with_dots():
    with translation.override("vi"):
        assert format_vnd(1_005_000) == "1.005.000 đồng"
        assert format_vnd(0) == "Không thu phí"


def test_the_filters_need_no_load_in_any_template():
    rendered = Template("{{ day|ngay }} {{ moment|ngay_gio }} {{ day|ngay_dai }} {{ fee|vnd }}")
    with translation.override("vi"):
        text = rendered.render(
            Context(
                {
                    "day": datetime.date(2026, 11, 5),
                    "moment": datetime.datetime(2026, 11, 30, 23, 30, tzinfo=UTC),
                    "fee": 50_000,
                }
            )
        )
    assert text == "05/11/2026 01/12/2026 06:30 ngày 05 tháng 11 năm 2026 50.000 đồng"


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("50.000", 50_000),
        ("1.005.000", 1_005_000),
        ("200000", 200_000),
        ("200 000", 200_000),
        ("50,000", 50_000),
        ("5.000 đồng", 5_000),
        ("5.000đ", 5_000),
        ("0", 0),
        ("200.0", None),  # not a grouping: refused, never read as 200
        ("5.000,5", None),
        ("1.00.000", None),
        ("-5.000", None),
        ("", None),
    ],
)
def test_amounts_are_read_as_whole_dong_grouped_by_thousands(typed, amount):
    assert parse_vnd(typed) == amount
