"""Account pages of the portal's own, mounted under /tai-khoan/ beside allauth's (and
before them: a name given here replaces allauth's view of that name)."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("thong-tin/", views.ProfileView.as_view(), name="account_profile"),
    # allauth's own pattern, so that the links already mailed keep working.
    re_path(
        r"^confirm-email/(?P<key>[-:\w]+)/$",
        views.ConfirmEmailView.as_view(),
        name="account_confirm_email",
    ),
]
