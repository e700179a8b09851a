"""Dossiers (hồ sơ): what a citizen submits online, the counter behind their codes,
and the timeline of what happened to each."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..constants import (
    ENDED_WITHOUT_RESULT,
    Channel,
    DossierStatus,
    EventKind,
    ResultDelivery,
)
from ..submission.snapshot import Snapshot


class DossierCodeCounter(models.Model):
    """The last sequence number given to one agency on one day.

    Kept apart from ``Dossier`` (and without history) because it is updated with F()
    under a row lock, which django-simple-history cannot record.
    """

    agency_code = models.CharField(max_length=30)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency_code", "day"], name="dossier_counter_per_day")
        ]

    def __str__(self):
        return f"{self.agency_code} {self.day:%Y-%m-%d}: {self.last}"


class Dossier(models.Model):
    """One dossier of one citizen for one procedure, from draft to result."""

    # NULL while a draft: many drafts, none with a code yet.
    code = models.CharField(_("mã hồ sơ"), max_length=50, unique=True, null=True, blank=True)
    procedure = models.ForeignKey(
        "procedures.ProcedurePage",
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    agency = models.ForeignKey(
        "procedures.AgencyPage",
        verbose_name=_("cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # Empty for a dossier received at the counter from someone without an account:
    # applicant_data then says who it is, and the lookup key is how they follow it.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nộp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=30,
        choices=DossierStatus.choices,
        default=DossierStatus.DRAFT,
        db_index=True,
    )
    channel = models.CharField(
        _("hình thức nộp"), max_length=20, choices=Channel.choices, default=Channel.ONLINE
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_dossiers",
    )
    # The deadline clock stops while the citizen supplements the dossier: the working
    # days that were left are kept here, and counted again from the resubmission.
    days_left_when_paused = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    # The appointment an extension replaced ("Phiếu xin lỗi và hẹn lại ngày trả kết
    # quả"): set once, since an appointment is moved at most once.
    extended_from = models.DateTimeField(
        _("ngày hẹn trước khi hẹn lại"), null=True, blank=True, editable=False
    )
    completed_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    # Given at submission, with the code.
    lookup_key = models.CharField(
        _("mã tra cứu"), max_length=16, unique=True, null=True, blank=True
    )
    result_delivery = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=20,
        choices=ResultDelivery.choices,
        default=ResultDelivery.AT_AGENCY,
    )
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=255, blank=True)
    applicant_data = models.JSONField(_("thông tin người nộp"), default=dict, blank=True)
    form_data = models.JSONField(_("thông tin tờ khai"), default=dict, blank=True)
    # What the dossier was submitted against (procedure name, code, revision, fees,
    # components, form labels): later edits of the page never change a dossier.
    snapshot = models.JSONField(_("bản chụp thủ tục"), default=dict, blank=True)
    # What the wizard holds while this is a draft (the steps' entered data): kept in
    # the database, so a draft resumes after logging out or on another device.
    wizard_state = models.JSONField(default=dict, blank=True, editable=False)
    # One key per draft, unique: whatever repeats the final "Gửi đi" (double click,
    # refreshed POST, a second tab) finds this dossier instead of making another.
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "wizard_state"])

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            # One draft per citizen and procedure: "Bản nháp" resumes where it stopped.
            models.UniqueConstraint(
                fields=["applicant", "procedure"],
                condition=Q(status=DossierStatus.DRAFT),
                name="one_draft_per_applicant_and_procedure",
            ),
            models.CheckConstraint(
                condition=Q(status=DossierStatus.DRAFT) | Q(code__isnull=False),
                name="submitted_dossiers_have_a_code",
            ),
            # A rejected or withdrawn dossier owes no result, so it has no appointment:
            # every page, e-mail and export reads ``due_at`` and shows none.
            models.CheckConstraint(
                condition=~Q(status__in=sorted(ENDED_WITHOUT_RESULT)) | Q(due_at__isnull=True),
                name="ended_without_result_has_no_appointment",
            ),
        ]
        indexes = [
            # "Hồ sơ cá nhân" pages a citizen's dossiers in this order: without the index
            # PostgreSQL sorts all of them for every page (824 ms at 100,000; 1 ms with it).
            models.Index(
                fields=["applicant", "-submitted_at", "-created_at"], name="dossier_applicant_list"
            ),
        ]

    def __str__(self):
        return self.code or f"{self.get_status_display()} #{self.pk}"

    @property
    def is_draft(self):
        return self.status == DossierStatus.DRAFT

    @property
    def as_submitted(self):
        """The procedure and agency as the dossier was submitted against them: its
        snapshot, typed (``submission.snapshot.Snapshot``)."""
        return Snapshot(self)

    @property
    def can_withdraw(self):
        """A citizen may withdraw a dossier until the agency has received it."""
        return self.status == DossierStatus.SUBMITTED


class DossierEvent(models.Model):
    """What the timeline shows besides status changes (which come from the history):
    notification e-mails sent or failed, deadline extensions, assignments."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.message}"
