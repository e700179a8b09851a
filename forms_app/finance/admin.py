"""The finance side of the officials' back office ("Thu phí"): payments, refunds and the
fee report, in the Wagtail admin.

Scoped by agency as the dossiers are (``wagtail_hooks.DossierAdmin``): an official sees
the payments of dossiers of their own agencies, a superuser every payment. Every view
starts from the scoped reads of ``finance.selectors``, not only the listings:

- "Giao dịch thanh toán" and "Hoàn phí" are wagtail-modeladmin listings whose inspect
  views re-fetch the object through the scoped read (modeladmin itself loads it by
  primary key from the default manager), so another agency's payment or refund is a
  404. No create, edit, delete or history URL is registered: payments change only in
  ``payments.services``.
- "Xác nhận đã hoàn trả" (``refund_done``) records that the finance officer paid a
  refund back, through ``finance.services.confirm_refund``; it needs the official's
  agency (else 404) and the ``payments.change_refund`` permission (else 403).
- "Báo cáo thu phí" is ``finance.report``.

Registered by ``wagtail_hooks`` under one "Thu phí" menu (``FinanceAdminGroup``).
"""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import InspectView

from core.formatting import format_datetime, format_vnd
from payments.constants import RefundStatus
from payments.models import Payment, Refund

from ..backoffice.common import ReadOnlyPermissionHelper, StrictFiltersIndexView, is_official
from .report import FeeReportView
from .selectors import (
    can_mark_refunded,
    official_payment,
    official_refund,
    payments_for_official,
    refunds_for_official,
)
from .services import confirm_refund


# Display helpers ------------------------------------------------------------------------
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
