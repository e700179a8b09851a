"""Reading a dossier's fees: what it is charged, what has been paid, and whether the
citizen may pay online now.

The level rules live here, in one place, for the dossier page, the wizard's last step
and the service that starts a payment: level 3 never pays online; level 4 pays once the
fees are set — when the agency has received the dossier and confirmed them, or at
submission when the procedure collects its fee with the submission.

A schedule may list alternatives (one of which applies) and lines owed only in some
cases (``procedures.fees``). The dossier's copy of each line says whether it applies
(``FeeLine.applies``): always-owed lines do from the start, the others are undecided
until the official chooses at receipt (``fee_choice_problems`` holds the rules the
receive form and the service share). Until every line is decided the dossier has no
total, and nothing can be paid online: an online payment is only ever for the amount
the agency confirmed.
"""

import dataclasses

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payments.constants import PaymentStatus
from payments.selectors import payments_for
from procedures.constants import FeeCondition, ServiceLevel
from procedures.fees import describe_fee, fee_groups, group_of, schedule_lines

from ..constants import Channel, DossierStatus

# Statuses in which a confirmed fee may be paid: the agency is still working on it.
PAYABLE_STATUSES = frozenset(
    {
        DossierStatus.RECEIVED,
        DossierStatus.PROCESSING,
        DossierStatus.SUPPLEMENT_REQUESTED,
        DossierStatus.SUPPLEMENTED,
        DossierStatus.RESULT_READY,
    }
)


def offers_online_payment(dossier):
    """Level 4, submitted online by an account holder (a counter dossier pays there)."""
    return (
        dossier.as_submitted.level >= ServiceLevel.PAYMENT
        and dossier.channel == Channel.ONLINE
        and dossier.applicant_id is not None
    )


def charged_total(lines):
    """Đồng owed for the lines that apply; None while any line is undecided (an
    alternative or a conditional line the agency has not yet ruled on)."""
    if any(line.applies is None for line in lines):
        return None
    return sum(line.amount for line in lines if line.applies)


@dataclasses.dataclass(frozen=True)
class FeeSummary:
    lines: list
    payments: list
    # None until every line is decided: then there is no amount to show or to pay.
    total: int | None
    paid: int
    confirmed: bool
    online: bool
    status: str

    @property
    def outstanding(self):
        if self.total is None:
            return 0
        return max(self.total - self.paid, 0)

    @property
    def charged_lines(self):
        """The lines that apply to the dossier (an exempt one, at 0 đồng, included)."""
        return [line for line in self.lines if line.applies]

    @property
    def schedule(self):
        """The lines as the procedure's schedule groups them, while undecided."""
        return fee_groups(self.lines)

    @property
    def completed_payments(self):
        return [p for p in self.payments if p.status == PaymentStatus.COMPLETED]

    @property
    def payable(self):
        """Whether "Thanh toán trực tuyến" is offered now: only for an amount the agency
        confirmed (or that the schedule fixes, paid with the submission)."""
        open_status = self.status in PAYABLE_STATUSES or (
            self.status == DossierStatus.SUBMITTED and self.confirmed
        )
        return (
            self.online
            and self.confirmed
            and self.total is not None
            and self.outstanding > 0
            and open_status
        )

    def refusal(self):
        """Why online payment is not possible now, as the citizen is told; "" if it is."""
        if self.payable:
            return ""
        if not self.online:
            return REFUSALS["level"]
        if self.total == 0:
            return REFUSALS["free"]
        if not self.confirmed:
            return REFUSALS["unconfirmed"]
        if self.outstanding == 0:
            return REFUSALS["paid"]
        return REFUSALS["closed"]


REFUSALS = {
    "level": gettext_lazy("Thủ tục này không thanh toán trực tuyến; phí, lệ phí nộp tại cơ quan."),
    "free": gettext_lazy("Hồ sơ này không phải nộp phí, lệ phí."),
    "paid": gettext_lazy("Hồ sơ đã được thanh toán đủ phí, lệ phí."),
    "unconfirmed": gettext_lazy(
        "Cơ quan tiếp nhận chưa xác nhận mức phí, lệ phí; bạn sẽ thanh toán được sau khi "
        "hồ sơ được tiếp nhận."
    ),
    "closed": gettext_lazy("Hồ sơ đã kết thúc; không thể thanh toán."),
}


def fee_summary(dossier):
    """The dossier's fee lines, payments and totals (two queries)."""
    lines = list(dossier.fee_lines.all())
    payments = list(payments_for(dossier))
    total = charged_total(lines)
    return FeeSummary(
        lines=lines,
        payments=payments,
        total=total,
        paid=sum(p.amount for p in payments if p.status == PaymentStatus.COMPLETED),
        # Final when the official confirmed them at receipt, or when the procedure
        # collects a fee its schedule fixes with the submission.
        confirmed=total is not None
        and (dossier.received_at is not None or dossier.as_submitted.pays_on_submission),
        online=offers_online_payment(dossier),
        status=dossier.status,
    )


@dataclasses.dataclass(frozen=True)
class FeeStatement:
    """What a letter or an e-mail says of a dossier's fees: a line of text per fee (or
    per group of alternatives), and the total, None while it is not determined."""

    lines: list
    total: int | None


def fee_statement(dossier):
    """The statement of the dossier's fee lines; for a dossier that has none (submitted
    before dossiers had fee lines), of the schedule in its snapshot."""
    summary = fee_summary(dossier)
    if summary.lines:
        if summary.total is None:
            return FeeStatement(schedule_lines(summary.lines), None)
        return FeeStatement([describe_fee(line) for line in summary.charged_lines], summary.total)
    schedule = dossier.as_submitted.fees
    if all(fee.condition == FeeCondition.ALWAYS for fee in schedule):
        return FeeStatement(
            [describe_fee(fee) for fee in schedule], sum(fee.amount for fee in schedule)
        )
    return FeeStatement(schedule_lines(schedule), None)


def fee_choice_problems(lines, *, applies, amounts):
    """What is wrong with an official's choice of fees at receipt, as ``(line id, "applies"
    or "amount", message)``; empty when it can be recorded.

    ``applies`` (line id → bool) decides the alternative and conditional lines not yet
    decided; ``amounts`` (line id → đồng) the amounts. The rules: a line always owed
    applies (an exemption or a reduction is an amount, with a reason); every other line
    is decided; of each group of alternatives exactly one applies (an unchosen one
    counts 0 đồng, so two would charge both rates); and a line that does not apply keeps
    the schedule's amount, since any other figure there would be a charge that counts
    for nothing.
    """
    problems = []
    decided = {}
    for line in lines:
        choice = applies.get(line.pk, line.applies)
        if line.condition == FeeCondition.ALWAYS:
            if choice is False:
                problems.append(
                    (
                        line.pk,
                        "applies",
                        _("“%(name)s” luôn phải nộp; để miễn hoặc giảm, hãy ghi số tiền và lý do.")
                        % {"name": line.name},
                    )
                )
            choice = True
        elif choice is None:
            problems.append(
                (
                    line.pk,
                    "applies",
                    _("Chưa xác định khoản “%(name)s” có áp dụng cho hồ sơ hay không.")
                    % {"name": line.name},
                )
            )
        decided[line.pk] = choice
        amount = amounts.get(line.pk, line.amount)
        if choice is False and amount != line.amount:
            problems.append(
                (
                    line.pk,
                    "amount",
                    _(
                        "Khoản không áp dụng được tính 0 đồng: đánh dấu “Áp dụng” nếu thu "
                        "khoản này, hoặc để nguyên số tiền theo biểu phí."
                    ),
                )
            )
    groups = {}
    for line in lines:
        group = group_of(line)
        if group is not None:
            groups.setdefault(group, []).append(line)
    for members in groups.values():
        chosen = [line for line in members if decided.get(line.pk)]
        if not chosen and all(decided.get(line.pk) is not None for line in members):
            problems.append(
                (
                    members[0].pk,
                    "applies",
                    _("Chọn một mức áp dụng trong các mức thay thế nhau: %(names)s.")
                    % {"names": ", ".join(f"“{line.name}”" for line in members)},
                )
            )
        for line in chosen[1:]:
            problems.append(
                (
                    line.pk,
                    "applies",
                    _("“%(first)s” và “%(name)s” là các mức thay thế nhau: chỉ áp dụng một mức.")
                    % {"first": chosen[0].name, "name": line.name},
                )
            )
    return problems
