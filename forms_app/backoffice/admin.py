"""The officials' back office in the Wagtail admin ("Hồ sơ"), with wagtail-modeladmin.

Scoping is by agency everywhere, not only in the listing: modeladmin loads the object of
its instance views by primary key with the default manager, so the inspect and history
views re-fetch it through ``selectors.official_dossier`` (404 for another agency), the
create, edit and delete views are not registered at all (dossiers change only through
the workflow's actions), and the action and file views start from the same selector.
"""

from django.contrib import admin
from django.contrib.admin import RelatedFieldListFilter, SimpleListFilter
from django.db.models import Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import HistoryView, InspectView

from core.formatting import format_date, format_datetime

from ..constants import DossierStatus
from ..finance.summary import fee_summary
from ..models import Dossier, DossierResult, OfficialGroup
from ..selectors import (
    applicant_name,
    dossiers_for_official,
    files_by_component,
    form_data_rows,
    official_dossier,
    timeline,
)
from ..services.extension import extension_refusal
from ..services.workflow import CLOCK_RUNNING
from ..working_days import add_working_days, working_days_between
from . import views
from .common import ReadOnlyPermissionHelper, StrictFiltersIndexView

DUE_SOON_WORKING_DAYS = 2


class DossierPermissionHelper(ReadOnlyPermissionHelper):
    """Officials list and inspect their agencies' dossiers; dossiers change only
    through the workflow's actions."""

    def agency_id_of(self, obj):
        return obj.agency_id


class ScopedInstanceMixin:
    """Re-fetch the instance through the official's selector before anything else."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.instance = official_dossier(request.user, self.instance_pk)
        return super().dispatch(request, *args, **kwargs)


class DossierInspectView(ScopedInstanceMixin, InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dossier = self.instance
        context.update(
            dossier=dossier,
            actions=views.available_actions(dossier),
            files_by_component=files_by_component(dossier),
            timeline=timeline(dossier),
            supplement_requests=dossier.supplement_requests.prefetch_related("items"),
            form_rows=form_data_rows(dossier),
            fees=fee_summary(dossier),
            result=DossierResult.objects.filter(dossier=dossier).first(),
            # Why "Gia hạn" is not offered while the clock runs (extended once already,
            # or the appointment has passed).
            extension_refusal=(
                extension_refusal(dossier)
                if dossier.status in CLOCK_RUNNING and dossier.due_at
                else None
            ),
        )
        return context


class DossierHistoryView(ScopedInstanceMixin, HistoryView):
    pass


class DossierIndexView(StrictFiltersIndexView):
    def get_heading(self, queryset, field):
        """The export's column headings as the listing writes them ("Mã hồ sơ"), not
        modeladmin's str.title() of them ("Mã Hồ Sơ")."""
        return capfirst(super().get_heading(queryset, field).lower())


class DossierButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        return super().get_buttons_for_obj(
            obj, exclude=["edit", "delete"], classnames_add=classnames_add
        )


def deadline_q(kind):
    now = timezone.now()
    running = Q(status__in=CLOCK_RUNNING, due_at__isnull=False)
    if kind == "overdue":
        return running & Q(due_at__lt=now)
    soon = add_working_days(timezone.localdate(), DUE_SOON_WORKING_DAYS)
    return running & Q(due_at__gte=now, due_at__date__lte=soon)


def simple_filter(title, parameter, choices, query):
    """A Django admin SimpleListFilter built from ``choices`` and ``query(value)``."""
    return type(
        f"{parameter.title()}Filter",
        (SimpleListFilter,),
        {
            "title": title,
            "parameter_name": parameter,
            "lookups": lambda self, request, model_admin: choices,
            "queryset": lambda self, request, queryset: (
                queryset.filter(query(self.value())) if self.value() else queryset
            ),
        },
    )


class RelatedListFilter(RelatedFieldListFilter):
    """Django's filter by a related object, without asking ``django.contrib.admin``'s
    site for the related model's admin ordering: that app is not installed here, so
    asking raised LookupError and the whole listing was a server error. The related
    model's own ``Meta.ordering`` applies."""

    def field_admin_ordering(self, field, request, model_admin):
        return ()


DeadlineListFilter = simple_filter(
    _("Thời hạn"),
    "thoi_han",
    [
        ("overdue", _("Quá hạn")),
        ("due_soon", _("Sắp đến hạn (trong 2 ngày làm việc)")),
    ],
    deadline_q,
)


StatusListFilter = simple_filter(
    _("Trạng thái"),
    "status",
    [(value, label) for value, label in DossierStatus.choices if value != DossierStatus.DRAFT],
    lambda value: Q(status=value),
)


class ProcedureListFilter(SimpleListFilter):
    """The procedures the official's own dossiers belong to (not the whole catalogue of
    thousands)."""

    title = _("Thủ tục")
    parameter_name = "thu_tuc"

    def lookups(self, request, model_admin):
        procedures = (
            dossiers_for_official(request.user)
            .order_by()
            .values_list("procedure_id", "procedure__title")
            .distinct()
        )
        return sorted(procedures, key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(procedure_id=value) if value.isdigit() else queryset.none()


class DossierAdmin(ModelAdmin):
    model = Dossier
    menu_label = _("Hồ sơ")
    menu_icon = "folder-open-inverse"
    menu_order = 150
    add_to_admin_menu = True
    inspect_view_enabled = True
    inspect_view_class = DossierInspectView
    inspect_template_name = "forms_app/admin/inspect.html"
    history_view_class = DossierHistoryView
    index_template_name = "forms_app/admin/index.html"
    index_view_class = DossierIndexView
    permission_helper_class = DossierPermissionHelper
    button_helper_class = DossierButtonHelper
    list_display = (
        "code",
        "procedure_title",
        "applicant_name",
        "status",
        "received_at",
        "due_at",
        "deadline",
    )
    list_filter = (
        StatusListFilter,
        ProcedureListFilter,
        ("procedure__field", RelatedListFilter),
        "received_at",
        DeadlineListFilter,
    )
    search_fields = (
        "code",
        "applicant__full_name",
        "applicant_data__full_name",
        "applicant_data__cccd",
    )
    # What officials read in a spreadsheet: the status's name (not its stored value),
    # local dates (not UTC timestamps) and the deadline without the listing's HTML.
    list_export = (
        "code",
        "procedure_title",
        "applicant_name",
        "status_name",
        "received_on",
        "due_on",
        "deadline_text",
    )
    export_filename = "ho-so"
    ordering = ("-submitted_at",)

    def get_queryset(self, request):
        return dossiers_for_official(request.user)

    def get_admin_urls_for_registration(self):
        """Index, inspect and history only (plus the actions): no create, edit or
        delete URL exists, so none can leak another agency's dossier."""
        urls = super().get_admin_urls_for_registration()
        keep = {
            self.url_helper.get_action_url_name(name) for name in ("index", "inspect", "history")
        }
        return (
            *(url for url in urls if url.name in keep),
            path(
                "forms_app/dossier/<int:pk>/thao-tac/<slug:action>/",
                views.dossier_action,
                name="forms_app_dossier_action",
            ),
            path(
                "forms_app/dossier/<int:pk>/tep/<int:file_id>/",
                views.dossier_file,
                name="forms_app_dossier_file",
            ),
            path(
                "forms_app/dossier/<int:pk>/ket-qua/",
                views.dossier_result,
                name="forms_app_dossier_result",
            ),
            path(
                "forms_app/dossier/tiep-nhan-truc-tiep/",
                views.register_counter_dossier,
                name="forms_app_dossier_register",
            ),
        )

    @admin.display(description=_("Thủ tục"))
    def procedure_title(self, obj):
        return obj.as_submitted.procedure_title

    @admin.display(description=_("Người nộp"))
    def applicant_name(self, obj):
        return applicant_name(obj)

    @admin.display(description=_("Còn lại"))
    def deadline(self, obj):
        return deadline_label(obj)

    @admin.display(description=_("Trạng thái"))
    def status_name(self, obj):
        return obj.get_status_display()

    @admin.display(description=_("Ngày tiếp nhận"))
    def received_on(self, obj):
        return format_datetime(obj.received_at)

    @admin.display(description=_("Ngày hẹn trả"))
    def due_on(self, obj):
        return format_date(obj.due_at)

    @admin.display(description=_("Còn lại"))
    def deadline_text(self, obj):
        return strip_tags(deadline_label(obj))


def deadline_label(dossier):
    """ "Còn 3 ngày làm việc", "Đến hạn hôm nay", "Quá hạn 2 ngày làm việc", or "Tạm
    dừng" while the citizen supplements ("Chờ bổ sung (chưa tiếp nhận)" when asked
    before receipt)."""
    if dossier.status == DossierStatus.SUPPLEMENT_REQUESTED:
        if dossier.received_at is None:
            # Asked at the reception check: no clock has started.
            return _("Chờ bổ sung (chưa tiếp nhận)")
        return _("Tạm dừng (chờ bổ sung)")
    if dossier.status not in CLOCK_RUNNING or not dossier.due_at:
        return ""
    today, due = timezone.localdate(), timezone.localdate(dossier.due_at)
    if dossier.due_at < timezone.now():
        late = max(working_days_between(due, today), 1)
        return format_html(
            '<span class="dossier-overdue">{}</span>',
            _("Quá hạn %(days)s ngày làm việc") % {"days": late},
        )
    if due == today:
        # A same-day procedure, or the last day of any: not "Còn 0 ngày làm việc".
        return _("Đến hạn hôm nay")
    return _("Còn %(days)s ngày làm việc") % {"days": working_days_between(today, due)}


class OfficialGroupAdmin(ModelAdmin):
    """Which group's members are the officials of which agency."""

    model = OfficialGroup
    menu_label = _("Cán bộ theo cơ quan")
    menu_icon = "group"
    add_to_settings_menu = True
    list_display = ("agency", "group", "include_subordinates")


class DossierQueuePanel(Component):
    """On the admin dashboard: my queue, due soon, overdue."""

    name = "dossier_queue"
    order = 50
    template_name = "forms_app/admin/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        dossiers = dossiers_for_official(self.user).order_by("due_at")
        limit = 10
        return {
            "mine": dossiers.filter(
                assigned_to=self.user,
                status__in=CLOCK_RUNNING | {DossierStatus.SUPPLEMENT_REQUESTED},
            )[:limit],
            "waiting": dossiers.filter(status=DossierStatus.SUBMITTED)[:limit],
            "due_soon": dossiers.filter(deadline_q("due_soon"))[:limit],
            "overdue": dossiers.filter(deadline_q("overdue"))[:limit],
            "index_url": reverse("forms_app_dossier_modeladmin_index"),
        }
