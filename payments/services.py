"""Writing payments: starting one, settling it from what the gateway says, and the
fee lines and refunds around it.

``record_notification`` (the IPN) and ``reconcile`` (querydr) both end in
``apply_notification``, the one place a payment becomes final. It settles with a
conditional ``UPDATE … WHERE status IN ('started', 'expired')``: of two notifications
arriving at once, the database lets exactly one through, the other answers "02". The
winner writes the history row itself (simple-history records nothing for ``update()``)
and announces the completion once the transaction has committed.
"""

import dataclasses
import datetime
import logging
import secrets
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors
from .constants import SETTLEABLE, PaymentStatus, RefundStatus
from .gateways import GatewayError, get_gateway, order_info
from .models import FeeLine, Payment, Refund
from .signals import payment_completed

logger = logging.getLogger(__name__)

REFERENCE_PREFIX = "DVC"
REFERENCE_ATTEMPTS = 5

# The IPN's answers (VNPAY 2.1.0): RspCode and Message.
CONFIRMED = ("00", "Confirm Success")
NOT_FOUND = ("01", "Order not found")
ALREADY_CONFIRMED = ("02", "Order already confirmed")
INVALID_AMOUNT = ("04", "Invalid amount")
INVALID_SIGNATURE = ("97", "Invalid signature")
UNKNOWN_ERROR = ("99", "Unknown error")


# raw_notification of a payment expired after the gateway said it had no finished
# transaction (as opposed to NULL: expired by the clock, not yet asked).
NOT_FOUND_AT_GATEWAY = {"source": "query", "found": False}


def new_reference(now=None):
    """A vnp_TxnRef: readable (it says when), random after that, short enough for VNPAY."""
    moment = timezone.localtime(now or timezone.now())
    return f"{REFERENCE_PREFIX}{moment:%y%m%d%H%M%S}{secrets.token_hex(3).upper()}"


def start_payment(*, payer, amount, description, dossier=None, client_ip, return_url):
    """Start paying ``amount`` đồng and return ``(payment, url to send the browser to)``.

    ``return_url`` is the absolute URL of ``payments:return``; ``client_ip`` the citizen's
    address (VNPAY wants it). A payer who already has a started, unexpired payment for
    the same dossier and amount (a second tab) is sent to that one, so that one fee is
    not paid twice; their payments that ran out of time are marked expired on the way.
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"A payment needs a positive whole number of đồng, not {amount!r}.")
    info = order_info(description)
    if not info:
        raise ValueError("The description needs letters or digits (vnp_OrderInfo).")
    gateway = get_gateway()
    now = timezone.now()
    with transaction.atomic():
        # One payer's starts run one at a time (a row lock on PostgreSQL; SQLite's
        # immediate transactions already serialise writers), so two tabs clicking at the
        # same moment still find each other's payment.
        get_user_model().objects.select_for_update().only("pk").get(pk=payer.pk)
        _expire(selectors.expired_payments(now=now, payer=payer), reason="Hết thời gian chờ")
        payment = selectors.open_payment(
            payer=payer, dossier=dossier, amount=amount, gateway=gateway.name, now=now
        )
        if payment is None:
            payment = _create_payment(
                payer=payer,
                amount=amount,
                description=info,
                dossier=dossier,
                gateway=gateway.name,
                now=now,
            )
    return payment, gateway.payment_url(payment, return_url=return_url, client_ip=client_ip)


def _create_payment(*, now, **fields):
    """Insert a payment under a fresh reference, drawing again in the unlikely case that
    the unique constraint finds the reference taken."""
    expires_at = now + datetime.timedelta(minutes=settings.PAYMENT_EXPIRY_MINUTES)
    for attempt in range(1, REFERENCE_ATTEMPTS + 1):
        payment = Payment(
            reference=new_reference(now), created_at=now, expires_at=expires_at, **fields
        )
        payment._history_user = fields["payer"]
        payment._change_reason = "Bắt đầu thanh toán"
        try:
            with transaction.atomic():
                payment.save()
        except IntegrityError:
            if (
                attempt == REFERENCE_ATTEMPTS
                or not Payment.objects.filter(reference=payment.reference).exists()
            ):
                raise
            continue
        return payment
    raise AssertionError("unreachable")  # pragma: no cover


def _expire(payments, *, reason, gateway_checked=False):
    """Mark these payments expired, with history rows; returns how many changed.

    By the clock alone (``gateway_checked=False``) only started payments expire, and
    reconciliation will still ask the gateway about them. With ``gateway_checked`` the
    gateway has just said it knows no finished transaction: expired payments not yet
    checked are marked as checked too, so that they are not asked about again.
    """
    if gateway_checked:
        candidates = Q(status=PaymentStatus.STARTED) | Q(
            status=PaymentStatus.EXPIRED, raw_notification__isnull=True
        )
        values = {"status": PaymentStatus.EXPIRED, "raw_notification": NOT_FOUND_AT_GATEWAY}
    else:
        candidates = Q(status=PaymentStatus.STARTED)
        values = {"status": PaymentStatus.EXPIRED}
    expired = []
    with transaction.atomic():
        for payment in payments:
            if Payment.objects.filter(candidates, pk=payment.pk).update(**values):
                for name, value in values.items():
                    setattr(payment, name, value)
                expired.append(payment)
        if expired:
            Payment.history.bulk_history_create(expired, update=True, default_change_reason=reason)
    return len(expired)


def record_notification(params):
    """Handle the gateway's server-to-server notification (the IPN); returns VNPAY's
    ``(RspCode, Message)``.

    Checked in VNPAY's order: signature (97), reference (01), amount (04), already
    settled (02); otherwise the outcome is recorded and the answer is 00. Only the
    configured gateway's signature is accepted, and only for payments made through it.
    """
    params = {str(name): str(value) for name, value in params.items()}
    gateway = get_gateway()
    if not gateway.verify(params):
        logger.warning("Payment notification with an invalid signature: %s", params)
        return INVALID_SIGNATURE
    return apply_notification(
        gateway.parse_notification(params),
        gateway_name=gateway.name,
        raw=params,
        reason="Thông báo từ cổng thanh toán (IPN)",
    )


def apply_notification(notification, *, gateway_name, raw, reason):
    """Settle a payment from a verified ``Notification``; returns ``(RspCode, Message)``."""
    payment = Payment.objects.filter(
        reference=notification.reference, gateway=gateway_name
    ).first()
    if payment is None:
        return NOT_FOUND
    if notification.amount_vnd != payment.amount:
        logger.warning(
            "Payment %s: the gateway says %s đồng, not %s.",
            payment.reference,
            notification.amount_vnd,
            payment.amount,
        )
        return INVALID_AMOUNT
    if payment.status not in SETTLEABLE:
        return ALREADY_CONFIRMED

    values = {
        "response_code": notification.response_code[:10],
        "bank_code": notification.bank_code[:30],
        "raw_notification": raw,
        # VNPAY numbers a cancelled transaction 0: not a number to keep unique.
        "gateway_transaction_no": (
            notification.transaction_no[:50]
            if notification.transaction_no not in ("", "0")
            else None
        ),
    }
    if notification.ok:
        values.update(status=PaymentStatus.COMPLETED, completed_at=timezone.now())
    elif notification.cancelled:
        values["status"] = PaymentStatus.CANCELLED
    else:
        values["status"] = PaymentStatus.FAILED
    try:
        with transaction.atomic():
            settled = Payment.objects.filter(pk=payment.pk, status__in=SETTLEABLE).update(**values)
            if not settled:  # another notification got there first
                return ALREADY_CONFIRMED
            payment.refresh_from_db()
            Payment.history.bulk_history_create(
                [payment], update=True, default_change_reason=reason
            )
            if payment.status == PaymentStatus.COMPLETED:
                transaction.on_commit(partial(_announce_completion, payment))
    except IntegrityError:
        # The gateway's transaction number is already another payment's: never expected,
        # so the gateway is told to try again and a person looks at the log.
        logger.exception("Payment %s could not be settled.", payment.reference)
        return UNKNOWN_ERROR
    return CONFIRMED


def _announce_completion(payment):
    for receiver, result in payment_completed.send_robust(sender=Payment, payment=payment):
        if isinstance(result, Exception):
            logger.error(
                "payment_completed receiver %r failed for %s",
                receiver,
                payment.reference,
                exc_info=result,
            )


def reconcile(*, older_than, now=None):
    """Ask the gateway about payments whose notification may have been lost, and settle
    them (``selectors.stuck_payments``: started past their expiry or older than
    ``older_than``, a timedelta, and expired ones never checked with the gateway).

    The gateway's answer is recorded through ``apply_notification``; a payment the
    gateway knows no finished transaction for is marked expired once its time is over.
    When the gateway cannot be asked, nothing is concluded. Returns counts by outcome.
    """
    now = now or timezone.now()
    summary = dict.fromkeys(
        ("checked", "completed", "failed", "cancelled", "expired", "pending", "errors"), 0
    )
    for payment in selectors.stuck_payments(now=now, older_than=older_than):
        summary["checked"] += 1
        try:
            notification = get_gateway(payment.gateway).query(payment)
        except (GatewayError, ImproperlyConfigured) as error:
            logger.warning("Payment %s could not be queried: %s", payment.reference, error)
            summary["errors"] += 1
            continue
        if notification is None:
            if payment.expires_at > now:
                summary["pending"] += 1
            elif _expire(
                [payment],
                reason="Đối soát: cổng thanh toán không có giao dịch hoàn tất",
                gateway_checked=True,
            ):
                summary["expired"] += 1
            continue
        code, _message = apply_notification(
            notification,
            gateway_name=payment.gateway,
            raw={"source": "query", **dataclasses.asdict(notification)},
            reason="Đối soát với cổng thanh toán",
        )
        if code == CONFIRMED[0]:
            payment.refresh_from_db(fields=["status"])
            summary[payment.status] += 1
        elif code != ALREADY_CONFIRMED[0]:
            logger.warning("Payment %s: reconciliation answered %s.", payment.reference, code)
            summary["errors"] += 1
    return summary


# What a fee line is when a caller leaves it out: a line always owed, which applies.
FEE_LINE_DEFAULTS = {"note": "", "condition": "always", "alternative_group": None, "applies": True}


def replace_fee_lines(*, dossier, lines, actor, reason):
    """Make ``lines`` the dossier's fee lines, in that order; returns the new rows. Each
    line is a dict of ``FeeLine`` fields: ``name`` and ``amount`` (whole đồng), and
    optionally ``note``, ``condition``, ``alternative_group`` and ``applies``. Lines
    that stay the same are kept, so their history shows only real changes; ``reason``
    is the history's (cut to its 100 characters: the full reason belongs to the
    caller's own record)."""
    existing = list(FeeLine.objects.select_for_update().filter(dossier=dossier))
    kept = []
    for position, data in enumerate(lines):
        values = {**FEE_LINE_DEFAULTS, **data, "position": position}
        amount = values["amount"]
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise ValueError(f"A fee is a whole, non-negative number of đồng, not {amount!r}.")
        line = existing[position] if position < len(existing) else FeeLine(dossier=dossier)
        if line.pk is None or any(getattr(line, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(line, name, value)
            line._history_user = actor
            line._change_reason = reason[:100]
            line.save()
        kept.append(line)
    for line in existing[len(lines) :]:
        line._history_user = actor
        line._change_reason = reason[:100]
        line.delete()
    return kept


def request_refund(*, payment, amount, reason, actor=None):
    """Record that ``amount`` đồng of a completed payment is owed back; returns
    ``(refund, created)``. One refund per payment: asking again returns the first."""
    if payment.status != PaymentStatus.COMPLETED:
        raise ValueError(f"Payment {payment.reference} was not completed: nothing to refund.")
    if not 0 < amount <= payment.amount:
        raise ValueError(f"Cannot refund {amount} đồng of a payment of {payment.amount}.")
    with transaction.atomic():
        existing = Refund.objects.filter(payment=payment).first()
        if existing is not None:
            return existing, False
        refund = Refund(payment=payment, amount=amount, reason=reason[:500], requested_by=actor)
        refund._history_user = actor
        refund._change_reason = reason[:100]
        try:
            with transaction.atomic():
                refund.save()
        except IntegrityError:  # the same refund recorded a moment ago by another request
            return Refund.objects.get(payment=payment), False
    return refund, True


def mark_refunded(*, refund, actor, note):
    """The finance officer has paid the money back (``note``: the transfer or receipt
    reference). Returns True if this call recorded it, False if it already was."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            _("Vui lòng ghi chứng từ hoàn trả (số giao dịch chuyển khoản, số phiếu chi).")
        )
    with transaction.atomic():
        done = Refund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
            status=RefundStatus.REFUNDED,
            refunded_at=timezone.now(),
            refunded_by=actor,
            note=note[:255],
        )
        if done:
            refund.refresh_from_db()
            Refund.history.bulk_history_create(
                [refund], update=True, default_change_reason=_("Đã hoàn trả"), default_user=actor
            )
    return bool(done)
