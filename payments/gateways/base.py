"""What every payment gateway is: the interface, its notification and its error, and the
order text VNPAY accepts."""

import re
from dataclasses import dataclass

from anyascii import anyascii


class GatewayError(Exception):
    """The gateway could not be asked, or answered something we cannot trust."""


@dataclass(frozen=True)
class Notification:
    """What a gateway says about one payment, once its signature has been checked.

    ``amount_vnd`` is None when the amount cannot be read as whole đồng: it then matches
    no payment. ``ok`` is the gateway's word that the money has moved.
    """

    reference: str
    amount_vnd: int | None
    response_code: str
    transaction_status: str
    transaction_no: str
    bank_code: str
    ok: bool

    @property
    def cancelled(self):
        """VNPAY's response code 24: the citizen cancelled on the bank's page."""
        return self.response_code == "24"


class PaymentGateway:
    """The operations services need from a gateway; see ``vnpay.VnpayGateway``."""

    name = ""

    def payment_url(self, payment, *, return_url, client_ip):
        """Where to send the citizen's browser to pay ``payment``."""
        raise NotImplementedError

    def verify(self, params):
        """Whether ``params`` (an IPN's or return URL's query) carry a valid signature."""
        raise NotImplementedError

    def parse_notification(self, params):
        """The ``Notification`` in verified ``params``."""
        raise NotImplementedError

    def query(self, payment):
        """Ask the gateway what became of ``payment`` (reconciliation).

        A ``Notification`` when the gateway knows a final outcome; None when it knows of
        no completed transaction (not found, or the citizen never finished). Raises
        ``GatewayError`` when it could not be asked: then nothing may be concluded.
        """
        raise NotImplementedError


_NOT_ORDER_INFO = re.compile(r"[^A-Za-z0-9 ]+")


def order_info(text):
    """``text`` as VNPAY accepts it in vnp_OrderInfo: ASCII letters, digits and spaces.

    Vietnamese is folded ("Lệ phí đăng ký" → "Le phi dang ky"), everything else dropped,
    spaces collapsed; at most 255 characters.
    """
    folded = _NOT_ORDER_INFO.sub(" ", anyascii(text or ""))
    return " ".join(folded.split())[:255].strip()
