"""The procedure page: the national procedure record of one administrative procedure."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.contrib.forms.utils import get_field_clean_name
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, Revision
from wagtail.search import index

from core.formatting import format_vnd
from core.model_fields import DongField
from core.restrictions import ViewRestrictionsMixin

from ..blocks import StepBlock, SubmissionMethodBlock
from ..constants import (
    DEFAULT_FILE_TYPES,
    ApplicantType,
    FeeCondition,
    FileType,
    ServiceLevel,
)
from ..fees import ScheduledFee, fee_groups, schedule_lines, schedule_problems
from ..model_fields import MultipleChoiceField
from ..serializers import (
    AgencyReferenceSerializer,
    DossierComponentSerializer,
    FeeSerializer,
    LegalBasisSerializer,
    ProcedureFieldSerializer,
)
from ..text import fold, procedure_search_text
from .agencies import AgencyPage


class ProcedurePageForm(WagtailAdminFormPageForm):
    """Defaults the executing agency to the agency the page is filed under, and keeps
    codes unique across drafts waiting for moderation. Wagtail's form-page base form
    refuses two online-form fields with the same name."""

    def _check_code_not_awaiting_moderation(self, code):
        """The unique constraint sees only published codes. A code already claimed by
        another procedure's draft in moderation would make that draft impossible to
        approve later, so it is refused here."""
        if not code or "code" in self.errors:
            return
        waiting = ProcedurePage.objects.filter(has_unpublished_changes=True)
        if self.instance.pk:
            waiting = waiting.exclude(pk=self.instance.pk)
        claimed = Revision.objects.filter(
            id__in=waiting.values("latest_revision_id"), content__code=code
        ).exists()
        if claimed:
            self.add_error(
                "code",
                _("Mã thủ tục này đã được dùng trong bản nháp chờ duyệt của một thủ tục khác."),
            )

    def _check_fee_schedule(self, cleaned_data):
        """The schedule as a whole (``procedures.fees.schedule_problems``): each message
        goes to the field it is about, on the fee's own row or on "nộp phí, lệ phí ngay
        khi nộp hồ sơ"."""
        formset = self.formsets.get("fees")
        if formset is None:
            return
        forms, fees = [], []
        for form in formset.forms:
            if not form.is_valid() or (not form.has_changed() and not form.instance.pk):
                continue
            if formset.can_delete and formset._should_delete_form(form):
                continue
            data = form.cleaned_data
            forms.append(form)
            fees.append(
                ScheduledFee(
                    name=data.get("name", ""),
                    amount=data.get("amount") or 0,
                    condition=data.get("condition") or FeeCondition.ALWAYS,
                    alternative_group=data.get("alternative_group"),
                )
            )
        problems = schedule_problems(
            fees, pay_on_submission=bool(cleaned_data.get("pay_on_submission"))
        )
        for row, field, message in problems:
            if row is None:
                self.add_error(field, message)
            else:
                forms[row].add_error(field, message)

    def clean(self):
        cleaned_data = super().clean()
        self._check_code_not_awaiting_moderation(cleaned_data.get("code"))
        self._check_fee_schedule(cleaned_data)
        if not cleaned_data.get("executing_agencies") and self.parent_page is not None:
            parent = self.parent_page.specific
            if isinstance(parent, AgencyPage):
                cleaned_data["executing_agencies"] = AgencyPage.objects.filter(pk=parent.pk)
        return cleaned_data


class ProcedurePage(ViewRestrictionsMixin, Page):
    """One administrative procedure (thủ tục hành chính), published in full.

    Levels 1 and 2 are served by this page alone (content and template downloads); from
    level 3 it also links to the online submission wizard, which reads the same record.
    """

    # NULL, not "", for a page copied in the admin (the code is not copied): several copies
    # may wait for their code without breaking uniqueness.
    code = models.CharField(  # noqa: DJ001
        _("mã thủ tục"),
        max_length=20,
        unique=True,
        null=True,
        validators=[
            RegexValidator(
                r"^[0-9]{1,2}\.[0-9]{6}$",
                _("Mã thủ tục có dạng 1.001193 (một chữ số, dấu chấm, sáu chữ số)."),
            )
        ],
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia về thủ tục hành chính, ví dụ 1.001193."),
    )
    level = models.PositiveSmallIntegerField(
        _("mức độ dịch vụ công"), choices=ServiceLevel.choices, default=ServiceLevel.TEMPLATES
    )
    field = models.ForeignKey(
        "procedures.ProcedureField",
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        related_name="procedures",
        null=True,
    )
    applicant_types = MultipleChoiceField(
        _("đối tượng thực hiện"), member_choices=ApplicantType.choices, blank=False
    )
    summary = models.TextField(
        _("tóm tắt"), blank=True, help_text=_("Một hai câu: thủ tục này dùng để làm gì.")
    )
    steps = StreamField([("step", StepBlock())], verbose_name=_("trình tự thực hiện"), blank=True)
    submission_methods = StreamField(
        [("method", SubmissionMethodBlock())], verbose_name=_("cách thức thực hiện"), blank=True
    )
    # 0 is a procedure settled within the day of receipt (e.g. "Đăng ký khai sinh", Luật
    # Hộ tịch 2014 Điều 16): due that working day, or the next one when the dossier is
    # received after the agency's cut-off (forms_app.working_days.due_at).
    processing_time_days = models.PositiveSmallIntegerField(
        _("thời hạn giải quyết (ngày làm việc)"),
        validators=[MinValueValidator(0), MaxValueValidator(365)],
        default=5,
        help_text=_(
            "Số ngày làm việc kể từ ngày tiếp nhận hồ sơ; 0 nếu giải quyết trong ngày làm việc "
            "tiếp nhận hồ sơ."
        ),
    )
    processing_time_note = models.CharField(_("ghi chú thời hạn"), max_length=255, blank=True)
    # Level 4 only: the fee is collected with the submission (the schedule is then the
    # amount due), not after the agency has received the dossier and confirmed it.
    pay_on_submission = models.BooleanField(
        _("nộp phí, lệ phí ngay khi nộp hồ sơ trực tuyến"),
        default=False,
        help_text=_(
            "Chỉ áp dụng cho dịch vụ công mức độ 4. Nếu không chọn, người nộp thanh toán sau "
            "khi cơ quan tiếp nhận hồ sơ và xác nhận mức phí."
        ),
    )
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    requirements = RichTextField(_("yêu cầu, điều kiện"), blank=True)
    executing_agencies = ParentalManyToManyField(
        "procedures.AgencyPage",
        verbose_name=_("cơ quan thực hiện"),
        related_name="executed_procedures",
        blank=True,
    )
    # Folded copies for search (procedures.selectors.search_procedures): kept by save().
    search_title = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")

    base_form_class = ProcedurePageForm
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("code"),
                FieldPanel("level"),
                FieldPanel("field"),
                FieldPanel("applicant_types"),
                FieldPanel("executing_agencies"),
            ],
            heading=_("Thông tin chung"),
        ),
        FieldPanel("summary"),
        FieldPanel("steps"),
        FieldPanel("submission_methods"),
        InlinePanel("dossier_components", heading=_("Thành phần hồ sơ"), label=_("thành phần")),
        InlinePanel(
            "form_fields",
            heading=_("Tờ khai trực tuyến"),
            label=_("trường thông tin"),
            help_text=_("Thông tin riêng của thủ tục mà người dân khai khi nộp hồ sơ trực tuyến."),
        ),
        MultiFieldPanel(
            [FieldPanel("processing_time_days"), FieldPanel("processing_time_note")],
            heading=_("Thời hạn giải quyết"),
        ),
        MultiFieldPanel(
            [
                InlinePanel("fees", label=_("khoản phí")),
                FieldPanel("pay_on_submission"),
            ],
            heading=_("Phí, lệ phí"),
        ),
        FieldPanel("result"),
        InlinePanel("legal_basis", heading=_("Căn cứ pháp lý"), label=_("văn bản")),
        FieldPanel("requirements"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("code"),
        index.FilterField("level"),
        index.FilterField("field"),
    ]
    api_fields = [
        APIField("code"),
        APIField("level"),
        APIField("field", serializer=ProcedureFieldSerializer()),
        APIField(
            "applicant_types", serializer=serializers.ListField(child=serializers.CharField())
        ),
        APIField("summary"),
        APIField("steps"),
        APIField("submission_methods"),
        APIField("dossier_components", serializer=DossierComponentSerializer(many=True)),
        APIField("processing_time_days"),
        APIField("processing_time_note"),
        APIField("fees", serializer=FeeSerializer(many=True)),
        APIField("result"),
        APIField("legal_basis", serializer=LegalBasisSerializer(many=True)),
        APIField("requirements"),
        APIField("executing_agencies", serializer=AgencyReferenceSerializer(many=True)),
    ]
    parent_page_types = ["procedures.AgencyPage"]
    # Read by every view of the page (its heading and structured data); see core.routing.
    route_select_related = ("field",)
    subpage_types = []
    exclude_fields_in_copy = ["code"]

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def save(self, *args, **kwargs):
        self.search_title = fold(self.title)
        self.search_text = procedure_search_text(
            self.title, self.code, self.field.name if self.field_id else ""
        )
        return super().save(*args, **kwargs)

    @property
    def accepts_online_submission(self):
        return self.level >= ServiceLevel.ONLINE

    @property
    def allows_online_result(self):
        """Level 4 delivers the result online as well as at the counter or by post."""
        return self.level >= ServiceLevel.PAYMENT

    @property
    def offers_templates(self):
        return self.level >= ServiceLevel.TEMPLATES

    def applicant_type_labels(self):
        labels = dict(ApplicantType.choices)
        return [labels[code] for code in self.applicant_types if code in labels]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["components"] = self.dossier_components.select_related("template")
        fees = list(self.fees.all())
        context["fees"] = fees
        context["fee_groups"] = fee_groups(fees)
        context["fee_summary"] = "; ".join(schedule_lines(fees))
        context["legal_documents"] = self.legal_basis.all()
        context["agencies"] = self.executing_agencies.all()
        return context


class DossierComponent(Orderable):
    """One document of the dossier (thành phần hồ sơ), with its template and upload rules."""

    page = ParentalKey(ProcedurePage, on_delete=models.CASCADE, related_name="dossier_components")
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=1)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    required = models.BooleanField(_("bắt buộc"), default=True)
    guidance = models.TextField(_("hướng dẫn"), blank=True)
    template = models.ForeignKey(
        settings.WAGTAILDOCS_DOCUMENT_MODEL,
        verbose_name=_("mẫu đơn, tờ khai"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_types = MultipleChoiceField(
        _("loại tệp được nộp trực tuyến"),
        member_choices=FileType.choices,
        default=DEFAULT_FILE_TYPES,
    )
    max_size_mb = models.PositiveSmallIntegerField(
        _("dung lượng tối đa mỗi tệp (MB)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("originals"),
        FieldPanel("copies"),
        FieldPanel("required"),
        FieldPanel("guidance"),
        FieldPanel("template"),
        FieldPanel("accepted_types"),
        FieldPanel("max_size_mb"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self):
        return self.name


class FormFieldType(models.TextChoices):
    """The kinds of question an editor may put on a procedure's online form: those of
    ``wagtail.contrib.forms`` that a dossier needs (no hidden or URL fields)."""

    SINGLELINE = "singleline", _("Văn bản một dòng")
    MULTILINE = "multiline", _("Văn bản nhiều dòng")
    NUMBER = "number", _("Số")
    DATE = "date", _("Ngày")
    EMAIL = "email", _("Thư điện tử")
    DROPDOWN = "dropdown", _("Danh sách chọn")
    RADIO = "radio", _("Chọn một")
    CHECKBOXES = "checkboxes", _("Chọn nhiều")
    CHECKBOX = "checkbox", _("Ô đánh dấu")


class ProcedureFormField(AbstractFormField):
    """One question of the procedure's own part of the online form ("Tờ khai"), built by
    editors with Wagtail's form builder: no procedure-specific Python anywhere."""

    page = ParentalKey(ProcedurePage, on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField(_("loại trường"), max_length=16, choices=FormFieldType.choices)
    field_type.required_on_save = True

    class Meta(AbstractFormField.Meta):
        verbose_name = _("trường thông tin tờ khai")
        verbose_name_plural = _("trường thông tin tờ khai")

    def __str__(self):
        return self.label

    def get_field_clean_name(self):
        """ "Họ tên người được khai sinh" → "ho_ten_nguoi_duoc_khai_sinh": Wagtail's own
        conversion keeps đ as "u0111"; folding first gives the name people expect in
        exports and the API."""
        return get_field_clean_name(fold(self.label))


# Two thousand million đồng: far above any fee, and within a 32-bit column everywhere.
MAX_FEE = 2_000_000_000
# Groups of alternatives in one schedule: more would be a schedule nobody can read.
MAX_FEE_GROUP = 20
CONDITIONAL_NEEDS_NOTE = _(
    "Khoản phí tùy trường hợp cần ghi chú nêu rõ trường hợp phải nộp (ví dụ: “Khi đề nghị "
    "cấp từ Phiếu thứ 3 trở đi”)."
)
GROUP_ONLY_FOR_ALTERNATIVES = _(
    "Chỉ các mức thay thế nhau mới có nhóm; để trống ô này hoặc chọn cách áp dụng “Một "
    "trong các mức thay thế nhau”."
)


class ProcedureFee(Orderable):
    """A fee or charge (phí, lệ phí), in whole đồng, and how it is owed: always, as one
    of a group of alternatives (only one of which applies to a dossier), or only in
    the case its note describes. See ``procedures.fees``."""

    page = ParentalKey(ProcedurePage, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("tên khoản phí"), max_length=255)
    amount = DongField(_("mức thu (đồng)"), default=0, validators=[MaxValueValidator(MAX_FEE)])
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    condition = models.CharField(
        _("cách áp dụng"),
        max_length=16,
        choices=FeeCondition.choices,
        default=FeeCondition.ALWAYS,
        help_text=_(
            "“Một trong các mức thay thế nhau”: người nộp chỉ nộp một mức trong nhóm (ví dụ "
            "đúng hạn hoặc quá hạn). “Tùy trường hợp”: chỉ nộp trong trường hợp ghi chú nêu. "
            "Cơ quan xác định khoản áp dụng khi tiếp nhận hồ sơ."
        ),
    )
    # Only for alternatives: the lines of one group replace each other. NULL otherwise.
    alternative_group = models.PositiveSmallIntegerField(
        _("nhóm mức thay thế"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_FEE_GROUP)],
        help_text=_(
            "Chỉ dùng cho các mức thay thế nhau: các khoản cùng số nhóm thay thế nhau. "
            "Để trống nếu thủ tục chỉ có một nhóm."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("amount"),
        FieldPanel("condition"),
        FieldPanel("alternative_group"),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self):
        return f"{self.name}: {self.display_amount}"

    def clean(self):
        """A conditional line says its case in the note; a group number belongs to
        alternatives only (an alternative without one is in group 1)."""
        super().clean()
        errors = {}
        if self.condition == FeeCondition.CONDITIONAL and not (self.note or "").strip():
            errors["note"] = CONDITIONAL_NEEDS_NOTE
        if self.condition == FeeCondition.ALTERNATIVE:
            self.alternative_group = self.alternative_group or 1
        elif self.alternative_group is not None:
            errors["alternative_group"] = GROUP_ONLY_FOR_ALTERNATIVES
        if errors:
            raise ValidationError(errors)

    @property
    def display_amount(self):
        return format_vnd(self.amount)


class LegalBasis(Orderable):
    """A legal document the procedure rests on (căn cứ pháp lý)."""

    page = ParentalKey(ProcedurePage, on_delete=models.CASCADE, related_name="legal_basis")
    number = models.CharField(_("số, ký hiệu"), max_length=100)
    title = models.CharField(_("trích yếu"), max_length=500)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)

    panels = [
        FieldPanel("number"),
        FieldPanel("title"),
        FieldPanel("issuer"),
        FieldPanel("issued_on"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")

    def __str__(self):
        return f"{self.number} {self.title}"
