"""Logging in by e-mail, unverified accounts, and the brute-force rules (README.md): locks
per account, a proof of work per address."""

import datetime
import time

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.urls import reverse

from accounts import challenge
from accounts.selectors import can_submit_dossiers

from .factories import PASSWORD, UserFactory
from .helpers import solve_login_challenge

pytestmark = pytest.mark.django_db

LOCKED = "Đăng nhập sai quá nhiều lần nên tạm thời bị khóa"


CHALLENGE_MISSING = "Trình duyệt chưa làm xong bước kiểm tra bảo mật"
CHALLENGE_SPENT = "Bước kiểm tra bảo mật đã hết hạn hoặc đã được dùng"


def login(client, email, password, address="10.0.0.1", **fields):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password, **fields},
        REMOTE_ADDR=address,
    )


def attempts_asked(response):
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return int(page.find(attrs={"data-login-challenge": True})["data-attempts"])


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_login_by_email_in_any_letter_case(client):
    UserFactory(email="an.nguyen@example.vn", verified=True)
    response = login(client, "An.Nguyen@EXAMPLE.vn", PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_wrong_password_is_refused_in_vietnamese(client):
    UserFactory(email="an.nguyen@example.vn")
    response = login(client, "an.nguyen@example.vn", "Sai-Mat-Khau-1")
    assert response.status_code == 200
    assert "Email hoặc mật khẩu không đúng." in response.content.decode()
    assert not is_logged_in(client)


def test_unverified_account_logs_in_but_cannot_submit_dossiers(client):
    user = UserFactory(email="chua.kich.hoat@example.vn", verified=False)
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)
    page = client.get(response.url).content.decode()
    assert "Email của bạn chưa được xác thực" in page
    assert not can_submit_dossiers(user)


def test_logout_is_a_post_and_ends_the_session(client):
    user = UserFactory(verified=True)
    client.force_login(user)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not is_logged_in(client)


def test_five_failures_lock_the_account_from_that_address(client):
    victim = UserFactory(email="nan.nhan@example.vn", verified=True)
    for _attempt in range(5):
        login(client, victim.email, "Doan-Mo-123", address="203.0.113.7")

    refused = login(client, victim.email, PASSWORD, address="203.0.113.7")
    assert refused.status_code == 200
    assert LOCKED in refused.content.decode()
    assert not is_logged_in(client)


def test_one_address_cannot_lock_the_citizen_out_elsewhere(client):
    victim = UserFactory(email="nan.nhan@example.vn", verified=True)
    for _attempt in range(100):
        login(client, victim.email, "Doan-Mo-123", address="203.0.113.7")

    # The attacker's address is stopped (even with the right password: after 30 tries a
    # minute the login page itself answers 429)...
    stopped = login(client, victim.email, PASSWORD, address="203.0.113.7")
    assert stopped.status_code == 429
    assert "Quá nhiều yêu cầu" in stopped.content.decode()
    assert not is_logged_in(client)
    # ...and the citizen, at home, logs in as usual.
    assert login(client, victim.email, PASSWORD, address="198.51.100.20").status_code == 302
    assert is_logged_in(client)


# One address, many accounts: a proof of work, never a lock (accounts/challenge.py) ---------
# A mobile carrier's shared address (CGNAT) or a one-stop-shop's Wi-Fi: many citizens, and
# somebody among them guessing other people's passwords.
SHARED = "203.0.113.7"


def guess_others(client, count, address=SHARED):
    for n in range(count):
        login(client, f"doan.{n}@example.vn", "Doan-Mo-123", address=address)


def login_form(client, address=SHARED):
    return client.get(reverse("account_login"), REMOTE_ADDR=address)


def solved_login(client, email, password, address=SHARED):
    """Log in as a browser does: load the form, solve its challenge, send it."""
    proof = solve_login_challenge(login_form(client, address))
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password, **proof},
        REMOTE_ADDR=address,
    )


def test_many_failures_from_one_address_do_not_lock_out_the_citizens_behind_it(client):
    citizen = UserFactory(email="nguoi.khac@example.vn", verified=True)
    guess_others(client, 25)

    response = solved_login(client, citizen.email, PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_form_asks_for_the_proof_from_that_address_only_and_after_twenty_failures(client):
    guess_others(client, 19)
    assert "data-login-challenge" not in login_form(client).content.decode()

    guess_others(client, 1)
    page = login_form(client).content.decode()
    assert "data-login-challenge" in page
    assert 'data-working="Đang kiểm tra bảo mật…"' in page
    assert 'role="status"' in page
    assert '<script src="/static/js/login-challenge.js" defer></script>' in page
    assert finders.find("js/login-challenge.js")
    assert "data-login-challenge" not in login_form(client, "198.51.100.20").content.decode()


def test_an_ipv6_network_counts_as_one_address(client):
    """A phone or a household gets a whole /64: moving within it starts no fresh count."""
    for n in range(20):
        login(client, f"doan.{n}@example.vn", "Doan-Mo-123", address=f"2001:db8:7:1::{n + 1:x}")

    assert "data-login-challenge" in login_form(client, "2001:db8:7:1:abcd::9").content.decode()
    assert "data-login-challenge" not in login_form(client, "2001:db8:7:2::1").content.decode()


def test_without_the_proof_the_password_is_not_even_checked(client, hashed):
    citizen = UserFactory(email="nguoi.khac@example.vn", verified=True)
    guess_others(client, 20)
    hashed.clear()

    refused = login(client, citizen.email, PASSWORD, address=SHARED)
    assert refused.status_code == 200
    assert CHALLENGE_MISSING in refused.content.decode()
    assert not is_logged_in(client)
    # Wrong guesses without the proof are not checked either, so they count nowhere: not
    # even toward the 5 failures that lock the account for this address.
    for _attempt in range(5):
        assert (
            CHALLENGE_MISSING
            in login(client, citizen.email, "Doan-Mo-123", SHARED).content.decode()
        )
    assert hashed == []

    assert solved_login(client, citizen.email, PASSWORD).status_code == 302


def test_a_wrong_proof_is_refused(client):
    citizen = UserFactory(email="nguoi.khac@example.vn", verified=True)
    guess_others(client, 20)
    proof = solve_login_challenge(login_form(client))
    wrong = str((int(proof["login_proof"]) + 1) % 128)

    refused = login(
        client,
        citizen.email,
        PASSWORD,
        SHARED,
        login_proof=wrong,
        login_challenge=proof["login_challenge"],
    )
    assert CHALLENGE_MISSING in refused.content.decode()
    assert not is_logged_in(client)


def test_a_proof_works_once(client):
    citizen = UserFactory(email="nguoi.khac@example.vn", verified=True)
    guess_others(client, 25)
    proof = solve_login_challenge(login_form(client))
    fields = {"login": citizen.email, "password": PASSWORD, **proof}
    assert client.post(reverse("account_login"), fields, REMOTE_ADDR=SHARED).status_code == 302
    client.post(reverse("account_logout"))

    replayed = client.post(reverse("account_login"), fields, REMOTE_ADDR=SHARED)
    assert replayed.status_code == 200
    assert CHALLENGE_SPENT in replayed.content.decode()
    assert not is_logged_in(client)


def test_a_proof_expires(client):
    citizen = UserFactory(email="nguoi.khac@example.vn", verified=True)
    # Early in a clock hour, so that the failures still count 16 minutes later (late in
    # one, the next hour would weigh them down below the threshold).
    early = datetime.datetime.now(datetime.UTC).replace(minute=5)
    with time_machine.travel(early, tick=True) as clock:
        guess_others(client, 20)
        proof = solve_login_challenge(login_form(client))
        clock.shift(datetime.timedelta(minutes=16))
        refused = login(client, citizen.email, PASSWORD, SHARED, **proof)
    assert CHALLENGE_SPENT in refused.content.decode()
    assert not is_logged_in(client)


def test_the_proof_grows_with_the_failures_up_to_a_cap(client):
    guess_others(client, 20)
    first = attempts_asked(login_form(client))
    # From there on only guesses sent with a proof reach the password, and count.
    for n in range(10):
        solved_login(client, f"doan.{n}@example.vn", "Doan-Mo-123")
    assert attempts_asked(login_form(client)) == 4 * first

    assert challenge.attempts_for(19) == 0
    assert challenge.attempts_for(20) == challenge.MIN_ATTEMPTS
    assert challenge.attempts_for(10_000) == challenge.MAX_ATTEMPTS


def test_the_account_limits_still_lock_behind_the_proof(client):
    victim = UserFactory(email="nan.nhan@example.vn", verified=True)
    guess_others(client, 20)
    for _attempt in range(5):
        assert solved_login(client, victim.email, "Doan-Mo-123").status_code == 200

    refused = solved_login(client, victim.email, PASSWORD)
    assert LOCKED in refused.content.decode()
    assert not is_logged_in(client)


def test_failures_from_many_addresses_lock_the_account_everywhere(client):
    victim = UserFactory(email="nan.nhan@example.vn", verified=True)
    for n in range(50):
        login(client, victim.email, "Doan-Mo-123", address=f"203.0.113.{n // 4}")

    refused = login(client, victim.email, PASSWORD, address="198.51.100.20")
    assert LOCKED in refused.content.decode()


def test_the_lock_lifts_after_the_cool_off(client, monkeypatch):
    victim = UserFactory(email="nan.nhan@example.vn", verified=True)
    for _attempt in range(5):
        login(client, victim.email, "Doan-Mo-123", address="203.0.113.7")
    assert LOCKED in login(client, victim.email, PASSWORD, "203.0.113.7").content.decode()

    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert login(client, victim.email, PASSWORD, address="203.0.113.7").status_code == 302


def test_successful_logins_do_not_count_as_failures(client):
    user = UserFactory(email="thuong.xuyen@example.vn", verified=True)
    for _attempt in range(8):
        assert login(client, user.email, PASSWORD).status_code == 302
        client.logout()
    assert login(client, user.email, PASSWORD).status_code == 302
