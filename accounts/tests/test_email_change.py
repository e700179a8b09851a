"""Changing one's e-mail: the new address counts only once its link is followed."""

import pytest
from django.urls import reverse

from accounts.selectors import can_submit_dossiers

from .factories import PASSWORD, UserFactory
from .helpers import link_in

pytestmark = pytest.mark.django_db


def test_email_change_waits_for_the_new_address_to_be_verified(client, mailoutbox):
    user = UserFactory(email="cu@example.vn", verified=True)
    client.force_login(user)

    response = client.post(reverse("account_email"), {"action_add": "", "email": "Moi@Example.vn"})
    assert response.status_code == 302
    [mail] = [m for m in mailoutbox if m.to == ["moi@example.vn"]]
    assert "Xác thực địa chỉ email" in mail.subject

    # Until then the old address is the account's address.
    user.refresh_from_db()
    assert user.email == "cu@example.vn"
    assert "Chờ xác thực" in client.get(reverse("account_email")).content.decode()

    client.post(link_in(mail))
    user.refresh_from_db()
    assert user.email == "moi@example.vn"
    assert can_submit_dossiers(user)
    # The old owner address is told about the change.
    assert any(m.to == ["cu@example.vn"] and "moi@example.vn" in m.body for m in mailoutbox)

    client.logout()
    assert (
        client.post(reverse("account_login"), {"login": "moi@example.vn", "password": PASSWORD})
    ).status_code == 302


def test_changing_to_an_address_in_use_reveals_nothing_and_changes_nothing(client, mailoutbox):
    UserFactory(email="da.co@example.vn", verified=True)
    user = UserFactory(email="toi@example.vn", verified=True)
    client.force_login(user)

    taken = client.post(reverse("account_email"), {"action_add": "", "email": "DA.CO@example.vn"})
    fresh = client.post(reverse("account_email"), {"action_add": "", "email": "moi@example.vn"})
    assert taken.status_code == fresh.status_code == 302
    user.refresh_from_db()
    assert user.email == "toi@example.vn"


def test_an_overlong_new_address_is_refused_at_the_field(client):
    user = UserFactory(email="toi@example.vn", verified=True)
    client.force_login(user)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "a" * 250 + "@example.vn"}
    )
    assert response.status_code == 200
    assert "Địa chỉ email quá dài" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "toi@example.vn"
