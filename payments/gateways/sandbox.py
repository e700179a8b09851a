"""The built-in simulated bank: VNPAY's protocol, answered by the portal itself.

It receives exactly the request VNPAY would (signed with ``SANDBOX_HASH_SECRET``), lets
the tester choose how the bank answers, notifies the IPN handler server to server and
sends the browser back to the return URL, all with VNPAY's signed parameters. Only the
secret, the merchant code and the page address differ from ``VnpayGateway``.
"""

import secrets

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ..models import SandboxTransaction
from .vnpay import VnpayGateway, parse_vnp_params, signed, vnp_date

TMN_CODE = "SANDBOX"

# The tester's choice on the bank page: (vnp_ResponseCode, vnp_TransactionStatus).
OUTCOMES = {
    "pay": ("00", "00"),
    "cancel": ("24", "02"),
    "insufficient": ("51", "02"),
}
# The request fields the bank cannot do without.
REQUIRED = (
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_Amount",
    "vnp_TxnRef",
    "vnp_OrderInfo",
    "vnp_ReturnUrl",
    "vnp_CreateDate",
)


class SandboxGateway(VnpayGateway):
    name = "sandbox"

    def __init__(self):
        super().__init__(
            tmn_code=TMN_CODE,
            secret=settings.SANDBOX_HASH_SECRET,
            url=reverse("payments:sandbox"),
        )

    def is_payment_request(self, params):
        """Whether ``params`` are a signed VNPAY payment request addressed to this bank."""
        return (
            self.verify(params)
            and all(params.get(name) for name in REQUIRED)
            and params["vnp_Command"] == "pay"
            and params["vnp_TmnCode"] == self.tmn_code
            and parse_vnp_params(params).amount_vnd is not None
        )

    def decide(self, request_params, choice):
        """Record the bank's answer to a (verified) payment request and return it signed.

        A bank answers a transaction once: asked again (a second click, a reload), it
        repeats its first answer.
        """
        code, status = OUTCOMES[choice]
        paid = code == "00"
        answer = {
            "vnp_Amount": request_params["vnp_Amount"],
            "vnp_BankCode": "SANDBOX",
            "vnp_BankTranNo": f"SB{secrets.randbelow(10**10):010d}" if paid else "",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": request_params["vnp_OrderInfo"],
            "vnp_PayDate": vnp_date(timezone.now()),
            "vnp_ResponseCode": code,
            "vnp_TmnCode": self.tmn_code,
            # VNPAY gives a cancelled transaction the number 0.
            "vnp_TransactionNo": "0" if choice == "cancel" else _transaction_no(),
            "vnp_TransactionStatus": status,
            "vnp_TxnRef": request_params["vnp_TxnRef"],
        }
        answer = signed({k: v for k, v in answer.items() if v != ""}, self.secret)
        ledger, _created = SandboxTransaction.objects.get_or_create(
            reference=request_params["vnp_TxnRef"], defaults={"answer": answer}
        )
        return ledger.answer

    def query(self, payment):
        """What the bank's ledger says, as querydr would: None when it never answered."""
        ledger = SandboxTransaction.objects.filter(reference=payment.reference).first()
        if ledger is None:
            return None
        return parse_vnp_params(ledger.answer)


def _transaction_no():
    return str(10**11 + secrets.randbelow(9 * 10**11))
