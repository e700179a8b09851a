"""The citizen's own account pages (allauth serves the rest under /tai-khoan/)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import UpdateView

from .forms import ProfileForm
from .selectors import has_verified_email


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
