"""Reading payments: who may see which, and which are waiting for the gateway."""

import datetime

from django.db.models import Q, Sum

from .constants import PaymentStatus
from .models import Payment


def payment_of(user, reference):
    """The payment with this reference if ``user`` made it, else None (the caller 404s:
    another citizen must not learn that the reference exists)."""
    if not user.is_authenticated or not reference:
        return None
    return (
        Payment.objects.select_related("dossier").filter(payer=user, reference=reference).first()
    )


def open_payment(*, payer, dossier, amount, gateway, now):
    """A started, unexpired payment of ``payer`` for the same thing and amount (a second
    tab of the same checkout), or None."""
    return (
        Payment.objects.filter(
            payer=payer,
            dossier=dossier,
            amount=amount,
            gateway=gateway,
            status=PaymentStatus.STARTED,
            expires_at__gt=now,
        )
        .order_by("-created_at")
        .first()
    )


def expired_payments(*, now, payer=None):
    """Started payments whose time on the bank's page is over."""
    payments = Payment.objects.filter(status=PaymentStatus.STARTED, expires_at__lte=now)
    return payments.filter(payer=payer) if payer is not None else payments


def stuck_payments(*, now, older_than):
    """The payments whose notification may have been lost: started ones past their expiry
    or older than ``older_than`` (a timedelta), and expired ones the gateway has not
    been asked about yet (``start_payment`` expires them by the clock alone)."""
    started = Q(status=PaymentStatus.STARTED) & (
        Q(expires_at__lte=now) | Q(created_at__lte=now - older_than)
    )
    unchecked = Q(status=PaymentStatus.EXPIRED, raw_notification__isnull=True)
    return Payment.objects.filter(started | unchecked).order_by("created_at")


# How long after its expiry a started payment may still be waiting for a late notification.
NOTIFICATION_GRACE = datetime.timedelta(minutes=10)


def waiting_too_long(payment, *, now):
    """Whether a started payment is past its expiry by more than ``NOTIFICATION_GRACE``: the
    result page then stops refreshing and says reconciliation will settle it."""
    return payment.status == PaymentStatus.STARTED and now > payment.expires_at + (
        NOTIFICATION_GRACE
    )


def payments_for(dossier):
    """Every attempt to pay for the dossier, newest first, with its refund if any."""
    return Payment.objects.filter(dossier=dossier).select_related("refund").order_by("-created_at")


def paid_total(dossier):
    """Đồng received for the dossier (completed payments, refunded or not)."""
    return (
        Payment.objects.filter(dossier=dossier, status=PaymentStatus.COMPLETED).aggregate(
            total=Sum("amount")
        )["total"]
        or 0
    )


def unrefunded_payments(dossier):
    """Completed payments for the dossier that no refund covers yet."""
    return Payment.objects.filter(
        dossier=dossier, status=PaymentStatus.COMPLETED, refund__isnull=True
    ).order_by("created_at")
