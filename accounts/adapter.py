"""How allauth behaves on this portal: Vietnamese messages, citizen fields at sign-up,
the brute-force rule, and e-mail verification required at sign-up but not at login."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import punycode
from django.utils.translation import gettext_lazy as _

from . import challenge
from .models import EMAIL_MAX_LENGTH, User

_ALLAUTH_EMAIL_STAGE = "allauth.account.stages.EmailVerificationStage"
_SIGNUP_EMAIL_STAGE = "accounts.stages.SignupEmailVerificationStage"


class AccountAdapter(DefaultAccountAdapter):
    # allauth's other messages are translated in locale/vi; this one says more.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Đăng nhập sai quá nhiều lần nên tạm thời bị khóa. Vui lòng thử lại sau "
            "15 phút, hoặc dùng “Quên mật khẩu?” để đặt lại mật khẩu."
        ),
    }

    # Sign-up -----------------------------------------------------------------------------
    def clean_email(self, email):
        """Refuse addresses longer than the database column, at the field.

        allauth's form accepts the 320 characters RFC 5321 allows, its table and ours store
        254 (the most that fits in a forward path); longer would fail on PostgreSQL with a
        500 instead of a message.
        """
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError(
                _("Địa chỉ email quá dài (tối đa %(max)s ký tự)."),
                code="email_too_long",
                params={"max": EMAIL_MAX_LENGTH},
            )
        try:
            # Django's validator accepts domains that cannot be written in ASCII (IDNA);
            # sending the activation mail to one would fail with a 500 after the account
            # was saved.
            punycode(email.rpartition("@")[2])
        except UnicodeError as error:
            raise ValidationError(_("Nhập một địa chỉ email hợp lệ."), code="invalid") from error
        return super().clean_email(email)

    def confirm_email(self, request, email_address):
        """Refuse an address that another account still holds, atomically.

        Someone may have signed up with a citizen's address and never activated it; the
        citizen may then add that address here. Confirming it would break the unique
        e-mail of accounts half-way. The citizen takes the other account over with
        "Quên mật khẩu?" instead (a reset proves the mailbox and verifies it).
        """
        taken = (
            User.objects.filter(email__iexact=email_address.email)
            .exclude(pk=email_address.user_id)
            .exists()
        )
        if taken:
            messages.error(
                request,
                _(
                    "Địa chỉ email này đang thuộc một tài khoản khác chưa kích hoạt. Nếu đó là "
                    "email của bạn, hãy dùng “Quên mật khẩu?” để lấy lại tài khoản ấy."
                ),
            )
            return False
        with transaction.atomic():
            return super().confirm_email(request, email_address)

    def save_user(self, request, user, form, commit=True):
        """Copy the citizen fields of the sign-up form before allauth's single save."""
        data = form.cleaned_data
        user.full_name = data["full_name"]
        user.cccd = data["cccd"]
        user.phone = data["phone"]
        return super().save_user(request, user, form, commit=commit)

    def get_login_stages(self):
        return [
            _SIGNUP_EMAIL_STAGE if stage == _ALLAUTH_EMAIL_STAGE else stage
            for stage in super().get_login_stages()
        ]

    # Brute force (README.md, "Brute-force protection") ------------------------------------
    def _login_failure_limits(self, request, credentials):
        """The two counters of failed logins that refuse: (rate-limit action, key).

        Both are about an account. Per address alone failures never refuse (a carrier's
        shared address is thousands of citizens): they make the login form ask for a
        proof of work instead (``accounts.challenge``, checked by ``forms.LoginForm``).
        """
        account = (credentials.get("email") or "").strip().lower()
        address = self.get_client_ip(request)
        return [
            ("login_failed_account_address", f"{account}|{address}"),
            ("login_failed_account", account),
        ]

    def pre_authenticate(self, request, **credentials):
        """Refuse to even check the password while any counter is full."""
        for action, key in self._login_failure_limits(request, credentials):
            if not ratelimit.consume(request, action=action, key=key, dry_run=True):
                raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials):
        """Count a failure on each counter, and for the address; successes count nowhere."""
        for action, key in self._login_failure_limits(request, credentials):
            ratelimit.consume(request, action=action, key=key)
        challenge.record_failure(request)
