"""Starting a payment: references, amounts, two tabs, expiry, and the link to a dossier."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from payments import services
from payments.constants import PaymentStatus
from payments.models import Payment
from payments.services import new_reference

from .helpers import pay, query_of

pytestmark = pytest.mark.django_db


def test_a_payment_starts_with_a_unique_reference_and_its_history(citizen):
    payment, url = pay(citizen)

    assert url.startswith("/thanh-toan/sandbox/?")
    assert query_of(url)["vnp_TxnRef"] == payment.reference
    assert re.fullmatch(r"DVC\d{12}[0-9A-F]{6}", payment.reference)
    assert payment.gateway == "sandbox"
    assert payment.status == PaymentStatus.STARTED
    assert payment.amount == 50_000
    assert payment.description == "Le phi dang ky khai sinh"
    assert payment.expires_at - payment.created_at == datetime.timedelta(minutes=15)
    [created] = payment.history.all()
    assert created.history_type == "+"
    assert created.history_user == citizen


def test_references_are_not_reused():
    assert len({new_reference() for _ in range(500)}) == 500


@pytest.mark.parametrize("amount", [0, -1, 1.5, "50000", True, None])
def test_refuses_anything_but_a_positive_whole_amount(citizen, amount):
    with pytest.raises(ValueError, match="đồng"):
        pay(citizen, amount=amount)
    assert not Payment.objects.exists()


def test_refuses_a_description_with_nothing_vnpay_can_show(citizen):
    with pytest.raises(ValueError):
        pay(citizen, description="— … —")


def test_two_tabs_get_one_payment(citizen):
    first, _url = pay(citizen)
    second, second_url = pay(citizen)

    assert second == first
    assert query_of(second_url)["vnp_TxnRef"] == first.reference
    assert Payment.objects.count() == 1


def test_another_amount_or_payer_is_another_payment(citizen):
    first = pay(citizen)[0]

    assert pay(citizen, amount=60_000)[0] != first
    assert pay(UserFactory())[0] != first
    assert Payment.objects.count() == 3


def test_an_expired_payment_is_marked_so_and_not_reused(citizen):
    old = pay(citizen)[0]
    Payment.objects.filter(pk=old.pk).update(expires_at=timezone.now())

    new = pay(citizen)[0]

    assert new != old
    old.refresh_from_db()
    assert old.status == PaymentStatus.EXPIRED
    assert [h.status for h in old.history.order_by("history_date")] == ["started", "expired"]


def test_a_finished_payment_is_not_reused(citizen):
    old = pay(citizen)[0]
    Payment.objects.filter(pk=old.pk).update(status=PaymentStatus.FAILED)

    assert pay(citizen)[0] != old


def test_a_payment_can_belong_to_a_dossier(citizen):
    from forms_app.tests.factories import make_dossier

    dossier = make_dossier(applicant=citizen, files=())

    payment = pay(citizen, dossier=dossier)[0]

    assert list(dossier.payments.all()) == [payment]
    assert pay(citizen, dossier=dossier)[0] == payment  # two tabs, same dossier
    assert pay(citizen)[0] != payment  # no dossier: something else


def test_a_reference_already_taken_is_drawn_again(citizen, monkeypatch):
    taken = pay(citizen)[0].reference
    drawn = iter([taken, taken, "DVC261201090000ABC123"])
    monkeypatch.setattr(services, "new_reference", lambda now=None: next(drawn))

    payment = pay(citizen, amount=99_000)[0]

    assert payment.reference == "DVC261201090000ABC123"
    assert Payment.objects.count() == 2
