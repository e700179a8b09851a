"""Paying a level-4 dossier online, from the citizen's side and the bank's: the fee
collected with the submission, forged return URLs, bad notifications (IPN), other
people's payments, and a fee paid twice."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.tests.access import assert_only_the_owner_reaches
from forms_app.constants import DossierStatus, EventKind
from forms_app.models import Dossier, DossierEvent
from forms_app.tests.officials import submit
from payments import services as payment_services
from payments.constants import PaymentStatus, RefundStatus
from payments.gateways.sandbox import TMN_CODE as SANDBOX_TMN
from payments.models import Payment, Refund
from payments.tests.helpers import VNPAY_SECRET, notification_params, query_of
from procedures.tests.factories import make_agency, make_procedure

from .wizard import APPLICANT, pdf, post_step, step_url

pytestmark = pytest.mark.django_db

PAY_NOW = (
    "Thủ tục này thu phí, lệ phí ngay khi nộp hồ sơ: sau khi bấm “Gửi đi”, bạn được "
    "chuyển sang trang thanh toán trực tuyến."
)
PAY_AFTER_RECEIPT = "Bạn thanh toán trực tuyến sau khi cơ quan tiếp nhận hồ sơ"
PAY_AT_AGENCY = "Phí, lệ phí nộp trực tiếp tại cơ quan khi nhận kết quả."
PAY_BUTTON = "Thanh toán trực tuyến 50.000 đồng"


@pytest.fixture
def world(settings):
    settings.PAYMENT_GATEWAY = "sandbox"
    agency = make_agency()
    return SimpleNamespace(
        agency=agency,
        procedure=make_procedure(
            agency, code="1.002820", title="Cấp Giấy phép lái xe quốc tế", pay_on_submission=True
        ),
        citizen=UserFactory(verified=True, full_name="Nguyễn Văn An"),
        other=UserFactory(verified=True, full_name="Lê Thị Bình"),
    )


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def detail(client, dossier):
    return client.get(reverse("dossiers:detail", args=[dossier.code]))


def bank_answer(payment, **overrides):
    """What the sandbox bank would send for ``payment`` (success unless overridden),
    signed with its secret by the helpers' independent implementation of VNPAY's hash."""
    return notification_params(
        payment, secret=settings.SANDBOX_HASH_SECRET, tmn=SANDBOX_TMN, **overrides
    )


def ipn(client, params):
    """The gateway's server-to-server GET; returns the RspCode it was answered."""
    response = client.get(reverse("payments:ipn"), params)
    assert response.status_code == 200
    return response.json()["RspCode"]


def payment_mails(dossier):
    subject = f"Đã thanh toán phí, lệ phí hồ sơ {dossier.code}"
    return [m for m in mail.outbox if subject in m.subject]


def completion_events(dossier):
    return DossierEvent.objects.filter(dossier=dossier, kind=EventKind.PAYMENT_COMPLETED)


def start_paying(client, dossier):
    """ "Thanh toán trực tuyến" on the dossier page; returns the bank page's URL."""
    response = client.post(reverse("dossiers:pay", args=[dossier.code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("payments:sandbox") + "?")
    return response["Location"]


# 1. The wizard -----------------------------------------------------------------------


def walk_to_review(client, procedure):
    """Every step before the last, filled in; returns the review page."""
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    files = {
        f"component_{component.pk}": pdf(f"giay-to-{component.pk}.pdf")
        for component in procedure.dossier_components.all()
    }
    post_step(client, procedure, "thanh-phan-ho-so", files)
    response = post_step(client, procedure, "nhan-ket-qua", {"result_delivery": "at_agency"})
    assert response.status_code == 302
    assert response.url == step_url(procedure, "xac-nhan")
    review = client.get(response.url)
    assert review.status_code == 200
    return review


def submission_key_of(page):
    """The hidden one-time key the review form posts, as a browser would."""
    return re.search(r'name="submission_key" value="([0-9a-f-]+)"', page.content.decode())[1]


def send(client, procedure, key):
    """ "Gửi đi" on the review step."""
    return post_step(client, procedure, "xac-nhan", {"declaration": "on"}, submission_key=key)


def test_gui_di_takes_the_citizen_straight_to_the_bank_once(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.citizen)
    review = walk_to_review(client, world.procedure)
    page = text_of(review)
    assert "Phí, lệ phí" in page and "Lệ phí 1" in page and "50.000 đồng" in page
    assert PAY_NOW in page
    key = submission_key_of(review)

    response = send(client, world.procedure, key)

    dossier = Dossier.objects.exclude(status=DossierStatus.DRAFT).get(applicant=world.citizen)
    assert dossier.status == DossierStatus.SUBMITTED
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.amount, payment.status, payment.payer) == (
        50000,
        PaymentStatus.STARTED,
        world.citizen,
    )
    assert response.status_code == 302
    bank_url = response["Location"]
    assert bank_url.startswith(reverse("payments:sandbox") + "?")
    sent = query_of(bank_url)
    assert sent["vnp_TxnRef"] == payment.reference
    assert sent["vnp_Amount"] == "5000000"
    assert sent["vnp_ReturnUrl"] == "http://testserver" + reverse("payments:return")
    bank = client.get(bank_url)
    assert bank.status_code == 200
    assert payment.reference in text_of(bank) and "50.000 đồng" in text_of(bank)

    # A double click, or the browser re-posting the page: the same dossier, no new payment.
    again = send(client, world.procedure, key)
    assert again.status_code == 302
    assert again["Location"] in (bank_url, reverse("dossiers:detail", args=[dossier.code]))
    assert Dossier.objects.exclude(status=DossierStatus.DRAFT).count() == 1
    assert Payment.objects.count() == 1

    # And the bank's "Thanh toán" settles it.
    with django_capture_on_commit_callbacks(execute=True):
        paid = client.post(reverse("payments:sandbox"), {**sent, "choice": "pay"})
    assert "Đã thanh toán" in text_of(client.get(paid["Location"]))
    assert Payment.objects.get().status == PaymentStatus.COMPLETED


@pytest.mark.parametrize(
    ("level", "sentence"), [(4, PAY_AFTER_RECEIPT), (3, PAY_AT_AGENCY)], ids=["level4", "level3"]
)
def test_without_payment_at_submission_gui_di_opens_the_dossier(client, world, level, sentence):
    procedure = make_procedure(world.agency, level=level, code="2.000001", title="Thủ tục khác")
    client.force_login(world.citizen)
    review = walk_to_review(client, procedure)
    page = text_of(review)
    assert "Phí, lệ phí" in page and sentence in page
    assert PAY_NOW not in page

    response = send(client, procedure, submission_key_of(review))

    dossier = Dossier.objects.exclude(status=DossierStatus.DRAFT).get(applicant=world.citizen)
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:detail", args=[dossier.code])
    assert not Payment.objects.exists()
    shown = text_of(detail(client, dossier))
    assert PAY_BUTTON not in shown


# 2. The return URL -------------------------------------------------------------------


def test_a_forged_return_url_changes_nothing(client, world):
    dossier = submit(world.citizen, world.procedure)
    client.force_login(world.citizen)
    start_paying(client, dossier)
    payment = Payment.objects.get()
    history = payment.history.count()
    mail.outbox.clear()
    good = bank_answer(payment)
    unsigned = {name: value for name, value in good.items() if name != "vnp_SecureHash"}
    forgeries = {
        "unsigned": unsigned,
        "another secret": notification_params(payment, secret=VNPAY_SECRET, tmn=SANDBOX_TMN),
        "edited after signing": {**good, "vnp_Amount": "100"},
        "garbage hash": {**unsigned, "vnp_SecureHash": "0" * 128},
    }

    for name, params in forgeries.items():
        response = client.get(reverse("payments:return"), params)
        assert response.status_code == 400, name
        assert "Không xác thực được thông tin trả về" in text_of(response), name
        assert "Đã thanh toán" not in text_of(response), name

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.STARTED
    page = text_of(detail(client, dossier))
    assert PAY_BUTTON in page
    assert "Đã thanh toán" not in page

    # Signed as the bank signs, but the bank's own notification has not arrived: the page
    # waits for it and believes nothing the query string says.
    response = client.get(reverse("payments:return"), good)
    assert response.status_code == 200
    page = text_of(response)
    assert "đang chờ" in page.lower()
    assert "Đã thanh toán" not in page
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.STARTED
    assert (payment.completed_at, payment.response_code, payment.raw_notification) == (
        None,
        "",
        None,
    )
    assert payment.history.count() == history
    assert not completion_events(dossier).exists()
    assert payment_mails(dossier) == []
    assert PAY_BUTTON in text_of(detail(client, dossier))


# 3. The IPN --------------------------------------------------------------------------


def test_bad_notifications_are_refused_and_a_replay_settles_nothing_twice(
    client, world, django_capture_on_commit_callbacks
):
    dossier = submit(world.citizen, world.procedure)
    client.force_login(world.citizen)
    start_paying(client, dossier)
    client.logout()  # the gateway has no session
    payment = Payment.objects.get()
    mail.outbox.clear()
    good = bank_answer(payment)
    refused = [
        ("97", {**good, "vnp_Amount": str(payment.amount * 100 * 2)}),
        ("97", {**good, "vnp_SecureHash": good["vnp_SecureHash"][::-1]}),
        ("97", {name: value for name, value in good.items() if name != "vnp_SecureHash"}),
        ("97", notification_params(payment, secret=VNPAY_SECRET, tmn=SANDBOX_TMN)),
        ("01", bank_answer(payment, vnp_TxnRef="DVC260101000000ABCDEF")),
        ("04", bank_answer(payment, vnp_Amount=str(payment.amount * 100 - 100))),
        ("04", bank_answer(payment, vnp_Amount="100")),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        answers = [ipn(client, params) for _expected, params in refused]

    assert answers == [expected for expected, _params in refused]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.STARTED
    assert not completion_events(dossier).exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert ipn(client, good) == "00"
    with django_capture_on_commit_callbacks(execute=True):
        assert ipn(client, good) == "02"
        # A late "cancelled" for the same transaction does not undo the payment either.
        assert ipn(client, bank_answer(payment, vnp_ResponseCode="24")) == "02"

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.COMPLETED
    assert completion_events(dossier).count() == 1
    assert len(payment_mails(dossier)) == 1
    assert payment.reference in payment_mails(dossier)[0].body
    client.force_login(world.citizen)
    page = text_of(detail(client, dossier))
    assert "Đã thanh toán" in page and PAY_BUTTON not in page


# 4. Someone else's payment -----------------------------------------------------------


def test_nobody_pays_for_or_looks_at_another_citizens_payment(
    client, world, django_capture_on_commit_callbacks
):
    dossier = submit(world.citizen, world.procedure)
    pay_url = reverse("dossiers:pay", args=[dossier.code])
    only_the_citizen = {"owner": world.citizen, "others": [world.other]}

    # Another citizen's click starts nothing; the owner's goes to the bank.
    bank_url = assert_only_the_owner_reaches(
        client, "post", pay_url, status=302, unchanged=Payment.objects.count, **only_the_citizen
    )["Location"]
    assert bank_url.startswith(reverse("payments:sandbox") + "?")
    with django_capture_on_commit_callbacks(execute=True):
        paid = client.post(reverse("payments:sandbox"), {**query_of(bank_url), "choice": "pay"})
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.COMPLETED
    return_url = paid["Location"]

    receipt_url = reverse("dossiers:receipt", args=[dossier.code, payment.reference])
    for url in (receipt_url, return_url):
        assert_only_the_owner_reaches(client, "get", url, **only_the_citizen)
    assert_only_the_owner_reaches(
        client, "get", reverse("payments:return"), data=bank_answer(payment), **only_the_citizen
    )
    client.force_login(world.other)
    response = client.get(return_url)
    # Nothing about the payment (the query string echoed in the language switcher is
    # only what the visitor typed).
    assert "Đã thanh toán" not in text_of(response) and "50.000" not in text_of(response)
    # Paid: the owner's click only says so, on the dossier's page.
    assert_only_the_owner_reaches(
        client,
        "post",
        pay_url,
        location=reverse("dossiers:detail", args=[dossier.code]),
        unchanged=Payment.objects.count,
        **only_the_citizen,
    )
    assert Payment.objects.count() == 1


# 5. Paid twice -----------------------------------------------------------------------


def test_a_late_success_after_a_second_payment_is_refunded_as_a_duplicate(
    client, world, django_capture_on_commit_callbacks
):
    dossier = submit(world.citizen, world.procedure)
    client.force_login(world.citizen)
    first_url = start_paying(client, dossier)
    first = Payment.objects.get()
    # The citizen left the bank's page open past its time...
    Payment.objects.filter(pk=first.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    # ...and paid again from the dossier page, under a new reference.
    second_url = start_paying(client, dossier)
    assert query_of(second_url)["vnp_TxnRef"] != query_of(first_url)["vnp_TxnRef"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:sandbox"), {**query_of(second_url), "choice": "pay"})
    first.refresh_from_db()
    second = Payment.objects.exclude(pk=first.pk).get()
    assert (first.status, second.status) == (PaymentStatus.EXPIRED, PaymentStatus.COMPLETED)
    assert not Refund.objects.exists()

    # The bank then confirms the first one too: the money did move.
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        assert ipn(client, bank_answer(first)) == "00"

    first.refresh_from_db()
    assert first.status == PaymentStatus.COMPLETED
    refund = Refund.objects.get()
    assert refund.payment == first  # the one completed second is the excess
    assert refund.amount == 50000 and refund.status == RefundStatus.PENDING
    assert "trùng" in refund.reason
    assert completion_events(dossier).count() == 2
    assert (
        DossierEvent.objects.filter(dossier=dossier, kind=EventKind.REFUND_REQUESTED).count() == 1
    )

    client.force_login(world.citizen)
    page = text_of(detail(client, dossier))
    assert f"Hoàn trả 50.000 đồng ({refund.reason}): chờ hoàn trả." in page
    assert page.count("Đã thanh toán") >= 2
    assert PAY_BUTTON not in page


# 6. Receipts: for a paid payment only ------------------------------------------------


def receipt(client, dossier, payment):
    """The citizen's "Biên lai thu phí, lệ phí" of ``payment``, as the dossier page links it."""
    return client.get(reverse("dossiers:receipt", args=[dossier.code, payment.reference]))


def assert_is_the_receipt_pdf(response, payment):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert payment.reference in response["Content-Disposition"]


def test_a_started_payment_has_no_receipt_until_the_bank_confirms_it(
    client, world, django_capture_on_commit_callbacks
):
    dossier = submit(world.citizen, world.procedure)
    client.force_login(world.citizen)
    bank_url = start_paying(client, dossier)
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.STARTED

    assert receipt(client, dossier, payment).status_code == 404

    # The control: paid on the bank's page, the same URL serves the receipt.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:sandbox"), {**query_of(bank_url), "choice": "pay"})
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.COMPLETED
    assert_is_the_receipt_pdf(receipt(client, dossier, payment), payment)


def test_an_expired_payment_has_no_receipt_until_a_late_confirmation_settles_it(
    client, world, django_capture_on_commit_callbacks
):
    dossier = submit(world.citizen, world.procedure)
    client.force_login(world.citizen)
    start_paying(client, dossier)
    payment = Payment.objects.get()
    # The citizen left the bank's page; once its time is over, reconciliation finds no
    # finished transaction at the bank.
    payment_services.reconcile(
        older_than=datetime.timedelta(minutes=30),
        now=payment.expires_at + datetime.timedelta(minutes=1),
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED

    assert receipt(client, dossier, payment).status_code == 404

    # The control: the bank's late notification says the money moved; the same URL serves
    # the receipt.
    with django_capture_on_commit_callbacks(execute=True):
        assert ipn(client, bank_answer(payment)) == "00"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.COMPLETED
    assert_is_the_receipt_pdf(receipt(client, dossier, payment), payment)


@pytest.mark.parametrize(
    ("choice", "status"),
    [("cancel", PaymentStatus.CANCELLED), ("insufficient", PaymentStatus.FAILED)],
    ids=["cancelled", "failed"],
)
def test_a_cancelled_or_failed_payment_never_has_a_receipt(
    client, world, choice, status, django_capture_on_commit_callbacks
):
    dossier = submit(world.citizen, world.procedure)
    client.force_login(world.citizen)
    bank_url = start_paying(client, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:sandbox"), {**query_of(bank_url), "choice": choice})
    refused = Payment.objects.get()
    assert refused.status == status

    assert receipt(client, dossier, refused).status_code == 404

    # The control: paid at the second attempt, that payment's receipt is served; the
    # refused attempt still has none, though the dossier is now paid.
    bank_url = start_paying(client, dossier)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:sandbox"), {**query_of(bank_url), "choice": "pay"})
    paid = Payment.objects.get(status=PaymentStatus.COMPLETED)
    assert_is_the_receipt_pdf(receipt(client, dossier, paid), paid)
    assert receipt(client, dossier, refused).status_code == 404
