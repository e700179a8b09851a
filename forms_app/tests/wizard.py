"""Walking the submission wizard through the test client, the way a browser posts it."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from procedures.models import ProcedureFormField

PREFIX = "submission_wizard"  # formtools' management-form prefix for SubmissionWizard

APPLICANT = {
    "full_name": "Nguyễn Văn An",
    "date_of_birth": "1990-01-02",
    "cccd": "001090000001",
    "phone": "0912345678",
    "email": "an@example.vn",
    "address": "Số 1 Lê Lợi, Phường Bến Nghé",
    "applicant_type": "citizen",
}


def step_url(procedure, step):
    return reverse("dossiers:step", kwargs={"page_id": procedure.pk, "step": step})


def post_step(client, procedure, step, data=None, follow=False, **extra):
    """POST one step: its fields under the step's prefix, and formtools' management form."""
    payload = {f"{PREFIX}-current_step": step}
    payload.update({f"{step}-{name}": value for name, value in (data or {}).items()})
    payload.update(extra)
    return client.post(step_url(procedure, step), payload, follow=follow)


def pdf(name="to-khai.pdf"):
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )


def png(name="anh.png", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def add_form_fields(procedure):
    """Two questions an editor built with the form builder, then republished."""
    procedure.form_fields = [
        ProcedureFormField(
            label="Họ tên người được khai sinh", field_type="singleline", required=True
        ),
        ProcedureFormField(
            label="Nơi sinh", field_type="dropdown", choices="Bệnh viện\nTại nhà", required=True
        ),
    ]
    procedure.save_revision().publish()
    return procedure


def submit_all(client, procedure, files_per_component=1):
    """Every step filled in correctly, ending with "Gửi đi"; returns the last response."""
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    if procedure.form_fields.exists():
        post_step(
            client,
            procedure,
            "to-khai",
            {"ho_ten_nguoi_duoc_khai_sinh": "Nguyễn Văn Bé", "noi_sinh": "Bệnh viện"},
        )
    files = {
        f"component_{component.pk}": [
            pdf(f"giay-to-{component.pk}-{n}.pdf") for n in range(files_per_component)
        ]
        for component in procedure.dossier_components.all()
    }
    post_step(client, procedure, "thanh-phan-ho-so", files)
    post_step(client, procedure, "nhan-ket-qua", {"result_delivery": "at_agency"})
    return post_step(client, procedure, "xac-nhan", {"declaration": "on"})
