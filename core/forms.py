"""The date field of every form the portal shows: typed day first, said so, refused
clearly when it cannot be a day."""

import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .formatting import DATE_HINT, DATE_INPUT_FORMATS, format_date, group_thousands, parse_vnd

# Something that looks like a date (day, month, four-digit year) but is not one.
_LOOKS_LIKE_A_DATE = re.compile(r"^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\s*$")


class DateInput(forms.DateInput):
    """A text box, not the browser's date picker: the picker shows its own order by
    the browser's language (month first on the many Vietnamese phones set to English),
    while a text box reads what a Vietnamese user types, "20/11/2026", and the hint
    beside it says so."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "class": "input--date",
            "placeholder": DATE_HINT,
            "inputmode": "numeric",
            "maxlength": 10,
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")

    def format_value(self, value):
        return format_date(value) or None


class DateField(forms.DateField):
    """A day typed "20/11/2026" (or "5/11/2026", "05-11-2026", ISO); never month first.
    "31/02/2026" is refused as a day that does not exist, "11/20/2026" as a date
    written month first."""

    widget = DateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {
        "invalid": _("Ngày không hợp lệ: nhập ngày/tháng/năm, ví dụ 20/11/2026."),
        "impossible": _(
            "Ngày không hợp lệ: không có ngày %(value)s. Nhập ngày trước, tháng sau, "
            "ví dụ 20/11/2026."
        ),
    }

    def __init__(self, **kwargs):
        # The format is said whatever else the help says (an editor's own help text on
        # a question of the online form comes first).
        hint = _("Ngày/tháng/năm, ví dụ 20/11/2026.")
        given = kwargs.get("help_text")
        kwargs["help_text"] = format_lazy("{} {}", given, hint) if given else hint
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            if isinstance(value, str) and _LOOKS_LIKE_A_DATE.match(value):
                raise forms.ValidationError(
                    self.error_messages["impossible"],
                    code="impossible",
                    params={"value": value.strip()},
                ) from None
            raise


class AmountInput(forms.TextInput):
    """An amount shown as it is written, "200.000", in a box that brings up the
    phone's digit keyboard."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "numeric", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return group_thousands(value)
        return super().format_value(value)


class AmountField(forms.IntegerField):
    """Whole đồng typed the Vietnamese way: "50.000", "50000", "1.005.000 đồng"."""

    widget = AmountInput
    default_error_messages = {
        "invalid": _("Số tiền không hợp lệ: nhập số đồng, ví dụ 50.000."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        amount = parse_vnd(value)
        if amount is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount

    def widget_attrs(self, widget):
        # Not IntegerField's type="number" attributes: the box holds "200.000".
        return forms.Field.widget_attrs(self, widget)
