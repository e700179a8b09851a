"""The IPN: the only way a payment becomes final, answered in VNPAY's codes, always 200."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from payments.constants import PaymentStatus
from payments.models import Payment

from .helpers import notification_params, pay

pytestmark = pytest.mark.django_db

IPN = reverse("payments:ipn")


@pytest.fixture
def payment(vnpay, citizen):
    return pay(citizen)[0]


def notify(client, params, capture):
    with capture(execute=True):
        response = client.get(IPN, params)
    assert response.status_code == 200
    return response.json()


def test_success_completes_the_payment_and_announces_it_once(
    client, payment, completions, django_capture_on_commit_callbacks
):
    answer = notify(client, notification_params(payment), django_capture_on_commit_callbacks)

    assert answer == {"RspCode": "00", "Message": "Confirm Success"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.COMPLETED
    assert payment.completed_at is not None
    assert payment.gateway_transaction_no == "14226112"
    assert payment.bank_code == "NCB"
    assert payment.response_code == "00"
    assert payment.raw_notification["vnp_TxnRef"] == payment.reference
    assert completions == [payment.reference]
    history = list(payment.history.order_by("history_date"))
    assert [h.status for h in history] == ["started", "completed"]
    assert history[-1].history_change_reason == "Thông báo từ cổng thanh toán (IPN)"


def test_the_same_ipn_again_is_already_confirmed_and_changes_nothing(
    client, payment, completions, django_capture_on_commit_callbacks
):
    params = notification_params(payment)
    notify(client, params, django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    completed_at = payment.completed_at

    again = notify(client, params, django_capture_on_commit_callbacks)

    assert again == {"RspCode": "02", "Message": "Order already confirmed"}
    payment.refresh_from_db()
    assert payment.completed_at == completed_at
    assert completions == [payment.reference]
    assert payment.history.filter(status=PaymentStatus.COMPLETED).count() == 1


def test_a_failure_after_success_does_not_undo_it(
    client, payment, django_capture_on_commit_callbacks
):
    notify(client, notification_params(payment), django_capture_on_commit_callbacks)
    late = notification_params(payment, vnp_ResponseCode="51", vnp_TransactionStatus="02")

    assert notify(client, late, django_capture_on_commit_callbacks)["RspCode"] == "02"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.COMPLETED


def test_tampered_signature_is_97_and_nothing_changes(
    client, payment, completions, django_capture_on_commit_callbacks
):
    params = {**notification_params(payment), "vnp_Amount": "100"}

    answer = notify(client, params, django_capture_on_commit_callbacks)

    assert answer == {"RspCode": "97", "Message": "Invalid signature"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.STARTED
    assert payment.history.count() == 1
    assert completions == []


def test_signed_with_another_secret_is_97(client, payment, django_capture_on_commit_callbacks):
    params = notification_params(payment, secret="sandbox-secret-for-development-only")

    assert notify(client, params, django_capture_on_commit_callbacks)["RspCode"] == "97"


def test_unknown_reference_is_01(client, payment, django_capture_on_commit_callbacks):
    payment.reference = "DVC000000000000ABCDEF"  # not saved: only used to build the IPN

    answer = notify(client, notification_params(payment), django_capture_on_commit_callbacks)

    assert answer == {"RspCode": "01", "Message": "Order not found"}


def test_a_sandbox_payment_is_unknown_to_the_vnpay_ipn(
    client, citizen, settings, django_capture_on_commit_callbacks
):
    sandbox_payment = pay(citizen)[0]  # PAYMENT_GATEWAY is still "sandbox" here
    settings.PAYMENT_GATEWAY = "vnpay"
    settings.VNPAY_TMN_CODE = "DVCTEST1"
    settings.VNPAY_HASH_SECRET = "VNPAYTESTSECRETKEY0123456789ABCD"

    answer = notify(
        client, notification_params(sandbox_payment), django_capture_on_commit_callbacks
    )

    assert answer["RspCode"] == "01"


def test_wrong_amount_is_04_and_nothing_changes(
    client, payment, django_capture_on_commit_callbacks
):
    for amount in (str(payment.amount * 100 - 100), str(payment.amount * 100 + 1), "x"):
        params = notification_params(payment, vnp_Amount=amount)
        answer = notify(client, params, django_capture_on_commit_callbacks)
        assert answer == {"RspCode": "04", "Message": "Invalid amount"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.STARTED


def test_failure_code_fails_the_payment(
    client, payment, completions, django_capture_on_commit_callbacks
):
    params = notification_params(payment, vnp_ResponseCode="51", vnp_TransactionStatus="02")

    assert notify(client, params, django_capture_on_commit_callbacks)["RspCode"] == "00"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert payment.response_code == "51"
    assert payment.completed_at is None
    assert completions == []


def test_response_00_with_a_failed_transaction_status_is_a_failure(
    client, payment, django_capture_on_commit_callbacks
):
    params = notification_params(payment, vnp_TransactionStatus="02")

    notify(client, params, django_capture_on_commit_callbacks)

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED


def test_cancelled_24_cancels_and_transaction_number_0_is_not_kept(
    client, vnpay, citizen, django_capture_on_commit_callbacks
):
    first = pay(citizen, amount=10_000)[0]
    second = pay(citizen, amount=20_000)[0]

    for payment in (first, second):
        params = notification_params(
            payment,
            vnp_ResponseCode="24",
            vnp_TransactionStatus="02",
            vnp_TransactionNo="0",
            vnp_BankCode="",
        )
        assert notify(client, params, django_capture_on_commit_callbacks)["RspCode"] == "00"
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.CANCELLED
        assert payment.gateway_transaction_no is None


def test_a_late_success_still_settles_a_payment_we_had_marked_expired(
    client, payment, completions, django_capture_on_commit_callbacks
):
    """VNPAY retries its IPN: money taken at minute 14 may be reported at minute 20."""
    Payment.objects.filter(pk=payment.pk).update(
        status=PaymentStatus.EXPIRED, expires_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    answer = notify(client, notification_params(payment), django_capture_on_commit_callbacks)

    assert answer["RspCode"] == "00"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.COMPLETED
    assert completions == [payment.reference]


def test_ipn_answers_get_only(client, payment):
    assert client.post(IPN, notification_params(payment)).status_code == 405
    assert client.get(IPN).json()["RspCode"] == "97"  # empty: no signature
