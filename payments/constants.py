"""Statuses and gateways of a payment, and what VNPAY's response codes mean to a citizen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    STARTED = "started", _("Đang thanh toán")
    COMPLETED = "completed", _("Đã thanh toán")
    FAILED = "failed", _("Thanh toán không thành công")
    CANCELLED = "cancelled", _("Đã hủy")
    EXPIRED = "expired", _("Hết hạn")


# What the gateway's answer may still settle. "Expired" is only our own timeout, not the
# bank's word: a success notification that arrives late (VNPAY retries its IPN) means
# the citizen's money has moved, and must be recorded rather than answered "02".
SETTLEABLE = (PaymentStatus.STARTED, PaymentStatus.EXPIRED)


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Chờ hoàn trả")
    REFUNDED = "refunded", _("Đã hoàn trả")


class Gateway(models.TextChoices):
    SANDBOX = "sandbox", _("Ngân hàng mô phỏng")
    VNPAY = "vnpay", "VNPAY"


# VNPAY's vnp_ResponseCode, told to the citizen on the result page.
RESPONSE_REASONS = {
    "07": _("Giao dịch bị nghi ngờ gian lận, tiền đã bị trừ và đang được ngân hàng kiểm tra."),
    "09": _("Thẻ hoặc tài khoản chưa đăng ký dịch vụ Internet Banking."),
    "10": _("Xác thực thông tin thẻ hoặc tài khoản không đúng quá 3 lần."),
    "11": _("Đã hết thời gian chờ thanh toán."),
    "12": _("Thẻ hoặc tài khoản bị khóa."),
    "13": _("Mật khẩu xác thực giao dịch (OTP) không đúng."),
    "24": _("Bạn đã hủy giao dịch."),
    "51": _("Tài khoản không đủ số dư để thực hiện giao dịch."),
    "65": _("Tài khoản đã vượt quá hạn mức giao dịch trong ngày."),
    "75": _("Ngân hàng thanh toán đang bảo trì."),
    "79": _("Nhập sai mật khẩu thanh toán quá số lần quy định."),
}
DEFAULT_REASON = _("Ngân hàng từ chối giao dịch.")
