"""Forms citizens fill in: sign-up and login (through allauth) and their profile."""

import datetime

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, DateInput

from . import challenge
from .constants import Gender
from .models import User
from .validators import normalize_phone, validate_cccd


class PhoneNumberField(forms.CharField):
    """A Vietnamese mobile number, written any usual way, cleaned to ``+84…``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Số điện thoại di động"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_phone(value) if value else value

    def prepare_value(self, value):
        # Show a stored "+84912345678" the way people write it: "0912345678".
        if isinstance(value, str) and value.startswith("+84"):
            return "0" + value[3:]
        return value


class CCCDField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Số CCCD"))
        kwargs.setdefault("help_text", _("Số căn cước công dân gồm 12 chữ số."))
        kwargs.setdefault("min_length", 12)
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("validators", [validate_cccd])
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        # People copy numbers with spaces in them: "001 090 012 345".
        return "".join(super().to_python(value).split())


class FullNameField(forms.CharField):
    """A full name as people write it ("Nguyễn Văn An"), stray spaces removed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Họ và tên"))
        kwargs.setdefault("max_length", 150)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "name"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return " ".join(super().to_python(value).split())


class CitizenSignupForm(SignupForm):
    """allauth's sign-up form, with what a citizen gives the portal at registration."""

    full_name = FullNameField()
    cccd = CCCDField()
    phone = PhoneNumberField()

    required_css_class = "required"
    field_order = ["full_name", "email", "password1", "password2", "cccd", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        for field in self.fields.values():
            # Labels are visible; placeholders repeating them only clutter a phone screen.
            field.widget.attrs.pop("placeholder", None)

    def clean(self):
        """Check the password against the citizen's own data as well.

        allauth validates it against a user holding only the e-mail; a password made of
        one's name, CCCD or phone number is as guessable.
        """
        cleaned_data = super().clean()
        password = cleaned_data.get("password1")
        if password and "password1" not in self.errors:
            applicant = User(
                email=cleaned_data.get("email") or "",
                full_name=cleaned_data.get("full_name") or "",
                cccd=cleaned_data.get("cccd") or "",
                phone=cleaned_data.get("phone") or "",
            )
            try:
                validate_password(password, applicant)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned_data

    def try_save(self, request):
        """Hash the password even when the address already has an account.

        With ``ACCOUNT_PREVENT_ENUMERATION`` allauth answers a taken address with the same
        page and mails its owner instead of creating an account, but only a new account
        has its password hashed: the answer came back in 0.06 s instead of 0.35 s, which
        told whether an address had an account. Hashing the submitted password once (and
        throwing the hash away) makes both paths do the same expensive work, as Django's
        ``ModelBackend.authenticate`` does for unknown users (django/contrib/auth/
        backends.py, ticket #20760).
        """
        if self.account_already_exists:
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)


class LoginForm(AllauthLoginForm):
    """allauth's login form, with a proof of work when the address owes one.

    After many failed logins from one address (README.md, "Brute-force protection") the
    form served there carries a challenge (``accounts.challenge``) that the browser solves
    before sending it; the solution is checked before the password, so a login without
    one is refused without counting as a failure of the account it names.
    """

    @cached_property
    def login_challenge(self):
        """The challenge to render with this form (a fresh one each time it is shown), or
        None when the address owes none."""
        return challenge.issue(self.request)

    def clean(self):
        if not self.errors and challenge.is_required(self.request):
            challenge.redeem(
                self.data.get(challenge.CHALLENGE_FIELD, ""),
                self.data.get(challenge.PROOF_FIELD, ""),
            )
        return super().clean()


class ProfileForm(forms.ModelForm):
    """The citizen's own data, used later to pre-fill "Tiếp nhận hồ sơ"."""

    required_css_class = "required"

    full_name = FullNameField()
    cccd = CCCDField(required=False)
    phone = PhoneNumberField(required=False)
    date_of_birth = DateField(
        label=_("Ngày sinh"), required=False, widget=DateInput(attrs={"autocomplete": "bday"})
    )

    class Meta:
        model = User
        fields = ["full_name", "date_of_birth", "gender", "cccd", "phone", "permanent_address"]
        widgets = {
            "gender": forms.RadioSelect,
            "permanent_address": forms.TextInput(attrs={"autocomplete": "street-address"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = [("", _("Không khai")), *Gender.choices]

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born and not (datetime.date(1900, 1, 1) <= born <= timezone.localdate()):
            raise forms.ValidationError(
                _("Ngày sinh phải nằm trong khoảng từ 01/01/1900 đến hôm nay."),
                code="date_of_birth_range",
            )
        return born
