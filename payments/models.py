"""Payments: one row per attempt to pay through a gateway, with its history.

A payment changes status only in ``payments.services``: started by ``start_payment``,
settled by the gateway's notification (``record_notification``, the IPN) or by
reconciliation, never by what the citizen's browser brings back.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .constants import Gateway, PaymentStatus


class Payment(models.Model):
    """One attempt to pay an amount in đồng, identified to the gateway by ``reference``."""

    # vnp_TxnRef: VNPAY refuses a reference it has seen before, so one is never reused.
    reference = models.CharField(_("mã giao dịch"), max_length=40, unique=True, editable=False)
    gateway = models.CharField(_("cổng thanh toán"), max_length=20, choices=Gateway.choices)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    # vnp_OrderInfo: ASCII letters, digits and spaces only, as VNPAY asks.
    description = models.CharField(_("nội dung thanh toán"), max_length=255)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=PaymentStatus.choices,
        default=PaymentStatus.STARTED,
        db_index=True,
    )
    # vnp_TransactionNo: the gateway's own number, recorded when it gives a real one. NULL,
    # not "", until then: many payments have none, and the constraint skips NULLs.
    gateway_transaction_no = models.CharField(  # noqa: DJ001
        _("mã giao dịch tại cổng thanh toán"), max_length=50, null=True, blank=True
    )
    bank_code = models.CharField(_("ngân hàng"), max_length=30, blank=True)
    response_code = models.CharField(_("mã phản hồi"), max_length=10, blank=True)
    # The signed parameters the status was settled from, kept as evidence.
    raw_notification = models.JSONField(_("thông báo từ cổng thanh toán"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    completed_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thanh toán"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    # What is paid for. Only a link for now: forms_app decides what a payment means.
    dossier = models.ForeignKey(
        "forms_app.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "gateway_transaction_no"],
                condition=Q(gateway_transaction_no__isnull=False),
                name="payment_unique_gateway_transaction_no",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [
            # Reconciliation looks for started payments by age.
            models.Index(fields=["status", "expires_at"], name="payment_status_expiry"),
        ]

    def __str__(self):
        return self.reference


class SandboxTransaction(models.Model):
    """The simulated bank's own ledger: what it answered for a reference.

    It is the bank's side, apart from ``Payment`` (ours), so that a notification lost on
    the way can be simulated and then found again by reconciliation, as VNPAY's querydr
    finds a real one.
    """

    reference = models.CharField(max_length=40, unique=True)
    answer = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.reference}: {self.answer.get('vnp_ResponseCode')}"
