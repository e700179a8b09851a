"""Statuses and choices of dossiers, with the labels citizens and officials read."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    SUPPLEMENTED = "supplemented", _("Đã bổ sung")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    COMPLETED = "completed", _("Đã trả kết quả")
    REJECTED = "rejected", _("Từ chối")
    WITHDRAWN = "withdrawn", _("Đã rút")


# Statuses that end a dossier without a result: nothing is owed, so no appointment stands
# ("ngày hẹn trả kết quả"); the one it had stays in the dossier's history.
ENDED_WITHOUT_RESULT = frozenset({DossierStatus.REJECTED, DossierStatus.WITHDRAWN})


class ResultDelivery(models.TextChoices):
    """How the citizen receives the result."""

    AT_AGENCY = "at_agency", _("Nhận trực tiếp tại cơ quan")
    POSTAL = "postal", _("Qua đường bưu điện")
    ONLINE = "online", _("Nhận trực tuyến")


class Channel(models.TextChoices):
    """Where the dossier was received: online, or at the agency's counter (một cửa)."""

    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Trực tiếp tại bộ phận một cửa")


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")


class EventKind(models.TextChoices):
    """What the timeline shows besides status changes."""

    EMAIL_SENT = "email_sent", _("Đã gửi thư thông báo")
    EMAIL_FAILED = "email_failed", _("Gửi thư thông báo không thành công")
    DEADLINE_EXTENDED = "deadline_extended", _("Gia hạn ngày hẹn trả kết quả")
    ASSIGNED = "assigned", _("Phân công xử lý")
    FEES_ADJUSTED = "fees_adjusted", _("Điều chỉnh phí, lệ phí")
    PAYMENT_COMPLETED = "payment_completed", _("Đã thanh toán phí, lệ phí")
    REFUND_REQUESTED = "refund_requested", _("Lập đề nghị hoàn phí")
    REFUNDED = "refunded", _("Đã hoàn phí")
    RESULT_POSTED = "result_posted", _("Gửi kết quả qua bưu điện")
