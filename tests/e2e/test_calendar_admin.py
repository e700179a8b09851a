"""The holiday calendar in the admin, as whoever confirms next year's calendar sees it:
the dashboard's warning, the recorded days, recording a break, and a year's page — each
shot at 360 and 1280 px through the layout guard (helpers.at_each_width)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from procedures.tests.factories import home_page
from tests.e2e.helpers import log_in_by_cookie

pytestmark = pytest.mark.usefixtures("transactional_db")


def test_the_calendar_screens_read_well_on_a_phone_and_a_desktop(live_server, open_page, shots):
    # The site's page tree, which the admin's dashboard counts: an earlier test may have
    # emptied the database of what the migrations made.
    home_page()
    webmaster = UserFactory(
        email="quan.tri@example.vn", verified=True, is_staff=True, is_superuser=True
    )
    page = open_page()
    log_in_by_cookie(page.context, webmaster, live_server)
    next_year = timezone.localdate().year + 1

    page.goto("/admin/")
    if timezone.localdate().month >= 10:  # the warning shows from 1 October
        expect(page.locator("main")).to_contain_text(str(next_year))
    shots(page, "bang-dieu-khien")

    page.goto("/admin/forms_app/calendarday/")
    expect(page.locator("h1")).to_contain_text("Ngày nghỉ, ngày làm bù")
    shots(page, "ngay-nghi-ngay-lam-bu")

    page.goto("/admin/forms_app/calendarday/ghi-nhan/")
    expect(page.locator("main form")).to_be_visible()
    shots(page, "ghi-nhan-theo-van-ban")

    page.goto(f"/admin/forms_app/calendarday/nam/{next_year}/")
    expect(page.locator("main")).to_contain_text(str(next_year))
    shots(page, f"lich-nam-{next_year}")
