"""Reading a dossier's fees: what it is charged, what has been paid, and whether the
citizen may pay online now.

The level rules live here, in one place, for the dossier page, the wizard's last step
and the service that starts a payment: level 3 never pays online; level 4 pays once the
fees are set — when the agency has received the dossier and confirmed them, or at
submission when the procedure collects its fee with the submission.
"""

import dataclasses

from django.utils.translation import gettext_lazy as _

from payments.constants import PaymentStatus
from payments.selectors import payments_for
from procedures.constants import ServiceLevel

from .constants import Channel, DossierStatus

S = DossierStatus

# Statuses in which a confirmed fee may be paid: the agency is still working on it.
PAYABLE_STATUSES = frozenset(
    {S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.SUPPLEMENTED, S.RESULT_READY}
)


def snapshot_level(dossier):
    """The service level the dossier was submitted at (a later change of the page does
    not take online payment away from it, nor give it)."""
    return dossier.snapshot.get("procedure", {}).get("level", dossier.procedure.level)


def pays_on_submission(dossier):
    return bool(dossier.snapshot.get("procedure", {}).get("pay_on_submission"))


def offers_online_payment(dossier):
    """Level 4, submitted online by an account holder (a counter dossier pays there)."""
    return (
        snapshot_level(dossier) >= ServiceLevel.PAYMENT
        and dossier.channel == Channel.ONLINE
        and dossier.applicant_id is not None
    )


def fees_confirmed(dossier):
    """Whether the amounts are final: confirmed by the official at receipt, or taken as
    they are at submission when the procedure collects the fee with it."""
    return dossier.received_at is not None or pays_on_submission(dossier)


@dataclasses.dataclass(frozen=True)
class FeeSummary:
    lines: list
    payments: list
    total: int
    paid: int
    confirmed: bool
    online: bool
    status: str

    @property
    def outstanding(self):
        return max(self.total - self.paid, 0)

    @property
    def completed_payments(self):
        return [p for p in self.payments if p.status == PaymentStatus.COMPLETED]

    @property
    def payable(self):
        """Whether "Thanh toán trực tuyến" is offered now."""
        open_status = self.status in PAYABLE_STATUSES or (
            self.status == S.SUBMITTED and self.confirmed
        )
        return self.online and self.confirmed and self.outstanding > 0 and open_status

    def refusal(self):
        """Why online payment is not possible now, as the citizen is told; "" if it is."""
        if self.payable:
            return ""
        if not self.online:
            return REFUSALS["level"]
        if self.total == 0:
            return REFUSALS["free"]
        if self.outstanding == 0:
            return REFUSALS["paid"]
        if not self.confirmed:
            return REFUSALS["unconfirmed"]
        return REFUSALS["closed"]


REFUSALS = {
    "level": _("Thủ tục này không thanh toán trực tuyến; phí, lệ phí nộp tại cơ quan."),
    "free": _("Hồ sơ này không phải nộp phí, lệ phí."),
    "paid": _("Hồ sơ đã được thanh toán đủ phí, lệ phí."),
    "unconfirmed": _(
        "Cơ quan tiếp nhận chưa xác nhận mức phí, lệ phí; bạn sẽ thanh toán được sau khi "
        "hồ sơ được tiếp nhận."
    ),
    "closed": _("Hồ sơ đã kết thúc; không thể thanh toán."),
}


def fee_summary(dossier):
    """The dossier's fee lines, payments and totals (two queries)."""
    lines = list(dossier.fee_lines.all())
    payments = list(payments_for(dossier))
    return FeeSummary(
        lines=lines,
        payments=payments,
        total=sum(line.amount for line in lines),
        paid=sum(p.amount for p in payments if p.status == PaymentStatus.COMPLETED),
        confirmed=fees_confirmed(dossier),
        online=offers_online_payment(dossier),
        status=dossier.status,
    )
