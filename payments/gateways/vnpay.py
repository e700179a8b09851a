"""VNPAY 2.1.0: the payment URL, the signature of what comes back, and querydr.

One function, ``secure_hash``, signs in both directions: the parameters we send to the
payment page and the parameters VNPAY sends to the IPN and the return URL are signed
the same way (VNPAY 2.1.0 documentation, "Tạo URL thanh toán" and "IPN URL"). querydr,
a JSON API, signs a fixed list of fields joined with "|" instead (``querydr_hash``).
"""

import datetime
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
import uuid
from urllib.parse import quote_plus, urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .base import GatewayError, Notification, PaymentGateway, order_info

logger = logging.getLogger(__name__)

VERSION = "2.1.0"
GMT7 = datetime.timezone(datetime.timedelta(hours=7))
DATE_FORMAT = "%Y%m%d%H%M%S"
UNSIGNED = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})
QUERY_TIMEOUT_SECONDS = 15

# querydr signs these fields, in this order, joined with "|" (missing ones as "").
QUERYDR_REQUEST_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
QUERYDR_RESPONSE_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
)


def vnp_date(moment):
    """A moment as VNPAY writes dates: GMT+7, ``yyyyMMddHHmmss``, whatever TIME_ZONE says."""
    return moment.astimezone(GMT7).strftime(DATE_FORMAT)


def parse_vnp_date(text):
    """The aware datetime of a VNPAY date, or None when it is not one."""
    try:
        return datetime.datetime.strptime(text, DATE_FORMAT).replace(tzinfo=GMT7)
    except (TypeError, ValueError):
        return None


def _hmac_sha512(secret, data):
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def signing_data(params):
    """The text VNPAY signs: every ``vnp_*`` parameter except the hash itself, empty ones
    dropped, sorted by name, ``name=quote_plus(value)`` joined with "&"."""
    return "&".join(
        f"{name}={quote_plus(str(value))}"
        for name, value in sorted(params.items())
        if name.startswith("vnp_") and name not in UNSIGNED and value not in (None, "")
    )


def secure_hash(params, secret):
    """vnp_SecureHash of ``params``: HMAC-SHA512 of ``signing_data`` with the hash secret."""
    return _hmac_sha512(secret, signing_data(params))


def has_valid_hash(params, secret):
    """Whether ``params["vnp_SecureHash"]`` is their signature (constant-time comparison)."""
    given = str(params.get("vnp_SecureHash") or "")
    if not given or not secret:
        return False
    return hmac.compare_digest(secure_hash(params, secret).encode(), given.lower().encode())


def signed(params, secret):
    """``params`` with their vnp_SecureHash added."""
    return {**params, "vnp_SecureHash": secure_hash(params, secret)}


def signed_query(params, secret):
    """The query string of a signed request, encoded as it was signed (quote_plus)."""
    return urlencode(signed(params, secret))


def querydr_hash(data, fields, secret):
    """querydr's signature: the named fields' values joined with "|", HMAC-SHA512."""
    text = "|".join("" if data.get(name) is None else str(data[name]) for name in fields)
    return _hmac_sha512(secret, text)


def parse_vnp_params(params):
    """The Notification in an IPN's (or return URL's) parameters."""
    response_code = str(params.get("vnp_ResponseCode") or "")
    status = str(params.get("vnp_TransactionStatus") or "")
    return Notification(
        reference=str(params.get("vnp_TxnRef") or ""),
        amount_vnd=_amount_vnd(params.get("vnp_Amount")),
        response_code=response_code,
        transaction_status=status,
        transaction_no=str(params.get("vnp_TransactionNo") or ""),
        bank_code=str(params.get("vnp_BankCode") or ""),
        ok=response_code == "00" and status == "00",
    )


def _amount_vnd(value):
    """vnp_Amount is đồng × 100; anything that is not a whole number of đồng is None."""
    try:
        minor = int(str(value))
    except (TypeError, ValueError):
        return None
    if minor <= 0 or minor % 100:
        return None
    return minor // 100


class VnpayGateway(PaymentGateway):
    """The real VNPAY payment gateway (or its public sandbox, by VNPAY_URL)."""

    name = "vnpay"

    def __init__(self, *, tmn_code, secret, url, api_url="", server_ip="127.0.0.1"):
        self.tmn_code = tmn_code
        self.secret = secret
        self.url = url
        self.api_url = api_url
        self.server_ip = server_ip

    @classmethod
    def from_settings(cls):
        if not (settings.VNPAY_TMN_CODE and settings.VNPAY_HASH_SECRET and settings.VNPAY_URL):
            raise ImproperlyConfigured(
                "PAYMENT_GATEWAY=vnpay needs VNPAY_TMN_CODE, VNPAY_HASH_SECRET and VNPAY_URL."
            )
        return cls(
            tmn_code=settings.VNPAY_TMN_CODE,
            secret=settings.VNPAY_HASH_SECRET,
            url=settings.VNPAY_URL,
            api_url=settings.VNPAY_API_URL,
            server_ip=settings.VNPAY_SERVER_IP,
        )

    # Paying ---------------------------------------------------------------------------
    def payment_params(self, payment, *, return_url, client_ip):
        """The unsigned parameters of the payment page for ``payment``."""
        return {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(payment.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": payment.reference,
            "vnp_OrderInfo": order_info(payment.description) or f"Thanh toan {payment.reference}",
            "vnp_OrderType": "other",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": client_ip,
            "vnp_CreateDate": vnp_date(payment.created_at),
            "vnp_ExpireDate": vnp_date(payment.expires_at),
        }

    def payment_url(self, payment, *, return_url, client_ip):
        params = self.payment_params(payment, return_url=return_url, client_ip=client_ip)
        return f"{self.url}?{signed_query(params, self.secret)}"

    def verify(self, params):
        return has_valid_hash(params, self.secret)

    def parse_notification(self, params):
        return parse_vnp_params(params)

    # Reconciliation (querydr) --------------------------------------------------------
    def querydr_body(self, payment, *, request_id=None, now=None):
        """The signed JSON body of a querydr request about ``payment``."""
        body = {
            "vnp_RequestId": request_id or uuid.uuid4().hex,
            "vnp_Version": VERSION,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": payment.reference,
            "vnp_OrderInfo": f"Truy van giao dich {payment.reference}",
            # The vnp_CreateDate the payment was sent with: VNPAY finds it by both.
            "vnp_TransactionDate": vnp_date(payment.created_at),
            "vnp_CreateDate": vnp_date(now or timezone.now()),
            "vnp_IpAddr": self.server_ip,
        }
        body["vnp_SecureHash"] = querydr_hash(body, QUERYDR_REQUEST_FIELDS, self.secret)
        return body

    def parse_querydr_response(self, data, payment):
        """The Notification in querydr's answer about ``payment``, None when VNPAY has no
        finished transaction for it; ``GatewayError`` when the answer cannot be trusted."""
        if not isinstance(data, dict):
            raise GatewayError("querydr: the answer is not a JSON object")
        expected = querydr_hash(data, QUERYDR_RESPONSE_FIELDS, self.secret)
        given = str(data.get("vnp_SecureHash") or "").lower()
        if not hmac.compare_digest(expected.encode(), given.encode()):
            raise GatewayError("querydr: invalid signature")
        code = str(data.get("vnp_ResponseCode") or "")
        if code == "91":  # transaction not found: the citizen never reached the bank
            return None
        if code != "00":
            raise GatewayError(f"querydr: response code {code} ({data.get('vnp_Message')})")
        if data.get("vnp_TxnRef") != payment.reference or data.get("vnp_TmnCode") != (
            self.tmn_code
        ):
            raise GatewayError("querydr: the answer is about another transaction")
        status = str(data.get("vnp_TransactionStatus") or "")
        if status in ("", "01"):  # not finished (yet)
            return None
        return Notification(
            reference=payment.reference,
            amount_vnd=_amount_vnd(data.get("vnp_Amount")),
            # querydr's own response code says the query worked, not how the payment
            # ended: only the transaction status does.
            response_code="00" if status == "00" else "",
            transaction_status=status,
            transaction_no=str(data.get("vnp_TransactionNo") or ""),
            bank_code=str(data.get("vnp_BankCode") or ""),
            ok=status == "00",
        )

    def query(self, payment):
        body = self.querydr_body(payment)
        return self.parse_querydr_response(_post_json(self.api_url, body), payment)


def _post_json(url, body, timeout=QUERY_TIMEOUT_SECONDS):
    """POST ``body`` as JSON and return the decoded answer; GatewayError on any failure."""
    if urlsplit(url).scheme not in ("https", "http"):
        raise GatewayError(f"querydr: refusing to call {url!r}")
    request = urllib.request.Request(  # noqa: S310  (scheme checked above)
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read(1024 * 1024))
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        raise GatewayError(f"querydr: {error}") from error
