"""A dossier's fees: the lines copied at submission, the official's adjustment at
receipt, paying online, recording a completed payment, and refunds.

The money itself is the ``payments`` app's (its services start and settle payments, and
keep the fee lines and refunds); what a payment means for a dossier is decided here.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.formatting import format_vnd
from core.queueing import enqueue_on_commit
from payments import services as payments
from payments.selectors import paid_total, unrefunded_payments
from procedures.constants import FeeCondition
from procedures.fees import group_of

from ..constants import DossierStatus, EventKind
from ..models import Dossier, DossierEvent
from ..tasks import notify_applicant
from .summary import charged_total, fee_choice_problems, fee_summary


def copy_fee_schedule(dossier, *, actor):
    """The dossier's fee lines as the procedure listed them when it was submitted: a
    line always owed applies from the start; an alternative or a conditional line waits
    for the official's decision at receipt."""
    schedule = dossier.as_submitted.fees
    payments.replace_fee_lines(
        dossier=dossier,
        lines=[
            {
                "name": fee.name,
                "amount": fee.amount,
                "note": fee.note,
                "condition": fee.condition,
                "alternative_group": group_of(fee),
                "applies": True if fee.condition == FeeCondition.ALWAYS else None,
            }
            for fee in schedule
        ],
        actor=actor,
        reason=_("Theo mức phí, lệ phí của thủ tục khi nộp hồ sơ"),
    )


def adjust_fees(dossier, *, actor, amounts, reason, applies=None):
    """Confirm the dossier's fees as the official does at receipt: which alternative and
    conditional lines apply (``applies``: line id → bool; of each group of alternatives
    exactly one, see ``fee_choice_problems``) and the amounts (``amounts``: line id →
    đồng). A line that does not apply counts 0 đồng. Changing an amount needs a reason,
    which the citizen reads on the timeline with the lines that apply; a dossier already
    paid for keeps its fees. Must run inside the caller's transaction, with the dossier
    locked. Returns whether anything changed."""
    lines = list(dossier.fee_lines.select_for_update())
    applies = applies or {}
    problems = fee_choice_problems(lines, applies=applies, amounts=amounts)
    _require(not problems, " ".join(dict.fromkeys(message for _pk, _kind, message in problems)))
    decided = {
        line.pk: True
        if line.condition == FeeCondition.ALWAYS
        else applies.get(line.pk, line.applies)
        for line in lines
    }
    new_amounts = {line.pk: amounts.get(line.pk, line.amount) for line in lines}
    chosen = [line for line in lines if decided[line.pk] != line.applies]
    adjusted = [line for line in lines if decided[line.pk] and new_amounts[line.pk] != line.amount]
    if not chosen and not adjusted:
        return False
    reason = reason.strip()
    if adjusted:
        _require(reason, _("Vui lòng ghi lý do điều chỉnh phí, lệ phí."))
    _require(
        paid_total(dossier) == 0,
        _("Hồ sơ đã được thanh toán; không thể điều chỉnh phí, lệ phí."),
    )
    payments.replace_fee_lines(
        dossier=dossier,
        lines=[
            {
                "name": line.name,
                "amount": new_amounts[line.pk],
                "note": line.note,
                "condition": line.condition,
                "alternative_group": line.alternative_group,
                "applies": decided[line.pk],
            }
            for line in lines
        ],
        actor=actor,
        reason=reason or _("Xác định khoản phí, lệ phí áp dụng khi tiếp nhận hồ sơ"),
    )
    charged = [line for line in lines if decided[line.pk]]
    total = sum(new_amounts[line.pk] for line in charged)
    parts = []
    if chosen:
        parts.append(
            _("Khoản áp dụng: %(lines)s.")
            % {
                "lines": "; ".join(
                    _("%(name)s: %(amount)s")
                    % {"name": line.name, "amount": format_vnd(new_amounts[line.pk])}
                    for line in charged
                )
                or _("không có")
            }
        )
    parts.append(_("Tổng phí, lệ phí: %(total)s.") % {"total": format_vnd(total)})
    if reason:
        parts.append(_("Lý do: %(reason)s") % {"reason": reason})
    DossierEvent.objects.create(
        dossier=dossier, actor=actor, kind=EventKind.FEES_ADJUSTED, message=" ".join(parts)
    )
    return True


def _require(condition, message):
    if not condition:
        raise ValidationError(message)


@transaction.atomic
def start_dossier_payment(*, dossier, actor, client_ip, return_url):
    """ "Thanh toán trực tuyến": the outstanding amount, through the configured gateway.
    Returns ``(payment, url of the bank's page)``; a second tab gets the same payment.
    Refused (ValidationError, said to the citizen) when the level rules do not allow
    paying now."""
    if dossier.applicant_id != actor.pk:
        raise PermissionDenied
    # Locked so that the amount cannot change (an official adjusting the fees) between
    # reading it and starting to pay it.
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    summary = fee_summary(dossier)
    _require(summary.payable, summary.refusal())
    return payments.start_payment(
        payer=actor,
        amount=summary.outstanding,
        description=f"Thanh toan phi le phi ho so {dossier.code}",
        dossier=dossier,
        client_ip=client_ip,
        return_url=return_url,
    )


@transaction.atomic
def record_payment(payment):
    """A payment for a dossier was confirmed by the gateway: put it on the timeline,
    mail the citizen, and record a refund when the money is not owed (the dossier was
    rejected or withdrawn meanwhile, or the fee had already been paid in another tab).

    Connected to ``payments.signals.payment_completed``, which is sent once per
    payment; it also tolerates being called again for the same payment (catching up).
    """
    if payment.dossier_id is None:
        return
    dossier = Dossier.objects.select_for_update().get(pk=payment.dossier_id)
    # The reference opens the event's message: how a repeated call recognises it.
    prefix = f"{payment.reference}:"
    if dossier.events.filter(
        kind=EventKind.PAYMENT_COMPLETED, message__startswith=prefix
    ).exists():
        return
    DossierEvent.objects.create(
        dossier=dossier,
        actor=payment.payer,
        kind=EventKind.PAYMENT_COMPLETED,
        message=f"{prefix} {format_vnd(payment.amount)}",
    )
    if dossier.status in (DossierStatus.REJECTED, DossierStatus.WITHDRAWN):
        _refund(
            dossier,
            payment,
            payment.amount,
            _("Hồ sơ đã ở trạng thái “%(status)s” khi thanh toán")
            % {"status": dossier.get_status_display()},
            actor=None,
        )
    else:
        # Against the lines that apply: an unchosen alternative counts 0.
        total = charged_total(list(dossier.fee_lines.all())) or 0
        excess = min(paid_total(dossier) - total, payment.amount)
        if excess > 0:
            _refund(dossier, payment, excess, _("Thanh toán trùng phí, lệ phí"), actor=None)
    enqueue_on_commit(notify_applicant, dossier.pk, "payment_completed", payment_id=payment.pk)


def refund_payments(dossier, *, actor, reason):
    """Refund records for every completed payment of a dossier that is rejected or
    withdrawn (none moves money: the finance officer does). Inside the caller's
    transaction."""
    for payment in unrefunded_payments(dossier):
        _refund(dossier, payment, payment.amount, reason, actor=actor)


def _refund(dossier, payment, amount, reason, *, actor):
    refund, created = payments.request_refund(
        payment=payment, amount=amount, reason=reason, actor=actor
    )
    if created:
        DossierEvent.objects.create(
            dossier=dossier,
            actor=actor,
            kind=EventKind.REFUND_REQUESTED,
            message=_("%(amount)s của giao dịch %(reference)s: %(reason)s")
            % {
                "amount": format_vnd(amount),
                "reference": payment.reference,
                "reason": reason,
            },
        )
    return refund


def on_payment_completed(sender, payment, **kwargs):
    """The ``payment_completed`` receiver."""
    record_payment(payment)


@transaction.atomic
def confirm_refund(*, refund, actor, note):
    """The finance officer has paid a refund back (``note``: the transfer or receipt
    reference): recorded on the refund and on the dossier's timeline, which the
    citizen reads. Returns False, changing nothing, if it already was."""
    done = payments.mark_refunded(refund=refund, actor=actor, note=note)
    if done and refund.payment.dossier_id:
        DossierEvent.objects.create(
            dossier_id=refund.payment.dossier_id,
            actor=actor,
            kind=EventKind.REFUNDED,
            message=_("%(amount)s của giao dịch %(reference)s")
            % {"amount": format_vnd(refund.amount), "reference": refund.payment.reference},
        )
    return done
