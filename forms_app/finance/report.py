""" "Báo cáo thu phí" (``FeeReportView``): Wagtail's own ``ReportView`` over
``selectors.fee_report_rows``, per agency and per day in the portal's time zone, counted
and summed in the database, with a CSV export of the same rows. Registered with the
"Thu phí" menu by ``finance.admin.FinanceAdminGroup``."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import HeaderButton

from core.formatting import format_date, format_vnd, group_thousands
from core.forms import DateField
from payments.models import Payment

from ..backoffice.common import is_official
from .selectors import (
    fee_report_rows,
    fee_report_totals,
    portal_time_zone,
)


def vnd_total(amount):
    """Like ``format_vnd``, but a total of nothing is "0 đồng", not "Không thu phí"."""
    return format_vnd(amount) if amount else _("%(amount)s đồng") % {"amount": 0}


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
