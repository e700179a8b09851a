"""Dates typed and read the Vietnamese way, day first, from the wizard to the admin.

"20/11/2026" used to be refused on the "Thông tin tờ khai" step of "Đăng ký khai sinh",
"05/11/2026" stored as 11 May and "12/05/1990" as 5 December: Django's ``vi`` locale has
no input formats, so it read them month first. A birth certificate issued from such a
record is wrong.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from accounts.tests.factories import UserFactory
from forms_app.models import Dossier
from forms_app.tests.officials import make_official
from procedures.models import LegalBasis, ProcedureFormField
from procedures.tests.admin_forms import get_form_data
from procedures.tests.factories import make_agency, make_procedure

from .wizard import APPLICANT, pdf, post_step, step_url

pytestmark = pytest.mark.django_db

BORN = "ngay_sinh_cua_tre"


@pytest.fixture
def procedure():
    """ "Đăng ký khai sinh" with the date question its editors built."""
    page = make_procedure(make_agency(), title="Đăng ký khai sinh", components=1)
    page.form_fields = [
        ProcedureFormField(label="Ngày sinh của trẻ", field_type="date", required=True),
    ]
    page.save_revision().publish()
    return page


@pytest.fixture
def citizen(client):
    user = UserFactory(email="an@example.vn", full_name="Nguyễn Văn An", verified=True)
    client.force_login(user)
    return user


def fill_applicant(client, procedure, **changes):
    post_step(client, procedure, "tiep-nhan-ho-so", {**APPLICANT, **changes})


def field_errors(response, name):
    soup = BeautifulSoup(response.content, "html.parser")
    field = soup.find(attrs={"name": name})
    assert field is not None, name
    described = field.get("aria-describedby", "")
    return " ".join(
        soup.find(id=ref).get_text(" ", strip=True)
        for ref in described.split()
        if soup.find(id=ref)
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("20/11/2026", "2026-11-20"),
        ("05/11/2026", "2026-11-05"),
        ("5/11/2026", "2026-11-05"),
        ("05-11-2026", "2026-11-05"),
        ("12/05/1990", "1990-05-12"),
        ("2026-11-20", "2026-11-20"),
    ],
)
def test_a_date_question_reads_the_day_first(client, citizen, procedure, typed, stored):
    fill_applicant(client, procedure)
    response = post_step(client, procedure, "to-khai", {BORN: typed})

    assert response.status_code == 302, field_errors(response, f"to-khai-{BORN}")
    submit_all_after_questions(client, procedure)
    dossier = Dossier.objects.get(applicant=citizen)
    assert dossier.form_data[BORN] == stored


def submit_all_after_questions(client, procedure):
    """The steps after the questions: a file per component, the result at the agency,
    the declaration and "Gửi đi"."""
    files = {
        f"component_{component.pk}": [pdf()] for component in procedure.dossier_components.all()
    }
    post_step(client, procedure, "thanh-phan-ho-so", files)
    post_step(client, procedure, "nhan-ket-qua", {"result_delivery": "at_agency"})
    post_step(client, procedure, "xac-nhan", {"declaration": "on"})


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2026", "không có ngày 31/02/2026"),
        ("11/20/2026", "không có ngày 11/20/2026"),
        ("20/11/26", "nhập ngày/tháng/năm, ví dụ 20/11/2026"),
        ("hôm qua", "nhập ngày/tháng/năm, ví dụ 20/11/2026"),
    ],
)
def test_an_impossible_or_month_first_date_is_refused_at_its_field(
    client, citizen, procedure, typed, message
):
    fill_applicant(client, procedure)
    response = post_step(client, procedure, "to-khai", {BORN: typed})

    assert response.status_code == 200
    assert message in field_errors(response, f"to-khai-{BORN}")
    assert not Dossier.objects.exclude(status="draft").exists()


def test_the_date_field_says_its_format_and_keeps_what_was_typed(client, citizen, procedure):
    fill_applicant(client, procedure)
    post_step(client, procedure, "to-khai", {BORN: "5/11/2026"})

    page = BeautifulSoup(client.get(step_url(procedure, "to-khai")).content, "html.parser")
    box = page.find("input", attrs={"name": f"to-khai-{BORN}"})
    assert box["type"] == "text" and box["placeholder"] == "dd/mm/yyyy"
    assert box["value"] == "5/11/2026"
    assert "ví dụ 20/11/2026" in field_errors_or_help(page, box)


def field_errors_or_help(page, box):
    return " ".join(
        page.find(id=ref).get_text(" ", strip=True)
        for ref in box.get("aria-describedby", "").split()
        if page.find(id=ref)
    )


def test_answers_and_birth_dates_are_shown_day_first_to_the_citizen_and_the_official(
    client, citizen, procedure
):
    fill_applicant(client, procedure, date_of_birth="20/08/1995")
    post_step(client, procedure, "to-khai", {BORN: "20/11/2026"})

    review = client.get(step_url(procedure, "xac-nhan")).content.decode()
    assert "20/11/2026" in review and "20/08/1995" in review
    submit_all_after_questions(client, procedure)
    dossier = Dossier.objects.get(applicant=citizen)
    assert dossier.applicant_data["date_of_birth"] == "1995-08-20"

    page = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    assert "20/11/2026" in page and "2026-11-20" not in page

    official = make_official(dossier.agency, "can.bo@example.vn", "Trần Thị Bình")
    client.force_login(official)
    inspect = client.get(
        reverse("forms_app_dossier_modeladmin_inspect", args=[dossier.pk])
    ).content.decode()
    assert "20/11/2026" in inspect and "20/08/1995" in inspect
    assert "1995-08-20" not in inspect and "2026-11-20" not in inspect


def test_the_profile_reads_and_shows_the_birth_date_day_first(client, citizen):
    """12/05/1990 is 12 May: a CCCD issued to someone born that year (090) agrees."""
    response = client.post(
        reverse("account_profile"),
        {
            "full_name": "Nguyễn Văn An",
            "date_of_birth": "12/05/1990",
            "gender": "male",
            "cccd": "001090012345",
            "phone": "0912 345 678",
            "permanent_address": "Số 1 Lê Lợi, phường Bến Nghé",
        },
    )

    citizen.refresh_from_db()
    assert response.status_code == 302
    assert citizen.date_of_birth == datetime.date(1990, 5, 12)
    page = BeautifulSoup(client.get(reverse("account_profile")).content, "html.parser")
    assert page.find("input", attrs={"name": "date_of_birth"})["value"] == "12/05/1990"


def test_the_page_editor_reads_and_shows_issue_dates_day_first(client):
    """Wagtail's date picker in the procedure editor writes dd/mm/yyyy
    (WAGTAIL_DATE_FORMAT), and the form reads it back the same way."""
    procedure = make_procedure(make_agency(), title="Đăng ký khai sinh", components=1)
    procedure.legal_basis = [
        LegalBasis(
            number="60/2014/QH13", title="Luật Hộ tịch", issued_on=datetime.date(2014, 11, 20)
        )
    ]
    procedure.save_revision().publish()
    client.force_login(UserFactory(email="webmaster@example.vn", is_superuser=True, is_staff=True))
    url = reverse("wagtailadmin_pages:edit", args=[procedure.pk])

    data = get_form_data(client, url)
    assert data["legal_basis-0-issued_on"] == "20/11/2014"
    data["legal_basis-0-issued_on"] = "05/11/2014"
    response = client.post(url, {**data, "action-publish": "action-publish"})

    assert response.status_code == 302
    issued = LegalBasis.objects.get(page=procedure).issued_on
    assert issued == datetime.date(2014, 11, 5)
