"""``manage.py reconcile_payments``: stuck payments are settled from the gateway's answer,
or expired when the gateway knows no finished transaction."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from payments.constants import PaymentStatus
from payments.gateways import GatewayError, get_gateway
from payments.gateways import vnpay as vnpay_module
from payments.models import Payment

from .helpers import pay, query_of
from .test_vnpay import querydr_answer

pytestmark = pytest.mark.django_db


def reconcile(**options):
    out = io.StringIO()
    call_command("reconcile_payments", stdout=out, **options)
    return out.getvalue()


def age(payment, minutes):
    """Make ``payment`` as old as if it had started ``minutes`` ago."""
    created = timezone.now() - datetime.timedelta(minutes=minutes)
    Payment.objects.filter(pk=payment.pk).update(
        created_at=created, expires_at=created + datetime.timedelta(minutes=15)
    )


def test_settles_a_lost_notification_and_expires_an_abandoned_payment(
    citizen, completions, django_capture_on_commit_callbacks
):
    # Paid at the bank, but the notification never arrived.
    paid, url = pay(citizen, amount=50_000)
    get_gateway().decide(query_of(url), "pay")
    # Never finished at the bank.
    abandoned = pay(citizen, amount=60_000)[0]
    # Still on the bank's page.
    fresh = pay(citizen, amount=70_000)[0]
    age(paid, 20)
    age(abandoned, 40)

    with django_capture_on_commit_callbacks(execute=True):
        output = reconcile()

    for payment in (paid, abandoned, fresh):
        payment.refresh_from_db()
    assert paid.status == PaymentStatus.COMPLETED
    assert paid.raw_notification["source"] == "query"
    assert paid.history.latest().history_change_reason == "Đối soát với cổng thanh toán"
    assert abandoned.status == PaymentStatus.EXPIRED
    assert fresh.status == PaymentStatus.STARTED
    assert completions == [paid.reference]
    assert output.strip() == (
        "Đã đối soát 2 giao dịch: 1 đã thanh toán, 0 không thành công, 0 đã hủy, "
        "1 hết hạn, 0 chưa có kết quả, 0 lỗi."
    )


def test_a_payment_expired_by_the_clock_is_still_asked_about(citizen):
    """start_payment expires a payer's old payments without asking the gateway; a lost
    notification among them is found by the next reconciliation, and only once."""
    paid, url = pay(citizen)
    get_gateway().decide(query_of(url), "pay")
    age(paid, 20)
    pay(citizen)  # the citizen tries again: the first payment is marked expired
    paid.refresh_from_db()
    assert paid.status == PaymentStatus.EXPIRED

    reconcile()

    paid.refresh_from_db()
    assert paid.status == PaymentStatus.COMPLETED


def test_an_abandoned_payment_is_asked_about_once(citizen):
    abandoned = pay(citizen)[0]
    age(abandoned, 20)
    pay(citizen)

    first = reconcile()
    second = reconcile()

    abandoned.refresh_from_db()
    assert abandoned.status == PaymentStatus.EXPIRED
    assert abandoned.raw_notification == {"source": "query", "found": False}
    assert "Đã đối soát 1 giao dịch" in first
    assert "Đã đối soát 0 giao dịch" in second


def test_an_old_unexpired_payment_is_asked_about_but_left_waiting(citizen):
    payment = pay(citizen)[0]
    age(payment, 10)  # expires in 5 minutes

    output = reconcile(older_than=5)

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.STARTED
    assert "1 chưa có kết quả" in output


def test_a_cancellation_found_by_reconciliation(citizen):
    payment, url = pay(citizen)
    get_gateway().decide(query_of(url), "cancel")
    age(payment, 20)

    reconcile()

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED


def test_vnpay_payments_are_settled_through_querydr(vnpay, citizen, monkeypatch):
    payment = pay(citizen)[0]
    age(payment, 20)
    monkeypatch.setattr(
        vnpay_module, "_post_json", lambda url, body, **kw: querydr_answer(payment)
    )

    reconcile()

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.COMPLETED
    assert payment.gateway_transaction_no == "14230001"


def test_when_the_gateway_cannot_be_asked_nothing_is_concluded(vnpay, citizen, monkeypatch):
    payment = pay(citizen)[0]
    age(payment, 60)

    def unreachable(url, body, **kw):
        raise GatewayError("timed out")

    monkeypatch.setattr(vnpay_module, "_post_json", unreachable)

    output = reconcile()

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.STARTED  # not expired: the money may have moved
    assert "1 lỗi" in output
