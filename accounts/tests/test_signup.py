"""Sign-up → activation e-mail → activation → login → profile, and every way to get it
wrong, through the pages a citizen uses."""

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.urls import reverse

from accounts.models import User
from accounts.selectors import can_submit_dossiers

from .factories import UserFactory
from .helpers import link_in, shown

pytestmark = pytest.mark.django_db

GOOD = {
    "full_name": "  Trần   Thị Bình ",
    "email": "Binh.Tran@Example.vn",
    "password1": "Hoa-Sen-Hong-2026",
    "password2": "Hoa-Sen-Hong-2026",
    "cccd": "054 195 005678",
    "phone": "0987 654 321",
}


def signup(client, **changes):
    return client.post(reverse("account_signup"), {**GOOD, **changes})


def test_signup_page_asks_for_what_the_guide_lists(client):
    page = client.get(reverse("account_signup")).content.decode()
    for label in (
        "Họ và tên",
        "Email",
        "Mật khẩu",
        "Nhập lại mật khẩu",
        "Số CCCD",
        "Số điện thoại",
    ):
        assert label in page


def test_signup_activation_login_and_profile(client, mailoutbox):
    response = signup(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "Kiểm tra email" in client.get(response.url).content.decode()

    user = User.objects.get()
    assert user.email == "binh.tran@example.vn"
    assert user.full_name == "Trần Thị Bình"
    assert user.cccd == "054195005678"
    assert user.phone == "+84987654321"
    # Sign-up does not log in: the guide's next step is the activation link.
    assert "_auth_user_id" not in client.session
    assert not can_submit_dossiers(user)

    [mail] = mailoutbox
    assert mail.to == ["binh.tran@example.vn"]
    assert "Kích hoạt tài khoản" in mail.subject
    activation = link_in(mail)

    page = client.get(activation)
    assert "Xác nhận và kích hoạt" in page.content.decode()
    confirmed = client.post(activation)
    assert confirmed.status_code == 302
    assert confirmed.url == reverse("account_login")
    assert EmailAddress.objects.get(user=user).verified

    logged_in = client.post(
        reverse("account_login"), {"login": "BINH.TRAN@example.vn", "password": GOOD["password1"]}
    )
    assert logged_in.status_code == 302
    profile = client.get(reverse("account_profile"))
    assert profile.status_code == 200
    body = profile.content.decode()
    assert "Trần Thị Bình" in body
    assert "Đã xác thực" in body
    assert can_submit_dossiers(user)


def main_of(response):
    return BeautifulSoup(response.content.decode(), "html.parser").find("main")


def test_a_used_activation_link_says_the_address_is_confirmed_and_offers_the_login(
    client, mailoutbox
):
    signup(client)
    activation = link_in(mailoutbox[0])
    assert "Xác nhận và kích hoạt" in client.get(activation).content.decode()
    assert client.post(activation).status_code == 302

    again = client.get(activation)
    assert again.status_code == 200
    main = main_of(again)
    text = main.get_text(" ", strip=True)
    assert "Địa chỉ email này đã được xác nhận." in text
    assert "Xác nhận và kích hoạt" not in text
    assert "không hợp lệ" not in text
    assert main.find("a", string="Đăng nhập")["href"] == reverse("account_login")
    assert main.find("form") is None  # nothing left to confirm
    assert EmailAddress.objects.get().verified


def test_a_used_activation_link_offers_the_profile_when_logged_in(client, mailoutbox):
    signup(client)
    activation = link_in(mailoutbox[0])
    client.post(activation)
    client.post(reverse("account_login"), {"login": GOOD["email"], "password": GOOD["password1"]})

    main = main_of(client.get(activation))
    assert "Địa chỉ email này đã được xác nhận." in main.get_text(" ", strip=True)
    assert main.find("a", string="Hồ sơ cá nhân")["href"] == reverse("account_profile")
    assert main.find("a", string="Đăng nhập") is None


def test_a_forged_activation_link_is_still_refused(client, mailoutbox):
    signup(client)
    activation = link_in(mailoutbox[0])
    client.post(activation)
    forged = activation.rstrip("/")[:-1] + "x/"

    text = main_of(client.get(forged)).get_text(" ", strip=True)
    assert "không hợp lệ, đã được dùng hoặc đã hết hạn" in text
    assert "đã được xác nhận" not in text


def test_an_activation_link_expires_after_three_days(client, mailoutbox, monkeypatch):
    import time

    signup(client)
    activation = link_in(mailoutbox[0])
    later = time.time() + 3 * 24 * 3600 + 60
    monkeypatch.setattr(time, "time", lambda: later)

    assert "không hợp lệ, đã được dùng hoặc đã hết hạn" in client.get(activation).content.decode()
    assert client.post(activation).status_code == 404
    assert not EmailAddress.objects.get().verified


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cccd", "12345", "Số CCCD phải gồm đúng 12 chữ số."),
        ("cccd", "003090012345", "không phải mã tỉnh, thành phố hợp lệ"),
        ("cccd", "001490012345", "chưa tới"),
        ("phone", "02438123456", "Số điện thoại di động không hợp lệ"),
        ("phone", "0912", "Số điện thoại di động không hợp lệ"),
        ("full_name", "   ", "Trường này là bắt buộc."),
        ("email", "not-an-email", "Nhập một địa chỉ email hợp lệ."),
        ("email", "a" * 250 + "@example.vn", "Địa chỉ email quá dài (tối đa 254 ký tự)."),
        ("full_name", "A" * 151, "tối đa 150 kí tự"),
    ],
)
def test_bad_input_comes_back_at_its_field_and_creates_nothing(
    client, mailoutbox, field, value, message
):
    response = signup(client, **{field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Abc-12", "Mật khẩu quá ngắn"),
        ("password123", "Mật khẩu này quá phổ biến."),
        ("81726354", "Mật khẩu này hoàn toàn là số."),
        ("Trần Thị Bình", "quá giống với họ và tên"),
        ("054195005678x", "quá giống với số CCCD"),
    ],
)
def test_weak_passwords_are_refused(client, password, message):
    response = signup(client, password1=password, password2=password)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["password1"]
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_mistyped_password_confirmation_is_refused(client):
    response = signup(client, password2="Hoa-Sen-Hong-2027")
    assert response.status_code == 200
    assert "Hai lần nhập mật khẩu không giống nhau." in response.content.decode()
    assert not User.objects.exists()


def test_signup_with_a_taken_email_looks_the_same_and_creates_nothing(client, mailoutbox):
    owner = UserFactory(email="binh.tran@example.vn", verified=True)
    fresh = signup(client, email="someone.new@example.vn")
    fresh_page = client.get(fresh.url)
    taken = signup(client, email="BINH.TRAN@example.VN")
    taken_page = client.get(taken.url)

    # The same redirect to the same page, with the same message: no way to tell which
    # address already has an account.
    assert (taken.status_code, taken.url) == (fresh.status_code, fresh.url)
    assert shown(taken_page, "binh.tran@example.vn") == shown(fresh_page, "someone.new@example.vn")
    assert "Đã gửi thư xác thực tới binh.tran@example.vn." in taken_page.content.decode()
    assert User.objects.filter(email__iexact="binh.tran@example.vn").count() == 1
    assert User.objects.get(email__iexact="binh.tran@example.vn") == owner
    # The owner learns that somebody tried; nobody else does.
    to_owner = [mail for mail in mailoutbox if mail.to == ["binh.tran@example.vn"]]
    assert len(to_owner) == 1
    assert "đã có tài khoản" in to_owner[0].body


def test_signup_does_the_same_work_for_a_taken_and_a_new_email(client, mailoutbox, hashed):
    """A new address had its password hashed, a taken one did not: 0.35 s against 0.06 s
    told which addresses have an account, whatever the page said."""
    UserFactory(email="binh.tran@example.vn", verified=True)
    answers = {}
    for email in ("binh.tran@example.vn", "someone.new@example.vn"):
        hashed.clear()
        mailoutbox.clear()
        response = signup(client, email=email)
        answers[email] = {
            "answer": (response.status_code, response.url),
            "hashed": list(hashed),
            "mailed": [mail.to for mail in mailoutbox],
        }

    assert answers["binh.tran@example.vn"] == {
        "answer": (302, reverse("account_email_verification_sent")),
        "hashed": [GOOD["password1"]],
        "mailed": [["binh.tran@example.vn"]],
    }
    assert answers["someone.new@example.vn"] == {
        "answer": (302, reverse("account_email_verification_sent")),
        "hashed": [GOOD["password1"]],
        "mailed": [["someone.new@example.vn"]],
    }
