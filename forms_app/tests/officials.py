"""Building the back office for tests: officials of an agency, and dossiers citizens
submitted to it (through the same services as the wizard)."""

from types import SimpleNamespace

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import UserFactory
from forms_app import services
from forms_app.constants import ResultDelivery
from forms_app.models import OfficialGroup
from forms_app.selectors import draft_for
from forms_app.submission.uploads import clean_upload
from procedures.tests.factories import make_agency, make_procedure

from .wizard import APPLICANT

# The legal time limit of the procedure in ``build_world``, in working days.
DAYS = 15

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_official(agency, email, full_name="Trần Thị Cán Bộ", include_subordinates=False):
    """A staff user in the agency's officials group ("<agency> – Cán bộ", linked to the
    agency by an ``OfficialGroup`` and allowed into the Wagtail admin)."""
    user = UserFactory(email=email, full_name=full_name, verified=True, is_staff=True)
    group, _created = Group.objects.get_or_create(name=f"{agency.title} – Cán bộ")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    OfficialGroup.objects.get_or_create(
        agency=agency, group=group, defaults={"include_subordinates": include_subordinates}
    )
    user.groups.add(group)
    return user


def cleaned_pdf(name="to-khai.pdf"):
    """A PDF as the upload checks pass it on to the services."""
    return clean_upload(
        SimpleUploadedFile(name, PDF_BYTES, "application/pdf"),
        accepted_types=["pdf"],
        max_size=10**6,
    )


def submit(citizen, procedure, result_delivery=ResultDelivery.AT_AGENCY, **applicant):
    """A dossier ``citizen`` submitted online for ``procedure``, one PDF per component:
    a draft saved, its files attached, "Gửi đi". Returns the dossier (status submitted).
    The acknowledgement e-mail waits for a commit that a test's transaction never makes."""
    draft = draft_for(citizen, procedure)
    services.save_draft_state(draft=draft, state={})
    services.attach_files(
        draft=draft,
        uploads=[
            (component, cleaned_pdf(f"giay-to-{component.pk}.pdf"))
            for component in procedure.dossier_components.all()
        ],
    )
    dossier, _created = services.submit_dossier(
        draft=draft,
        agency=draft.agency,
        applicant_data={**APPLICANT, "email": citizen.email, **applicant},
        form_data={},
        result_delivery=result_delivery,
        delivery_address="Số 1 Lê Lợi, Thanh Hóa" if result_delivery == "postal" else "",
        actor=citizen,
    )
    return dossier


def build_world():
    """Two agencies, a procedure of the first, its officials and one outsider, two
    citizens, and a dossier the first citizen has just submitted."""
    stp = make_agency()
    skhdt = make_agency("SKHDT", "Sở Kế hoạch và Đầu tư")
    procedure = make_procedure(stp, components=2, processing_time_days=DAYS)
    citizen = UserFactory(email="an@example.vn", verified=True)
    return SimpleNamespace(
        stp=stp,
        skhdt=skhdt,
        procedure=procedure,
        official=make_official(stp, "can.bo.stp@example.vn", "Trần Thị Bình"),
        colleague=make_official(stp, "can.bo2.stp@example.vn", "Lê Văn Cường"),
        outsider=make_official(skhdt, "can.bo.skhdt@example.vn", "Phạm Thị Dung"),
        citizen=citizen,
        other_citizen=UserFactory(email="nguoi.khac@example.vn", verified=True),
        dossier=submit(citizen, procedure),
    )
