"""The citizen's own account pages (allauth serves the rest under /tai-khoan/)."""

from allauth.account.views import ConfirmEmailView as AllauthConfirmEmailView
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import UpdateView

from .forms import ProfileForm
from .selectors import has_verified_email, is_confirmed_by_link


class ProfileView(LoginRequiredMixin, UpdateView):
    """Edit one's own profile. The object is always the requesting user: there is no id
    in the URL, so nobody can reach another person's profile."""

    form_class = ProfileForm
    template_name = "accounts/profile.html"
    success_url = reverse_lazy("account_profile")

    def get_object(self, queryset=None):
        return self.request.user

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["email_verified"] = has_verified_email(self.request.user)
        return context

    def form_valid(self, form):
        messages.success(self.request, _("Đã lưu thông tin cá nhân."))
        return super().form_valid(form)


class ConfirmEmailView(AllauthConfirmEmailView):
    """allauth's activation page, which also tells a used link from a bad one.

    Opened again after use (a second click in the mail, the browser's history), the link
    used to get "invalid, used or expired" as if it were forged; now it says that the
    address is already confirmed and offers the next step: logging in, or the profile for
    someone already logged in (``account/email_confirm.html``).
    """

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["already_confirmed"] = self.object is None and is_confirmed_by_link(
            self.kwargs["key"]
        )
        return context
