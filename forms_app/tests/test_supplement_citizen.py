""" "Yêu cầu bổ sung" from the citizen's side: the request on the dossier page, the
form that answers exactly what was asked, files replaced but kept, the clock resumed;
bad input, strangers and repeats change nothing. The public lookup says only that
the dossier waits for the applicant."""

import datetime
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.tests.access import assert_only_the_owner_reaches
from forms_app import services
from forms_app.constants import DossierStatus
from forms_app.models import Dossier, DossierFile, OfficialGroup
from forms_app.submission.supplement_forms import PREFIX
from procedures.tests.factories import make_agency, make_procedure

from .wizard import add_form_fields, pdf, png, submit_all

pytestmark = pytest.mark.django_db

COMPONENT_GUIDANCE = "Bản chụp giấy chứng sinh bị mờ, vui lòng chụp lại rõ nét cả hai mặt."
FIELD_GUIDANCE = "Nơi sinh phải ghi đúng như trên giấy chứng sinh."
NOTE = "Hồ sơ cần bổ sung trước khi giải quyết."


@pytest.fixture
def agency():
    return make_agency()


@pytest.fixture
def procedure(agency):
    return add_form_fields(make_procedure(agency, components=2))


@pytest.fixture
def citizen(client):
    user = UserFactory(email="an@example.vn", full_name="Nguyễn Văn An", verified=True)
    client.force_login(user)
    return user


@pytest.fixture
def official(agency):
    user = UserFactory(email="can.bo@example.vn", full_name="Trần Thị Bình", is_staff=True)
    group = Group.objects.create(name="Cán bộ Sở Tư pháp")
    user.groups.add(group)
    OfficialGroup.objects.create(agency=agency, group=group)
    return user


@pytest.fixture
def components(procedure):
    return list(procedure.dossier_components.all())


@pytest.fixture
def dossier(client, citizen, official, procedure, components):
    """Submitted through the wizard, received, assigned, then sent back for one file
    and one answer."""
    submit_all(client, procedure)
    dossier = Dossier.objects.get(applicant=citizen)
    dossier = services.receive_dossier(dossier=dossier, actor=official)
    dossier = services.start_processing(dossier=dossier, actor=official, assignee=official)
    return services.request_supplement(
        dossier=dossier,
        actor=official,
        items=[
            {"component_id": components[0].pk, "guidance": COMPONENT_GUIDANCE},
            {"field_name": "noi_sinh", "guidance": FIELD_GUIDANCE},
        ],
        note=NOTE,
        reply_by=timezone.localdate() + datetime.timedelta(days=10),
    )


def detail_url(dossier):
    return reverse("dossiers:detail", args=[dossier.code])


def supplement_url(dossier):
    return reverse("dossiers:supplement", args=[dossier.code])


def component_key(component):
    return f"{PREFIX}-component_{component.pk}"


FIELD_KEY = f"{PREFIX}-field_noi_sinh"


def post(client, dossier, data, **kwargs):
    return client.post(supplement_url(dossier), data, **kwargs)


def state(dossier):
    """What a refused POST must leave exactly as it was."""
    dossier.refresh_from_db()
    return (
        dossier.status,
        dossier.form_data,
        dossier.due_at,
        dossier.days_left_when_paused,
        sorted(DossierFile.objects.filter(dossier=dossier).values_list("pk", "replaced_at")),
        dossier.supplement_requests.filter(answered_at__isnull=True).count(),
    )


def executable(name="giay-chung-sinh.pdf"):
    return SimpleUploadedFile(
        name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "application/pdf"
    )


def test_the_detail_shows_the_request_and_one_input_per_item(client, dossier, components):
    html = client.get(detail_url(dossier)).content.decode()
    assert 'role="region"' in html
    assert "Yêu cầu bổ sung hồ sơ" in html
    reply_by = timezone.localdate() + datetime.timedelta(days=10)
    assert f"Hạn bổ sung: {reply_by:%d/%m/%Y}" in html
    assert NOTE in html
    assert COMPONENT_GUIDANCE in html
    assert FIELD_GUIDANCE in html
    assert components[0].name in html
    assert "Nơi sinh" in html
    # Exactly one upload area (the requested component) and one requested field,
    # pre-filled with the current answer.
    assert html.count('type="file"') == 1
    assert f'name="{component_key(components[0])}"' in html
    assert f'name="{component_key(components[1])}"' not in html
    assert f'name="{FIELD_KEY}"' in html
    assert 'value="Bệnh viện" selected' in html
    assert f'name="{PREFIX}-field_ho_ten_nguoi_duoc_khai_sinh"' not in html
    assert "Gửi bổ sung" in html
    # The paused clock is explained instead of showing a stale date.
    assert "Tạm dừng trong thời gian bổ sung hồ sơ" in html


def test_a_supplement_replaces_the_file_updates_the_answer_and_resumes_the_clock(
    client, citizen, dossier, components
):
    old_file = DossierFile.objects.get(dossier=dossier, component_id=components[0].pk)
    untouched = DossierFile.objects.get(dossier=dossier, component_id=components[1].pk)
    paused_due = dossier.due_at
    later = timezone.now() + datetime.timedelta(days=7)  # the citizen answers a week later

    with mock.patch("django.utils.timezone.now", return_value=later):
        response = post(
            client,
            dossier,
            {component_key(components[0]): pdf("giay-chung-sinh-moi.pdf"), FIELD_KEY: "Tại nhà"},
        )

    assert response.status_code == 302
    assert response.url == detail_url(dossier)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENTED
    assert dossier.form_data["noi_sinh"] == "Tại nhà"
    assert dossier.form_data["ho_ten_nguoi_duoc_khai_sinh"] == "Nguyễn Văn Bé"
    assert dossier.days_left_when_paused is None
    assert dossier.due_at > paused_due
    assert dossier.history.filter(status=DossierStatus.SUPPLEMENTED, history_user=citizen).exists()

    old_file.refresh_from_db()
    untouched.refresh_from_db()
    assert old_file.replaced_at is not None
    assert untouched.replaced_at is None
    new_file = DossierFile.objects.get(dossier=dossier, original_name="giay-chung-sinh-moi.pdf")
    assert new_file.supplement == dossier.supplement_requests.get()
    assert new_file.component_id == components[0].pk
    assert dossier.supplement_requests.get().answered_at is not None

    page = client.get(detail_url(dossier))
    html = page.content.decode()
    assert "Đã gửi bổ sung hồ sơ" in html
    assert "Yêu cầu bổ sung hồ sơ" not in html  # no open request any more
    assert old_file.original_name in html
    assert f"Đã thay thế ngày {timezone.localtime(later):%d/%m/%Y}" in html
    assert f"Bổ sung ngày {timezone.localtime(later):%d/%m/%Y}" in html
    for attachment in (old_file, new_file):
        download = client.get(reverse("dossiers:file", args=[dossier.code, attachment.pk]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_missing_file_is_asked_for_and_nothing_changes(client, dossier, components):
    before = state(dossier)
    response = post(client, dossier, {FIELD_KEY: "Tại nhà"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Vui lòng đính kèm tệp mới cho “{components[0].name}”." in html
    # The message is read out with its input, as is the agency's guidance.
    soup = BeautifulSoup(html, "html.parser")
    upload = soup.find("input", attrs={"type": "file"})
    described_by = upload["aria-describedby"].split()
    assert f"{upload['id']}_error" in described_by
    assert COMPONENT_GUIDANCE in soup.find(id=f"{upload['id']}_helptext").get_text()
    assert "Vui lòng đính kèm tệp mới" in soup.find(id=f"{upload['id']}_error").get_text()
    assert state(dossier) == before


def test_a_component_that_was_not_asked_for_is_refused(client, dossier, components):
    before = state(dossier)
    response = post(
        client,
        dossier,
        {
            component_key(components[0]): pdf("moi.pdf"),
            component_key(components[1]): pdf("khong-duoc-yeu-cau.pdf"),
            FIELD_KEY: "Tại nhà",
        },
    )
    assert response.status_code == 200
    assert "có nội dung cơ quan không yêu cầu bổ sung" in response.content.decode()
    assert state(dossier) == before


def test_a_field_that_was_not_asked_for_is_refused(client, dossier, components):
    before = state(dossier)
    response = post(
        client,
        dossier,
        {
            component_key(components[0]): pdf("moi.pdf"),
            FIELD_KEY: "Tại nhà",
            f"{PREFIX}-field_ho_ten_nguoi_duoc_khai_sinh": "Tên khác",
        },
    )
    assert response.status_code == 200
    assert "có nội dung cơ quan không yêu cầu bổ sung" in response.content.decode()
    assert state(dossier) == before


def test_an_executable_renamed_pdf_is_refused_by_its_bytes(client, dossier, components):
    before = state(dossier)
    response = post(
        client, dossier, {component_key(components[0]): executable(), FIELD_KEY: "Tại nhà"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tệp “giay-chung-sinh.pdf” không phải là" in html
    assert "loại tệp được xác định theo nội dung tệp" in html
    assert state(dossier) == before


def test_a_file_too_large_for_the_component_is_refused(client, dossier, components, settings):
    settings.DOSSIER_MAX_FILE_SIZE = 20
    before = state(dossier)
    response = post(
        client, dossier, {component_key(components[0]): pdf("lon.pdf"), FIELD_KEY: "Tại nhà"}
    )
    assert response.status_code == 200
    assert "Tệp “lon.pdf” lớn hơn" in response.content.decode()
    assert state(dossier) == before


def test_an_answer_outside_the_choices_is_refused(client, dossier, components):
    before = state(dossier)
    response = post(
        client, dossier, {component_key(components[0]): pdf("moi.pdf"), FIELD_KEY: "Trên trời"}
    )
    assert response.status_code == 200
    assert state(dossier) == before


def test_another_citizen_gets_404_and_nothing_changes(client, citizen, dossier, components):
    other = UserFactory(email="nguoi.khac@example.vn", verified=True)
    assert_only_the_owner_reaches(
        client, "get", detail_url(dossier), owner=citizen, others=[other]
    )
    before = state(dossier)
    assert_only_the_owner_reaches(
        client,
        "post",
        supplement_url(dossier),
        owner=citizen,
        others=[other],
        location=detail_url(dossier),
        data=lambda: {component_key(components[0]): pdf("la.pdf"), FIELD_KEY: "Tại nhà"},
        unchanged=lambda: state(dossier),
    )
    assert state(dossier) != before  # the owner's answer was taken


def test_posting_twice_is_told_and_stores_nothing_more(client, dossier, components):
    def data():
        return {component_key(components[0]): pdf("moi.pdf"), FIELD_KEY: "Tại nhà"}

    assert post(client, dossier, data()).status_code == 302
    files = DossierFile.objects.filter(dossier=dossier).count()
    after_first = state(dossier)

    response = post(client, dossier, data(), follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "không có yêu cầu bổ sung nào đang chờ" in html
    assert "Không có thay đổi nào được lưu." in html
    assert DossierFile.objects.filter(dossier=dossier).count() == files
    assert state(dossier) == after_first


def test_a_get_is_not_allowed(client, dossier):
    assert client.get(supplement_url(dossier)).status_code == 405


def test_the_service_refusal_shows_as_a_message(client, dossier, components):
    """Whatever the service refuses after the form is valid (here: the request answered
    meanwhile, as from a second tab) is a message, and nothing changes."""
    before = state(dossier)
    refusal = ValidationError("Hồ sơ không có yêu cầu bổ sung nào đang chờ.")
    with mock.patch.object(services, "submit_supplement", side_effect=refusal):
        response = post(
            client,
            dossier,
            {component_key(components[0]): pdf("moi.pdf"), FIELD_KEY: "Tại nhà"},
            follow=True,
        )
    assert response.status_code == 200
    assert "Hồ sơ không có yêu cầu bổ sung nào đang chờ." in response.content.decode()
    assert state(dossier) == before


def test_the_lookup_says_the_dossier_waits_for_the_applicant_only(client, dossier):
    client.logout()  # anyone with the code and key, not the signed-in owner
    response = client.get(
        reverse("dossiers:lookup"), {"code": dossier.code, "key": dossier.lookup_key}
    )
    html = response.content.decode()
    assert "Hồ sơ đang chờ người nộp bổ sung" in html
    assert "Yêu cầu bổ sung" in html  # the status
    assert "Nguyễn V** A*" in html
    for detail in (COMPONENT_GUIDANCE, FIELD_GUIDANCE, NOTE, "Nguyễn Văn An"):
        assert detail not in html


def test_a_component_removed_from_the_page_since_still_takes_files(
    client, dossier, procedure, components
):
    """The editors removed the requested component after submission: the upload area
    stays, with the portal's default types and size."""
    procedure.dossier_components = [components[1]]
    procedure.save_revision().publish()
    html = client.get(detail_url(dossier)).content.decode()
    assert html.count('type="file"') == 1
    assert 'accept=".pdf,.jpg,.jpeg,.png,.doc,.docx"' in html
    response = post(
        client, dossier, {component_key(components[0]): png("anh-moi.png"), FIELD_KEY: "Tại nhà"}
    )
    assert response.status_code == 302
    new_file = DossierFile.objects.get(dossier=dossier, original_name="anh-moi.png")
    assert new_file.component_id == components[0].pk
    assert new_file.component_name == components[0].name
