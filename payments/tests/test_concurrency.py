"""Simultaneous notifications of one payment: exactly one settles it (PostgreSQL only,
where concurrent transactions are real; the test database is flushed, hence the factory)."""

import threading

import pytest
from django.db import close_old_connections

from accounts.tests.factories import UserFactory
from payments.constants import PaymentStatus
from payments.models import Payment
from payments.services import record_notification

from .helpers import notification_params, pay


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql_only("concurrent transactions are only real on PostgreSQL")
def test_five_identical_ipns_at_once_settle_the_payment_once(vnpay, completions):
    payment = pay(UserFactory())[0]
    params = notification_params(payment)
    answers, errors = [], []
    barrier = threading.Barrier(5)

    def deliver():
        try:
            barrier.wait()
            answers.append(record_notification(params)[0])
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=deliver) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(answers) == ["00", "02", "02", "02", "02"]
    assert completions == [payment.reference]
    payment = Payment.objects.get(pk=payment.pk)
    assert payment.status == PaymentStatus.COMPLETED
    assert payment.history.filter(status=PaymentStatus.COMPLETED).count() == 1
