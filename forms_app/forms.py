"""Forms of the citizen-facing dossier pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class LookupForm(forms.Form):
    """ "Tra cứu hồ sơ": the code on the acknowledgement and its lookup key."""

    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=50,
        help_text=_("Ví dụ: STP-261130-0001"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    key = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=16,
        help_text=_("In trên phiếu xác nhận nộp hồ sơ và trong email gửi bạn."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
