"""The simulated bank, end to end through the test client: start, bank page, choice,
IPN in-process, return page."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from payments.constants import PaymentStatus
from payments.gateways.vnpay import vnp_date
from payments.models import Payment, SandboxTransaction

from .helpers import pay, query_of, with_hash

pytestmark = pytest.mark.django_db

SANDBOX_SECRET = "sandbox-secret-for-development-only"


def bank_form(response):
    """The hidden fields of the bank page's form, as a browser would post them."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    form = soup.find("form", action=reverse("payments:sandbox"))
    return {
        field["name"]: field.get("value", "")
        for field in form.find_all("input", type="hidden")
        if field["name"] != "csrfmiddlewaretoken"
    }


def pay_at_the_bank(client, citizen, choice, capture):
    payment, url = pay(citizen)
    page = client.get(url)
    assert page.status_code == 200
    with capture(execute=True):
        answer = client.post(reverse("payments:sandbox"), {**bank_form(page), "choice": choice})
    assert answer.status_code == 302
    assert answer.url.startswith("http://testserver/thanh-toan/ket-qua/?")
    result = client.get(answer.url)
    payment.refresh_from_db()
    return payment, result


@pytest.fixture
def logged_in(client, citizen):
    client.force_login(citizen)
    return client


def test_the_bank_page_shows_the_amount_and_the_three_choices(logged_in, citizen):
    payment, url = pay(citizen, amount=125_000)

    page = logged_in.get(url)

    html = page.content.decode()
    assert "125.000 đồng" in html
    assert "Le phi dang ky khai sinh" in html
    assert payment.reference in html
    soup = BeautifulSoup(html, "html.parser")
    buttons = {b.get_text(strip=True): b["value"] for b in soup.select("form button[name=choice]")}
    assert buttons == {"Thanh toán": "pay", "Hủy": "cancel", "Không đủ số dư": "insufficient"}
    assert soup.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None


def test_paying_completes_and_the_return_page_says_so(
    logged_in, citizen, completions, django_capture_on_commit_callbacks
):
    payment, result = pay_at_the_bank(
        logged_in, citizen, "pay", django_capture_on_commit_callbacks
    )

    assert payment.status == PaymentStatus.COMPLETED
    assert payment.bank_code == "SANDBOX"
    assert payment.gateway_transaction_no
    assert completions == [payment.reference]
    assert result.status_code == 200
    html = result.content.decode()
    assert "Đã thanh toán" in html
    assert "50.000 đồng" in html
    assert timezone.localtime(payment.completed_at).strftime("%d/%m/%Y %H:%M") in html
    assert 'http-equiv="refresh"' not in html


def test_cancelling_at_the_bank(
    logged_in, citizen, completions, django_capture_on_commit_callbacks
):
    payment, result = pay_at_the_bank(
        logged_in, citizen, "cancel", django_capture_on_commit_callbacks
    )

    assert payment.status == PaymentStatus.CANCELLED
    html = result.content.decode()
    assert "Đã hủy" in html
    assert "Bạn đã hủy giao dịch." in html
    assert 'href="/ho-so/"' in html  # a way back
    assert completions == []


def test_insufficient_funds_fails(logged_in, citizen, django_capture_on_commit_callbacks):
    payment, result = pay_at_the_bank(
        logged_in, citizen, "insufficient", django_capture_on_commit_callbacks
    )

    assert payment.status == PaymentStatus.FAILED
    assert payment.response_code == "51"
    html = result.content.decode()
    assert "Thanh toán không thành công" in html
    assert "không đủ số dư" in html


def test_a_second_click_repeats_the_banks_first_answer(
    logged_in, citizen, completions, django_capture_on_commit_callbacks
):
    payment, url = pay(citizen)
    form = bank_form(logged_in.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        first = logged_in.post(reverse("payments:sandbox"), {**form, "choice": "pay"})
        second = logged_in.post(reverse("payments:sandbox"), {**form, "choice": "cancel"})

    assert query_of(second.url) == query_of(first.url)
    assert SandboxTransaction.objects.count() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.COMPLETED
    assert completions == [payment.reference]


def test_a_tampered_request_is_refused(logged_in, citizen):
    payment, url = pay(citizen)
    params = query_of(url)

    cheaper = logged_in.get(reverse("payments:sandbox"), {**params, "vnp_Amount": "100"})
    posted = logged_in.post(
        reverse("payments:sandbox"), {**params, "vnp_Amount": "100", "choice": "pay"}
    )

    for response in (cheaper, posted):
        assert response.status_code == 400
        assert "Yêu cầu thanh toán không hợp lệ" in response.content.decode()
    assert not SandboxTransaction.objects.exists()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.STARTED


def test_a_return_url_to_another_site_is_refused(logged_in, citizen):
    params = query_of(pay(citizen)[1])
    params["vnp_ReturnUrl"] = "https://evil.example/steal"
    params = with_hash(params, SANDBOX_SECRET)

    assert logged_in.get(reverse("payments:sandbox"), params).status_code == 400


def test_an_expired_request_is_refused(logged_in, citizen):
    params = query_of(pay(citizen)[1])
    params["vnp_ExpireDate"] = vnp_date(timezone.now() - datetime.timedelta(seconds=1))
    params = with_hash(params, SANDBOX_SECRET)

    response = logged_in.get(reverse("payments:sandbox"), params)

    assert response.status_code == 400
    assert "hết thời gian chờ" in response.content.decode()


def test_the_choice_is_a_csrf_protected_post(citizen):
    browser = Client(enforce_csrf_checks=True)
    _payment, url = pay(citizen)
    form = bank_form(browser.get(url))

    assert browser.post(reverse("payments:sandbox"), {**form, "choice": "pay"}).status_code == 403
    assert not SandboxTransaction.objects.exists()


def test_an_unknown_choice_is_refused(logged_in, citizen):
    _payment, url = pay(citizen)
    form = bank_form(logged_in.get(url))

    response = logged_in.post(reverse("payments:sandbox"), {**form, "choice": "steal"})

    assert response.status_code == 400
    assert not SandboxTransaction.objects.exists()


def test_the_sandbox_is_closed_when_the_real_gateway_is_configured(logged_in, citizen, vnpay):
    url = pay(citizen)[1]
    params = with_hash(
        {**query_of(url), "vnp_TmnCode": "SANDBOX"}, SANDBOX_SECRET
    )  # a request forged with the public development secret

    assert logged_in.get(reverse("payments:sandbox"), params).status_code == 404
    assert Payment.objects.get().status == PaymentStatus.STARTED
    # The control: the same request is the sandbox bank's page while the sandbox is on.
    vnpay.PAYMENT_GATEWAY = "sandbox"
    bank = logged_in.get(reverse("payments:sandbox"), params)
    assert bank.status_code == 200
    assert Payment.objects.get().reference in bank.content.decode()
