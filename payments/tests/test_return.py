"""The return page: display only, the database's word, for the payer only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.tests.access import assert_only_the_owner_reaches
from payments.constants import PaymentStatus
from payments.models import Payment

from .helpers import notification_params, pay

pytestmark = pytest.mark.django_db

RETURN = reverse("payments:return")
SANDBOX_SECRET = "sandbox-secret-for-development-only"


def signed_return(payment, **overrides):
    return notification_params(payment, secret=SANDBOX_SECRET, tmn="SANDBOX", **overrides)


def test_a_forged_success_with_a_bad_signature_changes_nothing(client, citizen):
    payment = pay(citizen)[0]
    client.force_login(citizen)
    forged = {**signed_return(payment), "vnp_SecureHash": "0" * 128}

    response = client.get(RETURN, forged)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Không xác thực được thông tin trả về từ cổng thanh toán" in html
    assert "Đã thanh toán" not in html
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.STARTED


def test_a_correctly_signed_success_is_not_trusted_before_the_ipn(client, citizen):
    """Even a genuine return URL only shows the database: here, still waiting."""
    payment = pay(citizen)[0]
    client.force_login(citizen)

    response = client.get(RETURN, signed_return(payment))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Đang chờ xác nhận từ ngân hàng…" in html
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "<script" not in html
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.STARTED


def test_waiting_stops_refreshing_long_after_expiry(client, citizen):
    payment = pay(citizen)[0]
    Payment.objects.filter(pk=payment.pk).update(
        expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client.force_login(citizen)

    html = client.get(RETURN, signed_return(payment)).content.decode()

    assert 'http-equiv="refresh"' not in html
    assert "Hệ thống sẽ tự đối soát" in html


def test_an_expired_payment_says_so(client, citizen):
    payment = pay(citizen)[0]
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.EXPIRED)
    client.force_login(citizen)

    html = client.get(RETURN, signed_return(payment)).content.decode()

    assert "Hết hạn" in html


def test_another_user_gets_404(client, citizen):
    payment = pay(citizen)[0]

    assert_only_the_owner_reaches(
        client, "get", RETURN, data=signed_return(payment), owner=citizen, others=[UserFactory()]
    )


def test_an_unknown_reference_is_404(client, citizen):
    payment = pay(citizen)[0]
    payment.reference = "DVC000000000000ABCDEF"
    client.force_login(citizen)

    assert client.get(RETURN, signed_return(payment)).status_code == 404


def test_anonymous_visitors_are_asked_to_log_in(client, citizen):
    payment = pay(citizen)[0]

    response = client.get(RETURN, signed_return(payment))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
