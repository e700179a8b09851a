"""The login form's proof of work in a real browser: ``static/js/login-challenge.js`` solves
the challenge that ``accounts/challenge.py`` serves, under the portal's
Content-Security-Policy, and a citizen behind a busy shared address logs in (README.md,
"Brute-force protection"). The Django test client covers the server's side one rule at
a time (``accounts/tests/test_login.py``); only a browser runs the script."""

import re

import pytest
from django.test import RequestFactory
from playwright.sync_api import expect

from accounts import challenge
from accounts.tests.factories import UserFactory
from procedures.tests.factories import home_page
from tests.e2e.helpers import assert_accessible, log_in

pytestmark = pytest.mark.usefixtures("transactional_db")

LOGIN = "/tai-khoan/login/"


def fail_from_the_browsers_address(count):
    """Count failed logins for 127.0.0.1, the address the live server sees the browser at
    (others guessing passwords on the same shared address)."""
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="127.0.0.1")
    for _failure in range(count):
        challenge.record_failure(request)


def test_a_citizen_behind_a_busy_shared_address_logs_in(open_page, shots):
    # The page the login leads to: without it "/" is a 404 once an earlier test has
    # emptied the database of what the migrations made, and the browser logs that error.
    home_page()
    citizen = UserFactory(verified=True)
    fail_from_the_browsers_address(100)  # the hardest challenge there is
    page = open_page()
    refused = []  # what the Content-Security-Policy (or anything else) made fail
    page.on("console", lambda message: message.type == "error" and refused.append(message.text))

    page.goto(LOGIN)
    status = page.locator("main form [role=status]")
    expect(status).to_have_text("Đã kiểm tra bảo mật xong.", timeout=30_000)
    assert page.locator("input[name=login_proof]").input_value().isdigit()
    shots(page, "da-kiem-tra-bao-mat")
    assert_accessible(page, "the login form with a proof of work")

    # Sent at once, before the work is done: the script holds the form back until it is.
    page.reload()
    log_in(page, citizen.email)
    expect(page).not_to_have_url(re.compile(LOGIN))
    expect(page.locator(".account-nav")).to_contain_text("Đăng xuất")
    assert refused == []
