"""Online submission URLs (namespace ``dossiers``, names fixed by the contract)."""

from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("nop-ho-so/<int:page_id>/", views.start, name="start"),
    path("tra-cuu-ho-so/", views.lookup, name="lookup"),
    path("ho-so/", views.dossier_list, name="list"),
    path("ho-so/<str:code>/", views.dossier_detail, name="detail"),
    path("ho-so/<str:code>/tep/<int:file_id>/", views.dossier_file, name="file"),
]
