"""Password reset: same answer for known and unknown addresses; single-use, expiring links."""

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse

from .factories import PASSWORD, UserFactory
from .helpers import link_in, shown

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sen-Trang-Ho-Tay-9"


def request_reset(client, email):
    return client.post(reverse("account_reset_password"), {"email": email})


def test_known_and_unknown_addresses_get_the_same_answer(client, mailoutbox):
    UserFactory(email="an.nguyen@example.vn", verified=True)
    known = request_reset(client, "an.nguyen@example.vn")
    unknown = request_reset(client, "khong.co@example.vn")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    known_page = client.get(known.url)
    unknown_page = client.get(unknown.url)
    assert shown(known_page, "an.nguyen@example.vn") == shown(unknown_page, "khong.co@example.vn")
    assert "Nếu địa chỉ email bạn nhập đã được đăng ký" in known_page.content.decode()
    # Only the real owner gets a reset link.
    assert [mail.to for mail in mailoutbox if "password/reset/key" in mail.body] == [
        ["an.nguyen@example.vn"]
    ]


def test_reset_link_sets_a_new_password_once(client, mailoutbox):
    user = UserFactory(email="an.nguyen@example.vn", verified=True)
    request_reset(client, "AN.NGUYEN@example.vn")
    [mail] = mailoutbox
    assert "Đặt lại mật khẩu" in mail.subject
    link = link_in(mail)

    form_page = client.get(link, follow=True)
    action = form_page.context["action_url"]
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)

    # The same link again: refused, and the password stays.
    again = client.get(link, follow=True)
    assert "không hợp lệ, đã được dùng hoặc đã hết hạn" in again.content.decode()
    client.post(action, {"password1": "Mot-Mat-Khau-Khac-7", "password2": "Mot-Mat-Khau-Khac-7"})
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_reset_link_expires_after_a_day(client, mailoutbox, monkeypatch, settings):
    UserFactory(email="an.nguyen@example.vn", verified=True)
    request_reset(client, "an.nguyen@example.vn")
    link = link_in(mailoutbox[0])
    real_now = PasswordResetTokenGenerator._now
    monkeypatch.setattr(
        PasswordResetTokenGenerator,
        "_now",
        lambda self: (
            real_now(self)
            + __import__("datetime").timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
        ),
    )
    page = client.get(link, follow=True)
    assert "không hợp lệ, đã được dùng hoặc đã hết hạn" in page.content.decode()
