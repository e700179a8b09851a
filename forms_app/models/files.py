"""The files of a dossier: what the citizen attached (with every replaced version) and
the agency's result, in the private storage."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..constants import (
    ResultDelivery,
)
from .dossiers import Dossier


def private_storage():
    """The storage for citizens' files (settings.STORAGES["private"]), looked up when used
    so that tests and deployments choose its location, and migrations do not record it."""
    return storages["private"]


def dossier_file_path(dossier_file, filename):
    """A server-made name: the citizen's file name is kept only for display."""
    return f"dossiers/{dossier_file.dossier_id}/{uuid.uuid4().hex}"


class DossierFile(models.Model):
    """A file a citizen attached to one component of a dossier, in private storage
    (never under MEDIA_URL: served only through a view that checks the owner)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    # The procedure's component at upload time (the page may change later; the name is
    # kept as it was for display).
    component_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    component_name = models.CharField(_("thành phần hồ sơ"), max_length=500)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(
        _("tệp"), storage=private_storage, upload_to=dossier_file_path, max_length=255
    )
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # A file replaced in a supplement stays, marked replaced, so both sides can see
    # every version; ``supplement`` is the request a new file answered.
    replaced_at = models.DateTimeField(_("bị thay thế lúc"), null=True, blank=True)
    supplement = models.ForeignKey(
        "SupplementRequest",
        verbose_name=_("bổ sung theo yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="files",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")
        ordering = ["dossier", "component_name", "uploaded_at"]

    def __str__(self):
        return self.original_name


def result_file_path(result, filename):
    return f"results/{result.dossier_id}/{uuid.uuid4().hex}"


class DossierResult(models.Model):
    """The result of a dossier (the licence, certificate or written answer), attached by
    the official when marking it "Đã có kết quả", in private storage.

    The SHA-256 is shown to the citizen beside the download, so a copy handed on can be
    checked against what the agency issued. A result sent by post carries the tracking
    number; the completion records how it was handed over.
    """

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="result")
    file = models.FileField(
        _("tệp kết quả"), storage=private_storage, upload_to=result_file_path, max_length=255
    )
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ đính kèm"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("ngày đính kèm"), auto_now_add=True)
    tracking_number = models.CharField(_("mã bưu gửi"), max_length=50, blank=True)
    handed_over_via = models.CharField(
        _("hình thức trả kết quả"), max_length=20, choices=ResultDelivery.choices, blank=True
    )
    handed_over_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kết quả giải quyết")
        verbose_name_plural = _("kết quả giải quyết")

    def __str__(self):
        return f"{self.dossier} – {self.original_name}"
