"""Fixtures for the payment tests: a citizen, VNPAY settings, and a signal recorder."""

import pytest

from accounts.tests.factories import UserFactory
from payments.signals import payment_completed

from .helpers import VNPAY_SECRET, VNPAY_TMN


@pytest.fixture
def citizen(db):
    return UserFactory(verified=True)


@pytest.fixture
def vnpay(settings):
    """The real gateway's adapter, with a test merchant (nothing leaves the machine)."""
    settings.PAYMENT_GATEWAY = "vnpay"
    settings.VNPAY_TMN_CODE = VNPAY_TMN
    settings.VNPAY_HASH_SECRET = VNPAY_SECRET
    settings.VNPAY_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    settings.VNPAY_API_URL = "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction"
    return settings


@pytest.fixture
def completions():
    """The payments ``payment_completed`` was sent for, in order."""
    sent = []

    def receiver(sender, payment, **kwargs):
        sent.append(payment.reference)

    payment_completed.connect(receiver, weak=False)
    yield sent
    payment_completed.disconnect(receiver)
