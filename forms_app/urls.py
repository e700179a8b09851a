"""Online submission URLs (namespace ``dossiers``; the contract fixes start, lookup,
list and detail)."""

from django.urls import path

from . import views
from .submission.wizard import SubmissionWizard

app_name = "dossiers"

wizard = SubmissionWizard.as_view(url_name="dossiers:step")

urlpatterns = [
    path("nop-ho-so/", views.choose_agency, name="choose_agency"),
    path("nop-ho-so/co-quan/<int:agency_id>/", views.agency_procedures, name="agency_procedures"),
    path("nop-ho-so/<int:page_id>/", wizard, name="start"),
    path("nop-ho-so/<int:page_id>/<slug:step>/", wizard, name="step"),
    path(
        "nop-ho-so/<int:page_id>/tep/<int:file_id>/xoa/",
        views.remove_draft_file,
        name="remove_draft_file",
    ),
    path("tra-cuu-ho-so/", views.lookup, name="lookup"),
    path("ho-so/", views.dossier_list, name="list"),
    path("ho-so/<str:code>/", views.dossier_detail, name="detail"),
    path("ho-so/<str:code>/phieu-xac-nhan.pdf", views.acknowledgement, name="acknowledgement"),
    path("ho-so/<str:code>/rut-ho-so/", views.withdraw, name="withdraw"),
    path("ho-so/<str:code>/bo-sung/", views.supplement, name="supplement"),
    path("ho-so/<str:code>/tep/<int:file_id>/", views.dossier_file, name="file"),
    path("ho-so/<str:code>/thanh-toan/", views.pay, name="pay"),
    path("ho-so/<str:code>/bien-lai/<str:reference>.pdf", views.receipt, name="receipt"),
    path("ho-so/<str:code>/ket-qua/", views.result, name="result"),
]
