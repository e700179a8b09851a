"""Account pages of the portal's own, mounted under /tai-khoan/ beside allauth's."""

from django.urls import path

from . import views

urlpatterns = [
    path("thong-tin/", views.ProfileView.as_view(), name="account_profile"),
]
