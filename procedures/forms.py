"""The search-and-filter form of /thu-tuc/, and the builder of a procedure's online form."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import FormBuilder

from core.forms import DateField

from .constants import ApplicantType, ServiceLevel
from .models import AgencyPage, ProcedureField
from .selectors import (
    MAX_QUERY_LENGTH,
    agencies_for_filter,
    fields_for_filter,
    filter_choices,
)


class ProcedureSearchForm(forms.Form):
    """Every field optional: an invalid filter is dropped, never an error page."""

    q = forms.CharField(label=_("Tìm thủ tục"), required=False, max_length=MAX_QUERY_LENGTH)
    agency = forms.ModelChoiceField(
        label=_("Cơ quan thực hiện"),
        queryset=AgencyPage.objects.none(),
        required=False,
        empty_label=_("Tất cả"),
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=ProcedureField.objects.none(),
        required=False,
        empty_label=_("Tất cả"),
    )
    level = forms.TypedChoiceField(
        label=_("Mức độ"),
        choices=[("", _("Tất cả")), *ServiceLevel.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    applicant = forms.ChoiceField(
        label=_("Đối tượng"), choices=[("", _("Tất cả")), *ApplicantType.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The options shown come from the cache. Only a value that was sent is checked
        # against the database: building the agencies' queryset already reads their
        # view restrictions (Wagtail's public()).
        choices = filter_choices()
        for name, queryset in (("agency", agencies_for_filter), ("field", fields_for_filter)):
            field = self.fields[name]
            if self.data.get(name):
                field.queryset = queryset()
            field.widget.choices = [("", field.empty_label), *choices[name]]

    def filters(self):
        """The valid part of what was asked: bad values are ignored one by one."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        query = self.data.get("q", "") if "q" in self.errors else data.get("q", "")
        return {
            "query": query[:MAX_QUERY_LENGTH],
            "agency": data.get("agency"),
            "field": data.get("field"),
            "level": data.get("level"),
            "applicant_type": data.get("applicant") or None,
        }


class OnlineFormBuilder(FormBuilder):
    """Wagtail's form builder for a procedure's "Tờ khai trực tuyến", with the portal's
    date field: a date question an editor adds is typed "20/11/2026", day first, and
    says so (Wagtail's plain ``DateField`` would read "05/11/2026" month first under a
    locale without input formats)."""

    def create_date_field(self, field, options):
        return DateField(**options)
