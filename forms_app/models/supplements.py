"""What an agency asks a citizen to supplement, item by item, with its guidance."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.formatting import format_date

from .dossiers import Dossier


class SupplementRequest(models.Model):
    """ "Yêu cầu bổ sung": what the agency asks the citizen to correct, item by item.

    Asked either at the reception check, before the dossier is received (the "Phiếu yêu
    cầu bổ sung, hoàn thiện hồ sơ" of the one-stop shop: the clock has not started), or
    while it is being processed (the clock stops until the citizen answers)."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="supplement_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("ngày yêu cầu"), auto_now_add=True)
    note = models.TextField(_("hướng dẫn chung"), blank=True)
    reply_by = models.DateField(_("hạn bổ sung"))
    answered_at = models.DateTimeField(_("ngày bổ sung"), null=True, blank=True)
    at_reception = models.BooleanField(_("yêu cầu khi tiếp nhận hồ sơ"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["dossier", "requested_at"]

    def __str__(self):
        return f"{self.dossier} – {format_date(self.requested_at)}"


class SupplementItem(models.Model):
    """One thing to correct: a dossier component (its files are replaced) or an answer
    of the procedure's form."""

    request = models.ForeignKey(SupplementRequest, on_delete=models.CASCADE, related_name="items")
    component_id = models.PositiveIntegerField(null=True, blank=True)
    field_name = models.CharField(max_length=255, blank=True)
    label = models.CharField(_("nội dung"), max_length=500)
    guidance = models.TextField(_("hướng dẫn"))

    class Meta:
        verbose_name = _("nội dung cần bổ sung")
        verbose_name_plural = _("nội dung cần bổ sung")
        ordering = ["request", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(component_id__isnull=False) | ~Q(field_name=""),
                name="supplement_item_names_a_component_or_a_field",
            )
        ]

    def __str__(self):
        return self.label
