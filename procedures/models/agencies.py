"""Agencies (cơ quan thực hiện): the page tree that organises the portal by agency."""

from collections import OrderedDict

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core.restrictions import ViewRestrictionsMixin

from ..constants import (
    DEFAULT_RECEIPT_CUTOFF,
    EARLIEST_RECEIPT_CUTOFF,
    LATEST_RECEIPT_CUTOFF,
    AgencyLevel,
)


def validate_receipt_cutoff(value):
    """A cut-off outside office hours would make every dossier count from the next
    day, or none of them."""
    if not EARLIEST_RECEIPT_CUTOFF <= value <= LATEST_RECEIPT_CUTOFF:
        raise ValidationError(
            _("Giờ chốt tiếp nhận phải trong giờ làm việc, từ %(start)s đến %(end)s.")
            % {
                "start": f"{EARLIEST_RECEIPT_CUTOFF:%H:%M}",
                "end": f"{LATEST_RECEIPT_CUTOFF:%H:%M}",
            },
            code="receipt_cutoff",
        )


class AgencyIndexPage(ViewRestrictionsMixin, Page):
    """ "Cơ quan thực hiện": the list of the province's agencies, one level under home."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["procedures.AgencyPage"]
    max_count = 1

    class Meta:
        verbose_name = _("danh sách cơ quan")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        agencies = AgencyPage.objects.live().public().child_of(self).order_by("title")
        context["agencies_by_level"] = [
            (label, [agency for agency in agencies if agency.level == level])
            for level, label in AgencyLevel.choices
            if level != AgencyLevel.COMMUNE
        ]
        return context


class AgencyPageForm(WagtailAdminPageForm):
    """Keeps the tree honest: communes under a district, districts and departments at the
    top, since officials' scopes and dossier routing follow it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not (self.for_user and self.for_user.is_superuser):
            # The code opens every dossier code, the level drives routing and the cut-off
            # moves every deadline: once an agency exists, only webmasters change them.
            for name in ("code", "level", "receipt_cutoff"):
                self.fields[name].disabled = True

    def clean(self):
        cleaned_data = super().clean()
        level = cleaned_data.get("level")
        parent = self.parent_page.specific if self.parent_page else None
        under_district = isinstance(parent, AgencyPage) and parent.level == AgencyLevel.DISTRICT
        if level == AgencyLevel.COMMUNE and not under_district:
            self.add_error("level", _("Cơ quan cấp xã phải nằm dưới một cơ quan cấp huyện."))
        elif level in (AgencyLevel.PROVINCE, AgencyLevel.DISTRICT) and isinstance(
            parent, AgencyPage
        ):
            self.add_error(
                "level", _("Cơ quan cấp tỉnh, cấp huyện nằm ngay dưới trang “Cơ quan thực hiện”.")
            )
        return cleaned_data


class AgencyPage(ViewRestrictionsMixin, Page):
    """A department, a district People's Committee or a commune, and its procedures."""

    code = models.CharField(
        _("mã định danh"),
        max_length=30,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9][A-Z0-9.]{1,29}$",
                _(
                    "Mã định danh gồm chữ in hoa không dấu, chữ số và dấu chấm, "
                    "ví dụ STP hoặc H42.12."
                ),
            )
        ],
        help_text=_("Mã định danh của cơ quan; đứng đầu mã của mọi hồ sơ nộp tới cơ quan."),
    )
    level = models.CharField(_("cấp"), max_length=10, choices=AgencyLevel.choices)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    working_hours = models.CharField(_("giờ làm việc"), max_length=255, blank=True)
    # Read by the working-day deadlines (forms_app.working_days.due_at).
    receipt_cutoff = models.TimeField(
        _("giờ chốt tiếp nhận hồ sơ trong ngày"),
        default=DEFAULT_RECEIPT_CUTOFF,
        validators=[validate_receipt_cutoff],
        help_text=_(
            "Hồ sơ tiếp nhận sau giờ này, hoặc vào ngày nghỉ, được tính là tiếp nhận vào ngày "
            "làm việc tiếp theo khi tính thời hạn giải quyết. Mặc định 15:00."
        ),
    )
    introduction = RichTextField(_("giới thiệu"), blank=True)

    base_form_class = AgencyPageForm
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("code"), FieldPanel("level")], heading=_("Định danh")),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("working_hours"),
            ],
            heading=_("Liên hệ"),
        ),
        FieldPanel("receipt_cutoff"),
        FieldPanel("introduction"),
    ]
    search_fields = [*Page.search_fields, index.FilterField("level")]
    api_fields = [
        APIField("code"),
        APIField("level"),
        APIField("address"),
        APIField("phone"),
        APIField("email"),
        APIField("working_hours"),
        APIField("receipt_cutoff"),
        APIField("introduction"),
    ]
    parent_page_types = ["procedures.AgencyIndexPage", "procedures.AgencyPage"]
    subpage_types = ["procedures.AgencyPage", "procedures.ProcedurePage"]

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")

    def __str__(self):
        return self.title

    def procedures(self):
        """Live procedures this agency carries out: its own and those naming it. (The
        model comes from the app registry: procedures.py imports this module.)"""
        procedure_model = apps.get_model("procedures", "ProcedurePage")
        return (
            procedure_model.objects.live()
            .public()
            .filter(
                models.Q(path__startswith=self.path, depth=self.depth + 1)
                | models.Q(executing_agencies=self)
            )
            .distinct()
            .select_related("field")
            .order_by("field__name", "title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        by_field = OrderedDict()
        for procedure in self.procedures():
            by_field.setdefault(procedure.field, []).append(procedure)
        context["procedures_by_field"] = by_field
        context["sub_agencies"] = (
            AgencyPage.objects.live().public().child_of(self).order_by("title")
        )
        return context
