"""Payment URLs (namespace ``payments``, under /thanh-toan/; the contract fixes ipn and
return)."""

from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("ipn/", views.ipn, name="ipn"),
    path("ket-qua/", views.payment_return, name="return"),
    path("sandbox/", views.sandbox, name="sandbox"),
]
