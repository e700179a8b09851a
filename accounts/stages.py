"""Login stages that differ from allauth's defaults."""

from allauth.account.stages import EmailVerificationStage
from django.contrib import messages
from django.utils.translation import gettext as _

from .selectors import has_verified_email


class SignupEmailVerificationStage(EmailVerificationStage):
    """Verification is mandatory at sign-up, optional at login.

    At sign-up this sends the activation link and answers "check your mailbox", the same
    answer whether the address was new or already registered (no account enumeration).
    At login an unverified citizen gets in, is reminded to activate, and cannot submit
    dossiers until then (``accounts.selectors.can_submit_dossiers``).
    """

    def handle(self):
        if self.login.signup:
            return super().handle()
        user = self.login.user
        if user is not None and not has_verified_email(user):
            messages.warning(
                self.request,
                _(
                    "Email của bạn chưa được xác thực. Hãy bấm vào đường dẫn kích hoạt "
                    "trong thư chúng tôi đã gửi; trước đó bạn chưa thể nộp hồ sơ trực tuyến."
                ),
            )
        return None, True
