"""Logging in by e-mail, unverified accounts, and the brute-force rule (README.md)."""

import time

import pytest
from django.urls import reverse

from accounts.selectors import can_submit_dossiers

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Đăng nhập sai quá nhiều lần nên tạm thời bị khóa"


def login(client, email, password, address="10.0.0.1"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


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


def test_many_failures_from_one_address_lock_that_address_for_every_account(client):
    for n in range(20):
        login(client, f"doan.{n}@example.vn", "Doan-Mo-123", address="203.0.113.7")
    someone = UserFactory(email="nguoi.khac@example.vn", verified=True)

    refused = login(client, someone.email, PASSWORD, address="203.0.113.7")
    assert LOCKED in refused.content.decode()
    assert login(client, someone.email, PASSWORD, address="198.51.100.20").status_code == 302


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
