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

from .constants import Gateway, PaymentStatus, RefundStatus


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
    # What is paid for: forms_app decides what a payment means to a dossier.
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


class FeeLine(models.Model):
    """One fee (phí, lệ phí) a dossier may be charged, in whole đồng.

    Copied from the procedure's fee schedule at submission, with how it is owed
    (``condition``: "always", "alternative" — one of the lines sharing its
    ``alternative_group`` — or "conditional", in the case its ``note`` says; the values
    of ``procedures.constants.FeeCondition``, kept as plain text so that payments does
    not depend on the catalogue). ``applies`` says whether the dossier owes it: True
    for a line always owed, None for the others until the official decides at receipt,
    when the amounts may also be adjusted, with the reason in the history. Only lines
    that apply count towards what is paid.
    """

    dossier = models.ForeignKey(
        "forms_app.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="fee_lines",
    )
    name = models.CharField(_("khoản phí"), max_length=255)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"), default=0)
    position = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    condition = models.CharField(_("cách áp dụng"), max_length=16, default="always")
    alternative_group = models.PositiveSmallIntegerField(
        _("nhóm mức thay thế"), null=True, blank=True
    )
    applies = models.BooleanField(_("áp dụng cho hồ sơ"), null=True, default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khoản phí, lệ phí")
        verbose_name_plural = _("khoản phí, lệ phí")
        ordering = ["dossier", "position", "pk"]

    def __str__(self):
        return f"{self.name}: {self.amount}"


class Refund(models.Model):
    """Money to give back for one completed payment (a rejected or withdrawn dossier, or
    a fee paid twice). A record for the finance officer: nothing is sent to the bank
    automatically; the officer pays it back and marks it refunded."""

    # One refund per payment: rejecting a dossier twice over cannot refund it twice.
    payment = models.OneToOneField(
        Payment, verbose_name=_("giao dịch"), on_delete=models.PROTECT, related_name="refund"
    )
    amount = models.PositiveBigIntegerField(_("số tiền hoàn (đồng)"))
    reason = models.CharField(_("lý do hoàn"), max_length=500)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=RefundStatus.choices,
        default=RefundStatus.PENDING,
        db_index=True,
    )
    requested_at = models.DateTimeField(_("ngày lập"), default=timezone.now)
    # Who caused it (the official who rejected, the citizen who withdrew); empty when
    # the system found a fee paid twice.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refunded_at = models.DateTimeField(_("ngày hoàn trả"), null=True, blank=True)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người hoàn trả"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # How the money went back (transfer reference, counter receipt number).
    note = models.CharField(_("chứng từ hoàn trả"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khoản hoàn phí")
        verbose_name_plural = _("khoản hoàn phí")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self):
        return f"{self.payment} – {self.amount}"
