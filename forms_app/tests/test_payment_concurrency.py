"""Ten copies of the bank's success notification for a dossier's payment, at once
(PostgreSQL only, where concurrent transactions are real). The test database is
flushed, so the page tree is built here, and on_commit callbacks run for real."""

import threading

import pytest
from django.core import mail
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from forms_app.constants import EventKind
from forms_app.finance.services import start_dossier_payment
from forms_app.models import DossierEvent
from forms_app.tests.officials import submit
from payments.constants import PaymentStatus
from payments.gateways.sandbox import TMN_CODE as SANDBOX_TMN
from payments.models import Payment
from payments.tests.helpers import RETURN_URL, notification_params
from procedures.tests.factories import make_agency, make_procedure

COPIES = 10


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql_only("concurrent transactions are only real on PostgreSQL")
def test_ten_identical_ipns_at_once_record_the_dossier_payment_once(settings):
    settings.PAYMENT_GATEWAY = "sandbox"
    procedure = make_procedure(
        make_agency(),
        code="1.002820",
        title="Cấp Giấy phép lái xe quốc tế",
        pay_on_submission=True,
    )
    citizen = UserFactory(verified=True)
    dossier = submit(citizen, procedure)
    payment, _url = start_dossier_payment(
        dossier=dossier, actor=citizen, client_ip="203.0.113.7", return_url=RETURN_URL
    )
    params = notification_params(payment, secret=settings.SANDBOX_HASH_SECRET, tmn=SANDBOX_TMN)
    mail.outbox.clear()  # the acknowledgement of the submission
    answers, errors = [], []
    barrier = threading.Barrier(COPIES)

    def deliver():
        try:
            client = Client()
            barrier.wait()
            response = client.get(reverse("payments:ipn"), params)
            answers.append(response.json()["RspCode"])
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=deliver) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(answers) == ["00"] + ["02"] * (COPIES - 1)
    payment = Payment.objects.get(pk=payment.pk)
    assert payment.status == PaymentStatus.COMPLETED
    assert Payment.objects.filter(status=PaymentStatus.COMPLETED).count() == 1
    assert payment.history.filter(status=PaymentStatus.COMPLETED).count() == 1
    events = DossierEvent.objects.filter(dossier=dossier, kind=EventKind.PAYMENT_COMPLETED)
    assert [event.message for event in events] == [f"{payment.reference}: 50.000 đồng"]
    subject = f"Đã thanh toán phí, lệ phí hồ sơ {dossier.code}"
    assert [m.subject for m in mail.outbox] == [f"[Cổng Dịch vụ công] {subject}"]
    assert payment.reference in mail.outbox[0].body
