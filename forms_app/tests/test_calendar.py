"""The calendar the deadlines count on, as administrators keep it: a whole break of the
government's decision recorded at once, a year's days checked and confirmed with the
decision's number, and a warning from 1 October while next year is not confirmed.
Today is Monday 7 December 2026 (Hà Nội time); 2027 is next year."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.tests.factories import UserFactory
from forms_app import services
from forms_app.constants import CalendarDayKind
from forms_app.models import CalendarDay, CalendarYear, Dossier
from forms_app.tests.officials import make_official, submit
from forms_app.working_days import year_calendar
from procedures.tests.factories import make_agency, make_procedure

pytestmark = pytest.mark.django_db

INDEX = "/admin/forms_app/calendarday/"
WARNING_2027 = "Lịch nghỉ lễ, Tết năm 2027 chưa được xác nhận"
TODAY = "2026-12-07T10:00+07:00"
DECISION = "Thông báo số 6150/TB-BNV về lịch nghỉ Tết Âm lịch năm 2027"
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))
date = datetime.date


def at(moment):
    return time_machine.travel(datetime.datetime.fromisoformat(moment), tick=False)


@pytest.fixture
def webmaster(client):
    user = UserFactory(email="quan.tri@example.vn", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def page(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def record_url():
    return reverse("forms_app_calendar_record")


def year_url(year):
    return reverse("forms_app_calendar_year", args=[year])


# What the deadlines count in 2026 ----------------------------------------------------------
def test_the_2026_calendar_lists_every_day_off_and_day_worked():
    """The pinned package's 2026, which is the official one for Tết (14–22 February,
    with its weekends), Giỗ Tổ (Sunday 26 April, off on Monday 27), 30 April – 1 May and
    Quốc khánh (1–2 September); it also swaps Monday 31 August for Saturday 22 August and
    gives 24 November (Ngày Văn hóa Việt Nam) off."""
    rows = {row["date"]: row for row in year_calendar(2026)}
    assert sorted(rows) == [
        date(2026, 1, 1),
        *(date(2026, 2, day) for day in range(16, 21)),
        date(2026, 4, 27),
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 8, 22),
        date(2026, 8, 31),
        date(2026, 9, 1),
        date(2026, 9, 2),
        date(2026, 11, 24),
    ]
    assert rows[date(2026, 8, 22)]["working"] is True
    assert all(not row["working"] for day, row in rows.items() if day != date(2026, 8, 22))
    assert not any(row["recorded"] for row in rows.values())
    assert rows[date(2026, 2, 17)]["name"] == "Tết Nguyên Đán"


# Recording a decision -----------------------------------------------------------------------
def test_a_whole_break_is_recorded_at_once(client, webmaster):
    with at(TODAY):
        response = client.post(
            record_url(),
            {
                # Typed as the decision writes them, day first.
                "first": "14/02/2026",
                "last": "22/02/2026",
                "kind": CalendarDayKind.DAY_OFF,
                "note": "Thông báo số 7360/TB-BNV: nghỉ Tết Âm lịch 2026",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == year_url(2026)
    recorded = CalendarDay.objects.filter(date__range=(date(2026, 2, 14), date(2026, 2, 22)))
    assert recorded.count() == 9
    assert set(recorded.values_list("kind", flat=True)) == {CalendarDayKind.DAY_OFF}
    html = page(client, year_url(2026))
    assert "Quản trị viên ghi nhận" in html
    assert "7360/TB-BNV" in html
    listing = page(client, INDEX, {"nam": "2026"})
    assert "14/02/2026" in listing or "14 tháng 2" in listing


def test_a_make_up_saturday_recorded_moves_the_deadlines(client, webmaster):
    """A province decides Saturday 28 February 2026 is worked: a dossier of a same-day
    procedure received on Friday 27 after the cut-off is due that Saturday."""
    with at(TODAY):
        client.post(
            record_url(),
            {
                "first": "2026-02-28",
                "kind": CalendarDayKind.WORKING_DAY,
                "note": "Quyết định của UBND tỉnh: làm bù thứ Bảy 28/02/2026",
            },
        )
    assert CalendarDay.objects.get(date=date(2026, 2, 28)).kind == CalendarDayKind.WORKING_DAY
    with at("2026-02-27T15:30+07:00"):
        stp = make_agency()
        procedure = make_procedure(stp, processing_time_days=0)
        official = make_official(stp, "can.bo.stp@example.vn")
        dossier = submit(UserFactory(email="an@example.vn", verified=True), procedure)
        services.receive_dossier(dossier=dossier, actor=official)
    assert Dossier.objects.get(pk=dossier.pk).due_at == datetime.datetime(
        2026, 2, 28, 17, tzinfo=VIETNAM
    )


def test_a_later_decision_updates_the_days_already_recorded(client, webmaster):
    CalendarDay.objects.create(
        date=date(2027, 2, 11), kind=CalendarDayKind.WORKING_DAY, note="Dự kiến"
    )
    with at(TODAY):
        response = client.post(
            record_url(),
            {"first": "2027-02-11", "last": "2027-02-12", "kind": "day_off", "note": DECISION},
        )
    assert response.status_code == 302
    assert sorted(CalendarDay.objects.values_list("date", "kind", "note")) == [
        (date(2027, 2, 11), "day_off", DECISION),
        (date(2027, 2, 12), "day_off", DECISION),
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"first": "2027-02-12", "last": "2027-02-04"}, "last", "Ngày cuối không được trước"),
        ({"first": "2027-01-01", "last": "2027-03-01"}, "last", "tối đa 31 ngày liên tiếp"),
        ({"first": "2027-02-04", "note": "  "}, "note", "văn bản làm căn cứ"),
        ({"first": "31/02/2027"}, "first", "Ngày không hợp lệ"),
        ({"first": "2027-02-04", "kind": "holiday"}, "kind", "chọn một lựa chọn hợp lệ"),
    ],
)
def test_a_bad_range_is_told_at_its_field_and_records_nothing(
    client, webmaster, data, field, message
):
    with at(TODAY):
        response = client.post(
            record_url(), {"kind": "day_off", "note": DECISION, "last": "", **data}
        )
    assert response.status_code == 200
    errors = " ".join(str(error) for error in response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert not CalendarDay.objects.exists()


# Confirming a year, and the warning until it is ---------------------------------------------
def test_next_year_is_confirmed_with_the_decision_and_the_warning_goes(client, webmaster):
    with at(TODAY):
        assert WARNING_2027 in page(client, "/admin/")
        assert WARNING_2027 in page(client, INDEX)
        assert "chưa xác nhận" in page(client, INDEX)
        year_page = page(client, year_url(2027))
        assert WARNING_2027 in year_page
        assert "Tết Nguyên Đán" in year_page  # the package's 2027 Tết, to compare
        response = client.post(year_url(2027), {"decision": DECISION})
        assert response.status_code == 302
        confirmation = CalendarYear.objects.get(year=2027)
        assert (confirmation.decision, confirmation.confirmed_by) == (DECISION, webmaster)
        assert WARNING_2027 not in page(client, "/admin/")
        listing = page(client, INDEX)
        assert WARNING_2027 not in listing
        assert "đã xác nhận theo Thông báo số 6150/TB-BNV" in listing
        assert "Đã xác nhận theo Thông báo số 6150/TB-BNV" in page(client, year_url(2027))


@pytest.mark.parametrize(
    ("moment", "warned"),
    [
        ("2026-09-30T10:00+07:00", False),  # the third quarter
        ("2026-09-30T23:30Z", True),  # 06:30 on 1 October in Hà Nội
        ("2026-10-01T08:00+07:00", True),
        (TODAY, True),
        ("2026-12-06T23:30Z", True),  # 06:30 on 7 December in Hà Nội
        ("2026-12-31T17:30Z", False),  # 00:30 on 1 January 2027: next year is 2028
    ],
)
def test_the_warning_comes_with_the_last_quarter(client, webmaster, moment, warned):
    with at(moment):
        client.force_login(webmaster)  # a session of that day
        dashboard = page(client, "/admin/")
        listing = page(client, INDEX)
    assert (WARNING_2027 in dashboard) is warned
    assert (WARNING_2027 in listing) is warned
    assert "Lịch nghỉ lễ, Tết năm 2028 chưa được xác nhận" not in dashboard


def test_a_decision_is_needed_to_confirm_a_year(client, webmaster):
    with at(TODAY):
        response = client.post(year_url(2027), {"decision": "   "})
    assert response.status_code == 200
    assert "decision" in response.context["form"].errors
    assert not CalendarYear.objects.exists()


def test_only_years_near_today_are_confirmed(client, webmaster):
    with at(TODAY):
        response = client.post(year_url(2031), {"decision": DECISION})
        assert page(client, year_url(2031))
        assert client.get(year_url(1999)).status_code == 404
    assert response.status_code == 200
    assert "Chỉ xác nhận lịch của các năm từ 2025 đến 2028." in response.content.decode()
    assert not CalendarYear.objects.exists()


def test_an_official_neither_records_nor_confirms_nor_is_warned(client):
    official = make_official(make_agency(), "can.bo.stp@example.vn")
    client.force_login(official)
    with at(TODAY):
        assert WARNING_2027 not in page(client, "/admin/")
        # Wagtail's answer to a permission refused in the admin: back to the dashboard.
        for response in (
            client.get(record_url()),
            client.post(record_url(), {"first": "2027-02-04", "kind": "day_off", "note": "x"}),
            client.get(year_url(2027)),
            client.post(year_url(2027), {"decision": DECISION}),
        ):
            assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not CalendarDay.objects.exists()
    assert not CalendarYear.objects.exists()
