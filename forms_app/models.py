"""Dossiers (hồ sơ): what a citizen submits online, and the counter behind their codes.

Dossiers are data, not content: plain models with django-simple-history, written only
through ``forms_app.services``.
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.formatting import format_date

from .constants import (
    ENDED_WITHOUT_RESULT,
    CalendarDayKind,
    Channel,
    DossierStatus,
    EventKind,
    ResultDelivery,
)


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
    def can_withdraw(self):
        """A citizen may withdraw a dossier until the agency has received it."""
        return self.status == DossierStatus.SUBMITTED


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


class CalendarDay(models.Model):
    """A day the government moved this year: an extra day off, or a weekend day worked
    in exchange. Counted by the working-day deadlines on top of the public holidays of
    the ``holidays`` package."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại ngày"), max_length=20, choices=CalendarDayKind.choices)
    note = models.CharField(_("căn cứ, ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["-date"]

    def __str__(self):
        return f"{format_date(self.date)} – {self.get_kind_display()}"


class CalendarYear(models.Model):
    """A year whose days off and make-up working days an administrator has checked
    against the government's decision for that year (Tết, the swapped days) and
    completed with ``CalendarDay`` rows: its deadlines can be trusted.

    The pinned ``holidays`` package knows only the years it was released with; the
    government announces next year's Tết and swaps in the autumn. From 1 October the
    admin warns while next year has no confirmation
    (``working_days.year_to_confirm``)."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    decision = models.CharField(
        _("văn bản công bố lịch nghỉ"),
        max_length=255,
        help_text=_(
            "Số, ký hiệu và trích yếu của văn bản công bố lịch nghỉ lễ, Tết của năm, ví dụ "
            "“Thông báo số …/TB-BNV về lịch nghỉ Tết Âm lịch và Quốc khánh năm 2027”."
        ),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("ngày xác nhận"))

    class Meta:
        verbose_name = _("lịch nghỉ đã xác nhận của năm")
        verbose_name_plural = _("lịch nghỉ đã xác nhận theo năm")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.decision}"


class OfficialGroup(models.Model):
    """The members of ``group`` are officials of ``agency``: they see and process its
    dossiers (and, for a district that is given them, those of its communes)."""

    agency = models.ForeignKey(
        "procedures.AgencyPage",
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="official_groups",
    )
    group = models.ForeignKey(
        "auth.Group", verbose_name=_("nhóm cán bộ"), on_delete=models.CASCADE, related_name="+"
    )
    include_subordinates = models.BooleanField(_("kể cả các xã, phường trực thuộc"), default=False)

    class Meta:
        verbose_name = _("nhóm cán bộ của cơ quan")
        verbose_name_plural = _("nhóm cán bộ của cơ quan")
        constraints = [
            models.UniqueConstraint(fields=["agency", "group"], name="one_link_per_agency_group")
        ]

    def __str__(self):
        return f"{self.group} → {self.agency}"
