"""The finance side of the officials' back office ("Thu phí"): payments, refunds and the
fee report, in the Wagtail admin.

Scoped by agency as the dossiers are (``wagtail_hooks.DossierAdmin``): an official sees
the payments of dossiers of their own agencies, a superuser every payment. Every view
starts from the scoped reads of ``finance_selectors``, not only the listings:

- "Giao dịch thanh toán" and "Hoàn phí" are wagtail-modeladmin listings whose inspect
  views re-fetch the object through the scoped read (modeladmin itself loads it by
  primary key from the default manager), so another agency's payment or refund is a
  404. No create, edit, delete or history URL is registered: payments change only in
  ``payments.services``.
- "Xác nhận đã hoàn trả" (``refund_done``) records that the finance officer paid a
  refund back, through ``services.fees.confirm_refund``; it needs the official's
  agency (else 404) and the ``payments.change_refund`` permission (else 403).
- "Báo cáo thu phí" (``FeeReportView``) is Wagtail's own ``ReportView``: per agency and
  per day in the portal's time zone, counted and summed in the database, with a CSV
  export of the same rows.

Registered by ``wagtail_hooks`` under one "Thu phí" menu; the scoped reads are in
``finance_selectors``.
"""

import datetime
import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import HeaderButton
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import InspectView

from core.formatting import format_date, format_datetime, format_vnd, group_thousands
from core.forms import DateField
from payments.constants import RefundStatus
from payments.models import Payment, Refund

from .admin_common import ReadOnlyPermissionHelper, StrictFiltersIndexView, is_official
from .finance_selectors import (
    can_mark_refunded,
    fee_report_rows,
    fee_report_totals,
    official_payment,
    official_refund,
    payments_for_official,
    portal_time_zone,
    refunds_for_official,
)
from .services.fees import confirm_refund


# Display helpers ------------------------------------------------------------------------
def vnd_total(amount):
    """Like ``format_vnd``, but a total of nothing is "0 đồng", not "Không thu phí"."""
    return format_vnd(amount) if amount else _("%(amount)s đồng") % {"amount": 0}


def agency_of(payment):
    return payment.dossier.agency.title if payment.dossier_id else ""


# Listings (wagtail-modeladmin) ----------------------------------------------------------
class PaymentPermissionHelper(ReadOnlyPermissionHelper):
    def agency_id_of(self, obj):
        return obj.dossier.agency_id if obj.dossier_id else None


class RefundPermissionHelper(ReadOnlyPermissionHelper):
    def agency_id_of(self, obj):
        return obj.payment.dossier.agency_id if obj.payment.dossier_id else None


class PaymentInspectView(InspectView):
    """A payment as the gateway settled it, with the raw notification kept as evidence."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.instance = official_payment(request.user, self.instance_pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        payment = self.instance
        raw = payment.raw_notification
        context.update(
            payment=payment,
            amount=format_vnd(payment.amount),
            agency=agency_of(payment),
            raw_notification=(
                json.dumps(raw, ensure_ascii=False, indent=2, sort_keys=True)
                if raw is not None
                else ""
            ),
            refund=Refund.objects.filter(payment=payment).select_related("refunded_by").first(),
            history=payment.history.order_by("history_date", "history_id"),
        )
        return context


class RefundInspectView(InspectView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.instance = official_refund(request.user, self.instance_pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        refund = self.instance
        context.update(
            refund=refund,
            amount=format_vnd(refund.amount),
            agency=agency_of(refund.payment),
        )
        return context


class RefundButtonHelper(ButtonHelper):
    """Inspect, and "Xác nhận đã hoàn trả" on a pending refund for whoever may record it."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude=exclude, classnames_add=classnames_add)
        if obj.status == RefundStatus.PENDING and can_mark_refunded(self.request.user, obj):
            buttons.append(
                {
                    "url": reverse("forms_app_refund_done", args=[obj.pk]),
                    "label": _("Xác nhận đã hoàn trả"),
                    "classname": self.finalise_classname(
                        ["button", *(classnames_add or [])], classnames_exclude
                    ),
                    "title": _("Ghi nhận đã hoàn trả khoản hoàn phí này"),
                }
            )
        return buttons


class ReadOnlyModelAdmin(ModelAdmin):
    """Index and inspect only: no create, edit, delete or history URL exists."""

    inspect_view_enabled = True
    index_view_class = StrictFiltersIndexView

    def get_admin_urls_for_registration(self):
        keep = {self.url_helper.get_action_url_name(name) for name in ("index", "inspect")}
        return tuple(url for url in super().get_admin_urls_for_registration() if url.name in keep)


class PaymentAdmin(ReadOnlyModelAdmin):
    model = Payment
    menu_label = gettext_lazy("Giao dịch thanh toán")
    menu_icon = "list-ul"
    inspect_view_class = PaymentInspectView
    inspect_template_name = "forms_app/admin/finance/payment_inspect.html"
    permission_helper_class = PaymentPermissionHelper
    list_display = (
        "reference",
        "dossier_code",
        "agency",
        "amount_vnd",
        "status",
        "created_on",
        "completed_on",
    )
    list_filter = ("status", "created_at")
    search_fields = ("reference", "dossier__code")
    ordering = ("-created_at",)
    list_per_page = 50

    def get_queryset(self, request):
        return payments_for_official(request.user)

    @admin.display(description=gettext_lazy("Mã hồ sơ"), ordering="dossier__code")
    def dossier_code(self, obj):
        return obj.dossier.code if obj.dossier_id else ""

    @admin.display(description=gettext_lazy("Cơ quan"))
    def agency(self, obj):
        return agency_of(obj)

    @admin.display(description=gettext_lazy("Số tiền"), ordering="amount")
    def amount_vnd(self, obj):
        return format_vnd(obj.amount)

    @admin.display(description=gettext_lazy("Thời điểm tạo"), ordering="created_at")
    def created_on(self, obj):
        return format_datetime(obj.created_at)

    @admin.display(description=gettext_lazy("Thời điểm thanh toán"), ordering="completed_at")
    def completed_on(self, obj):
        return format_datetime(obj.completed_at)


class RefundAdmin(ReadOnlyModelAdmin):
    model = Refund
    menu_label = gettext_lazy("Hoàn phí")
    menu_icon = "redirect"
    inspect_view_class = RefundInspectView
    inspect_template_name = "forms_app/admin/finance/refund_inspect.html"
    permission_helper_class = RefundPermissionHelper
    button_helper_class = RefundButtonHelper
    list_display = (
        "payment_reference",
        "dossier_code",
        "agency",
        "amount_vnd",
        "reason",
        "status",
        "requested_on",
        "refunded_on",
    )
    list_filter = ("status",)
    search_fields = ("payment__reference", "payment__dossier__code")
    ordering = ("-requested_at",)
    list_per_page = 50

    def get_queryset(self, request):
        return refunds_for_official(request.user)

    @admin.display(description=gettext_lazy("Mã giao dịch"), ordering="payment__reference")
    def payment_reference(self, obj):
        return obj.payment.reference

    @admin.display(description=gettext_lazy("Mã hồ sơ"), ordering="payment__dossier__code")
    def dossier_code(self, obj):
        return obj.payment.dossier.code if obj.payment.dossier_id else ""

    @admin.display(description=gettext_lazy("Cơ quan"))
    def agency(self, obj):
        return agency_of(obj.payment)

    @admin.display(description=gettext_lazy("Số tiền hoàn"), ordering="amount")
    def amount_vnd(self, obj):
        return format_vnd(obj.amount)

    @admin.display(description=gettext_lazy("Ngày lập"), ordering="requested_at")
    def requested_on(self, obj):
        return format_datetime(obj.requested_at)

    @admin.display(description=gettext_lazy("Ngày hoàn trả"), ordering="refunded_at")
    def refunded_on(self, obj):
        return format_datetime(obj.refunded_at)


# "Xác nhận đã hoàn trả" -----------------------------------------------------------------
NOTE_REQUIRED = gettext_lazy(
    "Vui lòng ghi chứng từ hoàn trả (số giao dịch chuyển khoản, số phiếu chi)."
)


class RefundDoneForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Chứng từ hoàn trả"),
        max_length=255,
        help_text=gettext_lazy(
            "Số giao dịch chuyển khoản hoặc số phiếu chi đã dùng để trả lại tiền."
        ),
        error_messages={
            "required": NOTE_REQUIRED,
            "max_length": gettext_lazy("Chứng từ hoàn trả dài tối đa 255 ký tự."),
        },
    )


def refund_inspect_url(refund):
    return reverse("payments_refund_modeladmin_inspect", args=[refund.pk])


def _already_refunded(request, refund):
    messages.warning(
        request,
        _("Khoản hoàn phí của giao dịch %(reference)s đã được ghi nhận hoàn trả trước đó.")
        % {"reference": refund.payment.reference},
    )
    return redirect(refund_inspect_url(refund))


def refund_done(request, pk):
    """ "Xác nhận đã hoàn trả": the form on GET, ``confirm_refund`` on POST. Another
    agency's refund is a 404 whoever asks; without ``payments.change_refund`` it is a
    403. A refund already recorded is said so, and nothing changes."""
    refund = official_refund(request.user, pk)
    if not can_mark_refunded(request.user, refund):
        return TemplateResponse(
            request,
            "forms_app/admin/finance/forbidden.html",
            {"refund": refund, "back_url": refund_inspect_url(refund)},
            status=403,
        )
    if refund.status != RefundStatus.PENDING:
        return _already_refunded(request, refund)
    form = RefundDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = confirm_refund(
                refund=refund, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error("note", error)
        else:
            if not done:  # another officer recorded it a moment ago
                return _already_refunded(request, refund)
            messages.success(
                request,
                _("Đã ghi nhận hoàn trả %(amount)s cho giao dịch %(reference)s.")
                % {"amount": format_vnd(refund.amount), "reference": refund.payment.reference},
            )
            return redirect(refund_inspect_url(refund))
    return TemplateResponse(
        request,
        "forms_app/admin/finance/refund_done.html",
        {
            "refund": refund,
            "form": form,
            "amount": format_vnd(refund.amount),
            "agency": agency_of(refund.payment),
            "back_url": refund_inspect_url(refund),
        },
    )


# "Báo cáo thu phí" ----------------------------------------------------------------------
REPORT_DAYS = 30
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)


def _date_field(label):
    return DateField(label=label, required=False)


class FeeReportForm(forms.Form):
    """The report's period; an empty date means the last ``REPORT_DAYS`` days up to
    today in the portal's time zone."""

    tu_ngay = _date_field(gettext_lazy("Từ ngày"))
    den_ngay = _date_field(gettext_lazy("Đến ngày"))

    def __init__(self, params):
        today = timezone.localdate(timezone=portal_time_zone())
        defaults = {
            "tu_ngay": (today - datetime.timedelta(days=REPORT_DAYS - 1)).isoformat(),
            "den_ngay": today.isoformat(),
        }
        super().__init__(
            {name: params.get(name, "").strip() or defaults[name] for name in defaults}
        )

    def clean(self):
        cleaned = super().clean()
        for name in ("tu_ngay", "den_ngay"):
            value = cleaned.get(name)
            if value and not EARLIEST <= value <= LATEST:
                self.add_error(name, _("Ngày phải trong khoảng từ năm 2000 đến năm 2099."))
        start, end = cleaned.get("tu_ngay"), cleaned.get("den_ngay")
        if start and end and start > end and not self.errors:
            self.add_error("den_ngay", _("“Đến ngày” phải bằng hoặc sau “Từ ngày”."))
        return cleaned


def _agency(row):
    return row["agency"] or _("(không gắn hồ sơ)")


class FeeReportView(ReportView):
    """ "Báo cáo thu phí": Wagtail's report view (its listing, pagination and
    spreadsheet export) over ``fee_report_rows``. The period comes from
    ``FeeReportForm``, shown above the table with its errors; the export is CSV only,
    in UTF-8 with a BOM (core.spreadsheets, as every export), dates as dd/mm/yyyy."""

    page_title = gettext_lazy("Báo cáo thu phí")
    header_icon = "table"
    template_name = "forms_app/admin/finance/report.html"
    index_url_name = "forms_app_fee_report"
    paginate_by = 100
    FORMATS = (ReportView.FORMAT_CSV,)
    columns = [
        Column("day", label=gettext_lazy("Ngày"), accessor=lambda row: format_date(row["day"])),
        Column("agency", label=gettext_lazy("Cơ quan"), accessor=_agency),
        Column(
            "completed_count",
            label=gettext_lazy("Số giao dịch thành công"),
            accessor=lambda row: group_thousands(row["completed_count"]),
        ),
        Column(
            "completed_amount",
            label=gettext_lazy("Số tiền đã thu"),
            accessor=lambda row: vnd_total(row["completed_amount"]),
        ),
        Column(
            "failed_count",
            label=gettext_lazy("Số giao dịch không thành công"),
            accessor=lambda row: group_thousands(row["failed_count"]),
        ),
    ]
    list_export = ["day", "agency", "completed_count", "completed_amount", "failed_count"]
    export_headings = {
        "day": gettext_lazy("Ngày"),
        "agency": gettext_lazy("Cơ quan"),
        "completed_count": gettext_lazy("Số giao dịch thành công"),
        "completed_amount": gettext_lazy("Số tiền đã thu (đồng)"),
        "failed_count": gettext_lazy("Số giao dịch không thành công"),
    }
    custom_field_preprocess = {
        "day": {ReportView.FORMAT_CSV: format_date},
        "agency": {ReportView.FORMAT_CSV: lambda title: title or _("(không gắn hồ sơ)")},
    }

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.form = FeeReportForm(request.GET)
        # A period with errors shows the form again, never a spreadsheet.
        self.is_export = self.is_export and self.form.is_valid()

    def dispatch(self, request, *args, **kwargs):
        if not is_official(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def period(self):
        if not self.form.is_valid():
            return None
        return self.form.cleaned_data["tu_ngay"], self.form.cleaned_data["den_ngay"]

    def get_queryset(self):
        if self.period is None:
            return Payment.objects.none()
        date_from, date_to = self.period
        return fee_report_rows(self.request.user, date_from=date_from, date_to=date_to)

    def get_filename(self):
        date_from, date_to = self.period
        return f"bao-cao-thu-phi-{date_from:%Y%m%d}-{date_to:%Y%m%d}"

    @cached_property
    def header_buttons(self):
        if self.period is None:
            return []
        return [
            HeaderButton(
                _("Tải về tệp CSV"), url=self.csv_export_url, icon_name="download", priority=10
            )
        ]

    @cached_property
    def header_more_buttons(self):
        return []

    @cached_property
    def no_results_message(self):
        if self.period is None:
            return _("Vui lòng sửa khoảng thời gian bên trên.")
        return _("Không có giao dịch nào trong khoảng thời gian này.")

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["form"] = self.form
        if self.period is not None and not self.is_export:
            date_from, date_to = self.period
            totals = fee_report_totals(self.request.user, date_from=date_from, date_to=date_to)
            context["totals"] = {
                "completed_count": group_thousands(totals["completed_count"]),
                "completed_amount": vnd_total(totals["completed_amount"]),
                "failed_count": group_thousands(totals["failed_count"]),
            }
            context["period"] = self.period
        return context


# Menu and URLs --------------------------------------------------------------------------
class FeeReportMenuItem(MenuItem):
    def is_shown(self, request):
        return is_official(request.user)


class FinanceAdminGroup(ModelAdminGroup):
    """ "Thu phí": payments, refunds and the fee report."""

    menu_label = gettext_lazy("Thu phí")
    menu_icon = "tasks"
    menu_order = 160
    items = (PaymentAdmin, RefundAdmin)

    def get_submenu_items(self):
        return [
            *super().get_submenu_items(),
            FeeReportMenuItem(
                gettext_lazy("Báo cáo thu phí"),
                reverse_lazy("forms_app_fee_report"),
                icon_name="table",
                order=len(self.items) + 1,
            ),
        ]

    def get_admin_urls_for_registration(self):
        return (
            *super().get_admin_urls_for_registration(),
            path(
                "payments/refund/<int:pk>/xac-nhan-hoan-tra/",
                refund_done,
                name="forms_app_refund_done",
            ),
            path("thu-phi/bao-cao/", FeeReportView.as_view(), name="forms_app_fee_report"),
        )
