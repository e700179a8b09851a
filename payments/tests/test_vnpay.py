"""The VNPAY 2.1.0 adapter: the signed payment URL, verification, and querydr."""

import datetime
import hashlib
import hmac
import json

import pytest
from django.utils import timezone

from payments.gateways import GatewayError, get_gateway, order_info
from payments.gateways import vnpay as vnpay_module
from payments.gateways.vnpay import signing_data, vnp_date

from .helpers import VNPAY_SECRET, VNPAY_TMN, pay, query_of, vnpay_sign

pytestmark = pytest.mark.django_db


def test_signing_data_is_sorted_quote_plus_without_hash_or_empty_values():
    params = {
        "vnp_TxnRef": "DVC1",
        "vnp_Amount": "5000000",
        "vnp_OrderInfo": "Le phi ho tich",
        "vnp_ReturnUrl": "https://dvc.example.vn/thanh-toan/ket-qua/?a=1",
        "vnp_BankCode": "",
        "vnp_SecureHash": "abc",
        "vnp_SecureHashType": "HmacSHA512",
        "other": "ignored",
    }

    # Written out by hand from the documentation, not rebuilt by the same code.
    assert signing_data(params) == (
        "vnp_Amount=5000000&vnp_OrderInfo=Le+phi+ho+tich"
        "&vnp_ReturnUrl=https%3A%2F%2Fdvc.example.vn%2Fthanh-toan%2Fket-qua%2F%3Fa%3D1"
        "&vnp_TxnRef=DVC1"
    )


def test_payment_url_carries_the_documented_parameters_and_signature(vnpay, citizen):
    payment, url = pay(citizen, amount=125_000, description="Lệ phí cấp Phiếu lý lịch tư pháp!")

    assert url.startswith("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?")
    params = query_of(url)
    assert params["vnp_Version"] == "2.1.0"
    assert params["vnp_Command"] == "pay"
    assert params["vnp_TmnCode"] == VNPAY_TMN
    assert params["vnp_Amount"] == "12500000"  # đồng × 100
    assert params["vnp_CurrCode"] == "VND"
    assert params["vnp_TxnRef"] == payment.reference
    assert params["vnp_OrderInfo"] == "Le phi cap Phieu ly lich tu phap"
    assert params["vnp_OrderType"] == "other"
    assert params["vnp_Locale"] == "vn"
    assert params["vnp_ReturnUrl"] == "http://testserver/thanh-toan/ket-qua/"
    assert params["vnp_IpAddr"] == "203.0.113.7"
    # The signature, recomputed independently with the documented algorithm.
    assert params["vnp_SecureHash"] == vnpay_sign(params, VNPAY_SECRET)
    assert get_gateway().verify(params)


def test_dates_are_gmt7_and_fifteen_minutes_apart(vnpay, citizen):
    payment, url = pay(citizen)
    params = query_of(url)

    gmt7 = datetime.timezone(datetime.timedelta(hours=7))
    created = datetime.datetime.strptime(params["vnp_CreateDate"], "%Y%m%d%H%M%S")
    expires = datetime.datetime.strptime(params["vnp_ExpireDate"], "%Y%m%d%H%M%S")
    assert created.replace(tzinfo=gmt7) == payment.created_at.replace(microsecond=0)
    assert expires - created == datetime.timedelta(minutes=15)
    utc = datetime.datetime(2026, 12, 31, 20, 5, 9, tzinfo=datetime.UTC)
    assert vnp_date(utc) == "20270101030509"


def test_order_info_keeps_ascii_letters_digits_and_spaces_only():
    assert order_info("Đăng ký khai sinh — hồ sơ số 12/2026 (Sở Tư pháp)") == (
        "Dang ky khai sinh ho so so 12 2026 So Tu phap"
    )
    assert order_info("Ưu đãi: 100% ĐƯỢC") == "Uu dai 100 DUOC"
    assert order_info("x" * 300) == "x" * 255


def test_verification_refuses_any_change(vnpay, citizen):
    _payment, url = pay(citizen)
    params = query_of(url)
    gateway = get_gateway()

    assert gateway.verify(params)
    assert not gateway.verify({**params, "vnp_Amount": "100"})
    signature = params["vnp_SecureHash"]
    # One hex digit changed (to "1" when it was "0": replacing it with itself, one
    # signature in sixteen, would change nothing and fail this test at random).
    altered = signature[:-1] + ("1" if signature[-1] == "0" else "0")
    assert not gateway.verify({**params, "vnp_SecureHash": altered})
    assert not gateway.verify({**params, "vnp_SecureHash": "đ" * 128})
    assert not gateway.verify({key: v for key, v in params.items() if key != "vnp_SecureHash"})
    # The case of the hex digits does not matter; an added unsigned parameter neither.
    assert gateway.verify({**params, "vnp_SecureHash": params["vnp_SecureHash"].upper()})
    assert gateway.verify({**params, "utm_source": "mail"})


def test_notification_amount_must_be_whole_dong(vnpay):
    gateway = get_gateway()
    assert gateway.parse_notification({"vnp_Amount": "5000000"}).amount_vnd == 50_000
    assert gateway.parse_notification({"vnp_Amount": "5000050"}).amount_vnd is None
    assert gateway.parse_notification({"vnp_Amount": "abc"}).amount_vnd is None


# querydr ------------------------------------------------------------------------------
def _pipe_hash(values):
    return hmac.new(VNPAY_SECRET.encode(), "|".join(values).encode(), hashlib.sha512).hexdigest()


def test_querydr_body_is_signed_over_the_documented_fields(vnpay, citizen):
    payment, _url = pay(citizen)
    now = timezone.now()

    body = get_gateway().querydr_body(payment, request_id="REQ1", now=now)

    assert body["vnp_Command"] == "querydr"
    assert body["vnp_TransactionDate"] == vnp_date(payment.created_at)
    expected = _pipe_hash(
        [
            "REQ1",
            "2.1.0",
            "querydr",
            VNPAY_TMN,
            payment.reference,
            vnp_date(payment.created_at),
            vnp_date(now),
            "127.0.0.1",
            f"Truy van giao dich {payment.reference}",
        ]
    )
    assert body["vnp_SecureHash"] == expected
    json.dumps(body)  # it is sent as JSON


def querydr_answer(payment, *, status="00", response_code="00", amount=None):
    data = {
        "vnp_ResponseId": "4f2c",
        "vnp_Command": "querydr",
        "vnp_ResponseCode": response_code,
        "vnp_Message": "QueryDR Success",
        "vnp_TmnCode": VNPAY_TMN,
        "vnp_TxnRef": payment.reference,
        "vnp_Amount": str((amount or payment.amount) * 100),
        "vnp_BankCode": "NCB",
        "vnp_PayDate": "20261201101500",
        "vnp_TransactionNo": "14230001",
        "vnp_TransactionType": "01",
        "vnp_TransactionStatus": status,
        "vnp_OrderInfo": payment.description,
    }
    # The two promotion fields are absent, and signed as empty strings.
    data["vnp_SecureHash"] = _pipe_hash([*data.values(), "", ""])
    return data


def test_query_posts_the_body_and_reads_a_canned_answer(vnpay, citizen, monkeypatch):
    payment, _url = pay(citizen)
    calls = []

    def fake_post(url, body, timeout=vnpay_module.QUERY_TIMEOUT_SECONDS):
        calls.append((url, body, timeout))
        return querydr_answer(payment)

    monkeypatch.setattr(vnpay_module, "_post_json", fake_post)

    notification = get_gateway().query(payment)

    [(url, body, timeout)] = calls
    assert url == "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction"
    assert body["vnp_TxnRef"] == payment.reference
    assert timeout > 0
    assert notification.ok
    assert notification.amount_vnd == payment.amount
    assert notification.transaction_no == "14230001"


def test_query_answers(vnpay, citizen):
    payment, _url = pay(citizen)
    gateway = get_gateway()

    assert gateway.parse_querydr_response(querydr_answer(payment, status="01"), payment) is None
    assert (
        gateway.parse_querydr_response(querydr_answer(payment, response_code="91"), payment)
        is None
    )
    failed = gateway.parse_querydr_response(querydr_answer(payment, status="02"), payment)
    assert not failed.ok
    forged = {**querydr_answer(payment), "vnp_TransactionStatus": "00", "vnp_Amount": "100"}
    with pytest.raises(GatewayError):
        gateway.parse_querydr_response(forged, payment)
    with pytest.raises(GatewayError):
        gateway.parse_querydr_response(querydr_answer(payment, response_code="99"), payment)


def test_query_calls_only_http_urls():
    with pytest.raises(GatewayError):
        vnpay_module._post_json("file:///etc/passwd", {})
