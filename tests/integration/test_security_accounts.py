"""Accounts under attack: guessing passwords (the lock, which also guards the admin, and
cannot be dodged by writing the address differently), replaying an activation link, and
telling known addresses from unknown ones. accounts/tests covers the rules one by one;
these are the attacker's angles on them."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.helpers import link_in, shown

pytestmark = pytest.mark.django_db

LOCKED = "Đăng nhập sai quá nhiều lần nên tạm thời bị khóa"
ATTACKER = "203.0.113.66"


def login(client, email, password, address=ATTACKER, url=None):
    return client.post(
        url or reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=address,
    )


def is_logged_in(client):
    return "_auth_user_id" in client.session


# Guessing passwords -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "spellings",
    [
        ["Nan.Nhan@Example.vn", "NAN.NHAN@EXAMPLE.VN", "nan.nhan@example.VN"],
        [" nan.nhan@example.vn", "nan.nhan@example.vn ", "\tnan.nhan@example.vn"],
    ],
    ids=["letter case", "spaces"],
)
def test_writing_the_address_differently_does_not_reset_the_count(client, spellings):
    victim = UserFactory(email="nan.nhan@example.vn", verified=True)
    for attempt in range(5):
        login(client, spellings[attempt % len(spellings)], "Doan-Mo-123")

    refused = login(client, victim.email, PASSWORD)
    assert LOCKED in refused.content.decode()
    assert not is_logged_in(client)


def test_an_officials_lock_also_keeps_the_admin_shut(client):
    """There is one login page: Wagtail's own redirects to it and checks no password."""
    official = UserFactory(email="can.bo@example.vn", verified=True, is_staff=True)
    for _attempt in range(5):
        login(client, official.email, "Doan-Mo-123")

    assert LOCKED in login(client, official.email, PASSWORD).content.decode()
    through_wagtail = login(client, official.email, PASSWORD, url="/admin/login/")
    assert through_wagtail.status_code == 302
    assert through_wagtail["Location"].startswith(reverse("account_login"))
    assert not is_logged_in(client)
    assert client.get("/admin/").status_code == 302


def test_the_lock_looks_the_same_for_an_address_without_an_account(client):
    UserFactory(email="co.that@example.vn", verified=True)
    for _attempt in range(5):
        login(client, "co.that@example.vn", "Doan-Mo-123")
        login(client, "khong.co@example.vn", "Doan-Mo-123")

    known = login(client, "co.that@example.vn", "Doan-Mo-123")
    unknown = login(client, "khong.co@example.vn", "Doan-Mo-123")
    assert known.status_code == unknown.status_code == 200
    assert shown(known, "co.that@example.vn") == shown(unknown, "khong.co@example.vn")
    assert LOCKED in known.content.decode()


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client):
    UserFactory(email="co.that@example.vn", verified=True)
    wrong_password = login(client, "co.that@example.vn", "Sai-Mat-Khau-1")
    unknown = login(client, "khong.co@example.vn", "Sai-Mat-Khau-1")
    assert wrong_password.status_code == unknown.status_code == 200
    assert shown(wrong_password, "co.that@example.vn") == shown(unknown, "khong.co@example.vn")


# Replaying an activation link -------------------------------------------------------------
SIGNUP = {
    "full_name": "Trần Thị Bình",
    "email": "binh.tran@example.vn",
    "password1": "Hoa-Sen-Hong-2026",
    "password2": "Hoa-Sen-Hong-2026",
    "cccd": "054195005678",
    "phone": "0987654321",
}


def test_a_used_activation_link_does_nothing_the_second_time(client, mailoutbox):
    client.post(reverse("account_signup"), SIGNUP)
    activation = link_in(mailoutbox[0])
    assert client.post(activation).status_code == 302
    address = EmailAddress.objects.get(email="binh.tran@example.vn")
    assert address.verified
    assert not is_logged_in(client)  # activating never logs in
    mail.outbox.clear()

    for _replay in range(2):
        again = client.post(activation)
        assert again.status_code == 404
        assert not is_logged_in(client)
    assert EmailAddress.objects.get(pk=address.pk).verified
    assert EmailAddress.objects.count() == 1
    assert mail.outbox == []


def test_an_activation_link_cannot_verify_an_address_added_later(client, mailoutbox):
    """The link is for the address it was sent to: once used, it does not confirm a
    second address the account adds (or an attacker who took over the session adds)."""
    client.post(reverse("account_signup"), SIGNUP)
    activation = link_in(mailoutbox[0])
    client.post(activation)
    user = EmailAddress.objects.get().user
    client.force_login(user)
    client.post(reverse("account_email"), {"email": "ke.gian@example.vn", "action_add": ""})
    added = EmailAddress.objects.get(email="ke.gian@example.vn")
    assert not added.verified

    client.post(activation)
    assert not EmailAddress.objects.get(pk=added.pk).verified


# Telling known addresses from unknown ones -------------------------------------------------
def test_signup_and_password_reset_answer_alike_for_known_and_unknown_addresses(
    client, mailoutbox
):
    UserFactory(email="co.that@example.vn", verified=True)
    answers = {}
    for email in ("co.that@example.vn", "khong.co@example.vn"):
        signup = client.post(reverse("account_signup"), {**SIGNUP, "email": email})
        reset = client.post(reverse("account_reset_password"), {"email": email})
        answers[email] = (
            signup.status_code,
            signup.get("Location"),
            sorted(signup.cookies),
            shown(client.get(signup["Location"]), email),
            reset.status_code,
            reset.get("Location"),
            sorted(reset.cookies),
            shown(client.get(reset["Location"]), email),
        )
    assert answers["co.that@example.vn"] == answers["khong.co@example.vn"]
