"""The administrators' calendar in the Wagtail admin ("Ngày nghỉ, ngày làm bù"): what the
working-day deadlines count on, year by year.

- The listing of recorded days (``CalendarDayAdmin`` in ``wagtail_hooks``), filterable by
  year, says which years are confirmed and warns from 1 October while next year is not
  (``working_days.year_to_confirm``); the admin dashboard shows the same warning to those
  who can act on it.
- "Ghi nhận theo văn bản" (``record_days``) records a whole break of the government's
  decision at once: every day from one date to another, as days off or as working days
  made up, with the decision as the reason.
- "Lịch năm" (``calendar_year``) lists every day of a year that is not what its weekday
  says — from the pinned ``holidays`` package or recorded here — to compare with the
  decision, and confirms the year with the decision's number.

Writes go through ``services.calendar``; each view needs the model permissions of what it
writes (superusers, the webmasters, have them all).
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.components import Component
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import IndexView

from core.formatting import format_date
from core.forms import DateField

from ..constants import CalendarDayKind
from ..models import CalendarDay, CalendarYear
from ..services.calendar import confirm_calendar_year, record_calendar_days
from ..working_days import year_calendar, year_to_confirm

# Years whose calendar page exists: the deadlines count a few years either way.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def can_record(user):
    return user.has_perm("forms_app.add_calendarday") and user.has_perm(
        "forms_app.change_calendarday"
    )


def can_confirm(user):
    return user.has_perm("forms_app.add_calendaryear")


def year_url(year):
    return reverse("forms_app_calendar_year", args=[year])


class CalendarRangeForm(forms.Form):
    """One line of the government's decision: a run of days off, or of working days."""

    first = DateField(label=gettext_lazy("Từ ngày"))
    last = DateField(
        label=gettext_lazy("Đến ngày"),
        required=False,
        help_text=gettext_lazy("Để trống khi chỉ ghi nhận một ngày."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Loại ngày"), choices=CalendarDayKind.choices)
    note = forms.CharField(
        label=gettext_lazy("Căn cứ"),
        max_length=255,
        error_messages={
            "required": gettext_lazy("Vui lòng ghi văn bản làm căn cứ (số, ký hiệu văn bản).")
        },
        help_text=gettext_lazy(
            "Số, ký hiệu văn bản của cơ quan có thẩm quyền, ví dụ “Thông báo số …/TB-BNV”."
        ),
    )

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "first": data["first"],
            "last": data["last"] or data["first"],
            "kind": data["kind"],
            "note": data["note"],
        }


class ConfirmYearForm(forms.ModelForm):
    """The decision that confirms a year, as ``CalendarYear`` describes it."""

    class Meta:
        model = CalendarYear
        fields = ["decision"]
        error_messages = {
            "decision": {
                "required": gettext_lazy(
                    "Vui lòng ghi số, ký hiệu văn bản công bố lịch nghỉ của năm."
                )
            }
        }


def record_days(request):
    """ "Ghi nhận theo văn bản": a run of days of one kind, with its decision."""
    if not can_record(request.user):
        raise PermissionDenied
    initial = {}
    if request.GET.get("nam", "").isdigit():
        year = int(request.GET["nam"])
        if FIRST_YEAR <= year <= LAST_YEAR:
            initial["first"] = datetime.date(year, 1, 1)
    form = CalendarRangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        try:
            created, updated = record_calendar_days(actor=request.user, **kwargs)
        except ValidationError as error:
            form.add_error(None, error)
        except IntegrityError:
            # Another administrator recorded one of these days at the same moment.
            form.add_error(
                None, _("Một quản trị viên khác vừa ghi nhận cùng ngày; vui lòng gửi lại.")
            )
        else:
            messages.success(
                request,
                _(
                    "Đã ghi nhận từ %(first)s đến %(last)s: %(created)s ngày mới, "
                    "%(updated)s ngày được cập nhật."
                )
                % {
                    "first": format_date(kwargs["first"]),
                    "last": format_date(kwargs["last"]),
                    "created": created,
                    "updated": updated,
                },
            )
            return redirect(year_url(kwargs["first"].year))
    return TemplateResponse(request, "forms_app/admin/calendar/record.html", {"form": form})


def calendar_year(request, year):
    """ "Lịch năm": the year's days off and make-up working days as the deadlines count
    them, and its confirmation with the decision's number."""
    if not (request.user.has_perm("forms_app.view_calendarday") or can_record(request.user)):
        raise PermissionDenied
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    confirmation = CalendarYear.objects.select_related("confirmed_by").filter(year=year).first()
    form = None
    if can_confirm(request.user):
        initial = {"decision": confirmation.decision} if confirmation else {}
        form = ConfirmYearForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                confirm_calendar_year(
                    actor=request.user, year=year, decision=form.cleaned_data["decision"]
                )
            except ValidationError as error:
                if "year" in getattr(error, "error_dict", {}):
                    form.add_error(None, error.error_dict["year"])
                else:
                    form.add_error(None, error)
            else:
                messages.success(
                    request, _("Đã xác nhận lịch nghỉ năm %(year)s.") % {"year": year}
                )
                return redirect(year_url(year))
    elif request.method == "POST":
        raise PermissionDenied
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "forms_app/admin/calendar/year.html",
        {
            "year": year,
            "rows": year_calendar(year),
            "confirmation": confirmation,
            "form": form,
            "can_record": can_record(request.user),
            "previous_url": year_url(year - 1) if year > FIRST_YEAR else "",
            "next_url": year_url(year + 1) if year < LAST_YEAR else "",
            "record_url": reverse("forms_app_calendar_record") + f"?nam={year}",
            "is_next_year": year == today.year + 1,
        },
    )


def calendar_status(today=None):
    """What the listing and the dashboard say about the calendar: the year to confirm
    (or None) and the confirmations of this year and the next."""
    today = today or timezone.localdate()
    years = (today.year, today.year + 1)
    confirmed = {row.year: row for row in CalendarYear.objects.filter(year__in=years)}
    return {
        "year_to_confirm": year_to_confirm(today),
        "years": [(year, confirmed.get(year), year_url(year)) for year in years],
    }


class CalendarWarningPanel(Component):
    """On the admin dashboard of those who confirm calendars: next year's calendar is
    not confirmed yet."""

    name = "calendar_warning"
    order = 40
    template_name = "forms_app/admin/calendar/warning_panel.html"

    def __init__(self, year):
        self.year = year

    def get_context_data(self, parent_context=None):
        return {"year": self.year, "year_url": year_url(self.year)}


# The days in the admin (wagtail-modeladmin) --------------------------------------------
WEEKDAYS = [
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
    gettext_lazy("Chủ nhật"),
]


class CalendarYearListFilter(SimpleListFilter):
    """The recorded days of one year (this year and the next first)."""

    title = gettext_lazy("Năm")
    parameter_name = "nam"

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        years = {this_year, this_year + 1}
        years.update(day.year for day in CalendarDay.objects.dates("date", "year"))
        return [(str(year), str(year)) for year in sorted(years, reverse=True)]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(date__year=int(value)) if value.isdigit() else queryset.none()


class CalendarDayIndexView(IndexView):
    """The recorded days, with which years are confirmed and the warning while next
    year is not."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            calendar_status(),
            can_record=can_record(self.request.user),
            record_url=reverse("forms_app_calendar_record"),
        )
        return context


class CalendarDayAdmin(ModelAdmin):
    """Days the government moves each year, for the working-day deadlines: recorded one
    by one or a whole break at once ("Ghi nhận theo văn bản"), checked year by year
    against the decision and confirmed ("Lịch năm")."""

    model = CalendarDay
    menu_label = gettext_lazy("Ngày nghỉ, ngày làm bù")
    menu_icon = "date"
    add_to_settings_menu = True
    list_display = ("date", "weekday", "kind", "note")
    list_filter = (CalendarYearListFilter, "kind")
    search_fields = ("note",)
    index_view_class = CalendarDayIndexView
    index_template_name = "forms_app/admin/calendar/index.html"

    @admin.display(description=gettext_lazy("Thứ"), ordering="date")
    def weekday(self, obj):
        return WEEKDAYS[obj.date.weekday()]

    def get_admin_urls_for_registration(self):
        return (
            *super().get_admin_urls_for_registration(),
            path(
                "forms_app/calendarday/ghi-nhan/",
                record_days,
                name="forms_app_calendar_record",
            ),
            path(
                "forms_app/calendarday/nam/<int:year>/",
                calendar_year,
                name="forms_app_calendar_year",
            ),
        )
