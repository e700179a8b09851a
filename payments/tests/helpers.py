"""Helpers for the payment tests. The signature is computed here from VNPAY's documented
algorithm, independently of ``payments.gateways.vnpay``, so that a mistake there shows."""

import hashlib
import hmac
from urllib.parse import parse_qsl, quote_plus, urlsplit

from payments.services import start_payment

VNPAY_TMN = "DVCTEST1"
VNPAY_SECRET = "VNPAYTESTSECRETKEY0123456789ABCD"
RETURN_URL = "http://testserver/thanh-toan/ket-qua/"


def vnpay_sign(params, secret):
    """VNPAY 2.1.0: vnp_* but the hash fields, non-empty, sorted, key=quote_plus(value)
    joined with "&", HMAC-SHA512, hex."""
    data = "&".join(
        f"{key}={quote_plus(str(params[key]))}"
        for key in sorted(params)
        if key.startswith("vnp_")
        and key not in ("vnp_SecureHash", "vnp_SecureHashType")
        and params[key] != ""
    )
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def with_hash(params, secret):
    return {**params, "vnp_SecureHash": vnpay_sign(params, secret)}


def notification_params(payment, secret=VNPAY_SECRET, tmn=VNPAY_TMN, **overrides):
    """A signed IPN for ``payment`` as VNPAY sends it (success unless overridden)."""
    params = {
        "vnp_Amount": str(payment.amount * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14226112",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": payment.description,
        "vnp_PayDate": "20261201103015",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": tmn,
        "vnp_TransactionNo": "14226112",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": payment.reference,
    }
    params.update(overrides)
    return with_hash(params, secret)


def query_of(url):
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def pay(payer, *, amount=50_000, description="Lệ phí đăng ký khai sinh", dossier=None):
    """Start a payment the way a dossier will; returns (payment, redirect URL)."""
    return start_payment(
        payer=payer,
        amount=amount,
        description=description,
        dossier=dossier,
        client_ip="203.0.113.7",
        return_url=RETURN_URL,
    )
