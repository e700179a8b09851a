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


class ResultDelivery(models.TextChoices):
    """How the citizen receives the result."""

    AT_AGENCY = "at_agency", _("Nhận trực tiếp tại cơ quan")
    POSTAL = "postal", _("Qua đường bưu điện")
    ONLINE = "online", _("Nhận trực tuyến")
