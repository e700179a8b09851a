"""Reading payments and refunds for the officials' finance screens ("Thu phí"), scoped by
agency as the dossiers are: an official sees the payments of their own agencies'
dossiers, a superuser every payment; and the fee report, counted in the database."""

import datetime
import zoneinfo

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404

from payments.constants import PaymentStatus
from payments.models import Payment, Refund

from ..selectors import may_see, official_agency_ids

# What the report counts as a failure: the payment is over and no money came in.
FAILED_STATUSES = (PaymentStatus.FAILED, PaymentStatus.CANCELLED, PaymentStatus.EXPIRED)
REFUND_PERMISSION = "payments.change_refund"


def _payments_in_scope(user):
    payments = Payment.objects.all()
    if user.is_superuser:
        return payments
    return payments.filter(dossier__agency_id__in=official_agency_ids(user))


def payments_for_official(user):
    """Payments an official may see: those of dossiers of their agencies (every payment
    for a superuser, as for dossiers). Every admin view of a payment starts here."""
    return _payments_in_scope(user).select_related("dossier__agency", "payer")


def official_payment(user, pk):
    """One payment of the official's agencies, or 404 (never 403: no hint it exists)."""
    return get_object_or_404(payments_for_official(user), pk=pk)


def refunds_for_official(user):
    """Refunds an official may see: those of payments of their agencies' dossiers (all
    for a superuser)."""
    refunds = Refund.objects.select_related(
        "payment__dossier__agency", "requested_by", "refunded_by"
    )
    if user.is_superuser:
        return refunds
    return refunds.filter(payment__dossier__agency_id__in=official_agency_ids(user))


def official_refund(user, pk):
    """One refund of the official's agencies, or 404."""
    return get_object_or_404(refunds_for_official(user), pk=pk)


def can_mark_refunded(user, refund):
    """Whether ``user`` may record that ``refund`` was paid back: an official of its
    agency (or a superuser) holding ``payments.change_refund``."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    agency_id = refund.payment.dossier.agency_id if refund.payment.dossier_id else None
    return may_see(user, agency_id) and user.has_perm(REFUND_PERMISSION)


def portal_time_zone():
    """The portal's own time zone (Asia/Ho_Chi_Minh): the report's days are the
    province's days, whatever time zone an official chose in their admin profile."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _period_bounds(date_from, date_to):
    tz = portal_time_zone()
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return start, end


def _reported_payments(user, date_from, date_to):
    start, end = _period_bounds(date_from, date_to)
    return _payments_in_scope(user).filter(
        created_at__gte=start,
        created_at__lt=end,
        status__in=(PaymentStatus.COMPLETED, *FAILED_STATUSES),
    )


REPORT_AGGREGATES = {
    "completed_count": Count("pk", filter=Q(status=PaymentStatus.COMPLETED)),
    "completed_amount": Sum("amount", filter=Q(status=PaymentStatus.COMPLETED), default=0),
    "failed_count": Count("pk", filter=Q(status__in=FAILED_STATUSES)),
}


def fee_report_rows(user, *, date_from, date_to):
    """The fee report: one row per agency and day (the local date of ``created_at`` in
    the portal's time zone) from ``date_from`` to ``date_to`` inclusive, with the number
    of completed payments, their total in đồng and the number of failed, cancelled or
    expired ones. Grouped and counted in the database: one query however many rows.

    Rows are dicts: ``day``, ``agency_id``, ``agency`` (its title; None for a payment
    without a dossier, which only a superuser sees), ``completed_count``,
    ``completed_amount``, ``failed_count``. Payments still in progress are left out.
    """
    return (
        _reported_payments(user, date_from, date_to)
        .values(
            day=TruncDate("created_at", tzinfo=portal_time_zone()),
            agency_id=F("dossier__agency_id"),
            agency=F("dossier__agency__title"),
        )
        .annotate(**REPORT_AGGREGATES)
        .order_by("day", "agency", "agency_id")
    )


def fee_report_totals(user, *, date_from, date_to):
    """The report's rows added up over the whole period (one query)."""
    return _reported_payments(user, date_from, date_to).aggregate(**REPORT_AGGREGATES)
