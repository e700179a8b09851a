"""The online submission wizard through the test client, with real files on disk."""

import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.tests.access import assert_only_the_owner_reaches
from forms_app import services
from forms_app.constants import DossierStatus
from forms_app.models import Dossier, DossierFile
from forms_app.selectors import draft_for
from procedures.tests.factories import make_agency, make_procedure

from .wizard import (
    APPLICANT,
    PREFIX,
    add_form_fields,
    pdf,
    png,
    post_step,
    step_url,
    submit_all,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure():
    return make_procedure(make_agency(), components=2)


@pytest.fixture
def citizen(client):
    user = UserFactory(email="an@example.vn", full_name="Nguyễn Văn An", verified=True)
    client.force_login(user)
    return user


def test_a_citizen_submits_birth_registration_with_two_files(
    client, citizen, procedure, django_capture_on_commit_callbacks
):
    add_form_fields(procedure)

    with django_capture_on_commit_callbacks(execute=True):
        response = submit_all(client, procedure)

    dossier = Dossier.objects.get(applicant=citizen)
    assert response.status_code == 302
    assert response.url == reverse("dossiers:detail", args=[dossier.code])
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.code.startswith("STP-")
    assert dossier.form_data == {
        "ho_ten_nguoi_duoc_khai_sinh": "Nguyễn Văn Bé",
        "noi_sinh": "Bệnh viện",
    }
    assert dossier.applicant_data["cccd"] == APPLICANT["cccd"]
    assert DossierFile.objects.filter(dossier=dossier).count() == 2
    page = client.get(response.url).content.decode()
    assert dossier.code in page
    assert "Họ tên người được khai sinh" in page
    [acknowledgement] = mail.outbox
    assert acknowledgement.to == ["an@example.vn"]
    assert dossier.code in acknowledgement.subject
    assert dossier.lookup_key in acknowledgement.body


def stored_files():
    """Every file in private storage: what a refused step must not leave behind."""
    root = settings.STORAGES["private"]["OPTIONS"]["location"]
    return sorted(str(path) for path in Path(root).rglob("*") if path.is_file())


def components_of(procedure):
    return list(procedure.dossier_components.all())


def test_each_step_shows_its_number_and_the_applicant_is_prefilled(client, citizen, procedure):
    response = client.get(reverse("dossiers:start", args=[procedure.pk]))
    assert response.status_code == 302
    assert response.url == step_url(procedure, "tiep-nhan-ho-so")

    page = client.get(response.url).content.decode()

    assert "Bước 1/4" in page  # no agency choice, no editor-built questions here
    assert 'value="Nguyễn Văn An"' in page
    assert 'value="an@example.vn"' in page


def test_anonymous_visitors_log_in_and_come_back_to_the_same_procedure(client, procedure):
    start = reverse("dossiers:start", args=[procedure.pk])

    response = client.get(start)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={start}"


def test_an_unverified_citizen_is_told_to_verify_first(client, procedure):
    client.force_login(UserFactory(verified=False))

    response = client.get(step_url(procedure, "tiep-nhan-ho-so"))

    assert response.status_code == 403
    assert "Cần xác thực email" in response.content.decode()
    assert not Dossier.objects.exists()


def test_procedures_below_level_3_cannot_be_submitted_online(client, citizen):
    procedure = make_procedure(make_agency(), level=2)
    start = reverse("dossiers:start", args=[procedure.pk])

    assert client.get(start).status_code == 404

    # The control: once the editors raise it to level 3, the same URL starts the wizard.
    procedure.level = 3
    procedure.save_revision().publish()
    response = client.get(start)
    assert response.status_code == 302
    assert response.url == step_url(procedure, "tiep-nhan-ho-so")


def test_going_back_keeps_what_was_entered(client, citizen, procedure):
    post_step(client, procedure, "tiep-nhan-ho-so", {**APPLICANT, "address": "Số 9 Hàng Bài"})
    post_step(
        client,
        procedure,
        "thanh-phan-ho-so",
        wizard_goto_step="tiep-nhan-ho-so",
    )

    page = client.get(step_url(procedure, "tiep-nhan-ho-so")).content.decode()

    assert 'value="Số 9 Hàng Bài"' in page


def test_a_draft_resumes_after_logout_with_its_data_and_files(client, citizen, procedure):
    post_step(client, procedure, "tiep-nhan-ho-so", {**APPLICANT, "address": "Số 9 Hàng Bài"})
    first = components_of(procedure)[0]
    post_step(client, procedure, "thanh-phan-ho-so", {f"component_{first.pk}": pdf("ban-sao.pdf")})
    client.post(reverse("account_logout"))

    client.force_login(citizen)  # another device: a new session
    listing = client.get(reverse("dossiers:list")).content.decode()
    resumed = client.get(reverse("dossiers:start", args=[procedure.pk]))
    page = client.get(resumed.url).content.decode()

    assert "Bản nháp" in listing
    assert resumed.url == step_url(procedure, "thanh-phan-ho-so")
    assert "ban-sao.pdf" in page
    client.get(step_url(procedure, "tiep-nhan-ho-so"))
    assert (
        'value="Số 9 Hàng Bài"'
        in client.get(step_url(procedure, "tiep-nhan-ho-so")).content.decode()
    )


def test_a_double_post_of_gui_di_makes_one_dossier(
    client, citizen, procedure, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = submit_all(client, procedure)
        key = str(Dossier.objects.get().submission_key)
        second = post_step(
            client, procedure, "xac-nhan", {"declaration": "on"}, submission_key=key
        )

    dossier = Dossier.objects.get()
    assert first.url == second.url == reverse("dossiers:detail", args=[dossier.code])
    assert len(mail.outbox) == 1
    assert not Dossier.objects.filter(status=DossierStatus.DRAFT).exists()


def test_a_get_of_the_done_url_never_submits(client, citizen, procedure):
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)

    response = client.get(step_url(procedure, "done"))

    assert response.status_code == 302
    assert Dossier.objects.get().status == DossierStatus.DRAFT


def test_a_missing_required_component_keeps_the_citizen_on_the_step(client, citizen, procedure):
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    first, second = components_of(procedure)

    response = post_step(client, procedure, "thanh-phan-ho-so", {f"component_{first.pk}": pdf()})

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    upload = soup.find("input", attrs={"name": f"thanh-phan-ho-so-component_{second.pk}"})
    message = soup.find(id=upload["aria-describedby"]).get_text(" ", strip=True)
    assert message == f"Vui lòng đính kèm “{second.name}”: đây là thành phần bắt buộc."


@pytest.mark.parametrize(
    ("name", "content", "claimed"),
    [
        ("to-khai.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "application/pdf"),
        ("anh.png", b"<html><script>alert(1)</script></html>", "image/png"),
        ("anh.png", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/png"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_stored(
    client, citizen, procedure, name, content, claimed
):
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    first, second = components_of(procedure)
    before = stored_files()

    response = post_step(
        client,
        procedure,
        "thanh-phan-ho-so",
        {
            f"component_{first.pk}": SimpleUploadedFile(name, content, claimed),
            f"component_{second.pk}": pdf(),
        },
    )

    assert response.status_code == 200
    assert "loại tệp được xác định theo nội dung tệp" in response.content.decode()
    assert not DossierFile.objects.exists()
    assert stored_files() == before


def test_good_files_are_kept_while_another_required_component_is_missing(
    client, citizen, procedure
):
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    first, second = components_of(procedure)

    response = post_step(
        client, procedure, "thanh-phan-ho-so", {f"component_{first.pk}": pdf("giay-1.pdf")}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "giay-1.pdf" in page
    assert f"Vui lòng đính kèm “{second.name}”" in page
    assert f"Vui lòng đính kèm “{first.name}”" not in page
    assert DossierFile.objects.get().component_id == first.pk


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("DOSSIER_MAX_FILES_PER_COMPONENT", 2, "Mỗi thành phần hồ sơ có tối đa 2 tệp."),
        ("DOSSIER_MAX_TOTAL_SIZE", 100, "Tổng dung lượng các tệp của hồ sơ vượt quá 100"),
    ],
)
def test_too_many_files_or_bytes_are_refused(
    client, citizen, procedure, settings, setting, value, message
):
    setattr(settings, setting, value)
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    first, second = components_of(procedure)

    response = post_step(
        client,
        procedure,
        "thanh-phan-ho-so",
        {
            f"component_{first.pk}": [pdf("1.pdf"), pdf("2.pdf"), pdf("3.pdf")],
            f"component_{second.pk}": pdf(),
        },
    )

    assert message in response.content.decode()
    assert not DossierFile.objects.exists()


def test_an_oversize_request_gets_413_before_it_is_read(client, citizen, procedure, settings):
    settings.MAX_REQUEST_BODY_SIZE = 1000
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    first = components_of(procedure)[0]

    response = post_step(
        client,
        procedure,
        "thanh-phan-ho-so",
        {f"component_{first.pk}": SimpleUploadedFile("lon.pdf", b"%PDF-" + b"0" * 5000)},
    )

    assert response.status_code == 413
    assert "Tệp gửi lên quá lớn" in response.content.decode()
    assert not DossierFile.objects.exists()


def multipart(step, fields, files):
    """A multipart body by hand: the test client cannot send a file name that is not
    UTF-8, which is exactly what some old Windows browsers send."""
    boundary = b"----portal-test-boundary"
    parts = []
    for name, value in fields.items():
        parts.append(
            b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
            % (boundary, name.encode(), value.encode())
        )
    for name, (filename, content) in files.items():
        parts.append(
            b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
            b"Content-Type: application/pdf\r\n\r\n%s\r\n"
            % (boundary, f"{step}-{name}".encode(), filename, content)
        )
    body = b"".join(parts) + b"--%s--\r\n" % boundary
    return body, f"multipart/form-data; boundary={boundary.decode()}"


def post_raw_files(client, procedure, files):
    content = pdf().read()
    body, content_type = multipart(
        "thanh-phan-ho-so",
        {f"{PREFIX}-current_step": "thanh-phan-ho-so"},
        {name: (filename, content) for name, filename in files.items()},
    )
    return client.generic(
        "POST", step_url(procedure, "thanh-phan-ho-so"), body, content_type=content_type
    )


def test_a_path_traversal_name_is_kept_for_display_only(client, citizen, procedure):
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    first, second = components_of(procedure)

    response = post_raw_files(
        client,
        procedure,
        {
            f"component_{first.pk}": b"../../../etc/passwd.pdf",
            f"component_{second.pk}": b"..\\..\\windows\\to khai.pdf",
        },
    )

    assert response.status_code == 302
    names = dict(DossierFile.objects.values_list("component_id", "original_name"))
    assert names == {first.pk: "passwd.pdf", second.pk: "to khai.pdf"}
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    for attachment in DossierFile.objects.all():
        path = Path(attachment.file.path).resolve()
        assert path.is_relative_to(root)
        assert "passwd" not in path.name and "khai" not in path.name


def test_a_file_whose_name_is_not_utf8_is_not_accepted(client, citizen, procedure):
    """Django's parser drops such a part entirely: the citizen is told the component is
    still missing, and nothing is stored."""
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    first, second = components_of(procedure)
    before = stored_files()

    response = post_raw_files(
        client,
        procedure,
        {f"component_{first.pk}": b"t\xff\xfeo khai.pdf", f"component_{second.pk}": b"b.pdf"},
    )

    assert response.status_code == 200
    assert f"Vui lòng đính kèm “{first.name}”" in response.content.decode()
    assert list(DossierFile.objects.values_list("component_id", flat=True)) == [second.pk]
    assert len(stored_files()) == len(before) + 1


def test_a_component_of_another_procedure_is_refused(client, citizen, procedure):
    other = make_procedure(
        make_agency(code="SKHDT", title="Sở Kế hoạch và Đầu tư"), code="2.000001"
    )
    foreign = other.dossier_components.first()
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    first, second = components_of(procedure)

    response = post_step(
        client,
        procedure,
        "thanh-phan-ho-so",
        {
            f"component_{first.pk}": pdf(),
            f"component_{second.pk}": pdf(),
            f"component_{foreign.pk}": pdf(),
        },
    )

    assert "không thuộc thủ tục này" in response.content.decode()
    assert not DossierFile.objects.exists()


def test_a_field_the_editor_did_not_define_is_refused(client, citizen, procedure):
    add_form_fields(procedure)
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)

    response = post_step(
        client,
        procedure,
        "to-khai",
        {"ho_ten_nguoi_duoc_khai_sinh": "Bé", "noi_sinh": "Tại nhà", "luong": "100"},
    )

    assert response.status_code == 200
    assert "không thuộc thủ tục này" in response.content.decode()


def test_a_tampered_management_form_comes_back_with_a_message(client, citizen, procedure):
    response = client.post(
        step_url(procedure, "tiep-nhan-ho-so"),
        {f"{PREFIX}-current_step": "buoc-khong-co"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Biểu mẫu đã cũ hoặc không hợp lệ" in response.content.decode()
    assert not Dossier.objects.exclude(status=DossierStatus.DRAFT).exists()


def test_skipping_a_step_sends_the_citizen_back_to_it(client, citizen, procedure):
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)

    response = post_step(client, procedure, "xac-nhan", {"declaration": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == step_url(procedure, "thanh-phan-ho-so")
    assert "Vui lòng hoàn thành bước này trước khi gửi hồ sơ." in response.content.decode()
    assert not Dossier.objects.exclude(status=DossierStatus.DRAFT).exists()


def test_posting_the_last_step_first_sends_the_citizen_to_the_first_step(
    client, citizen, procedure
):
    response = post_step(client, procedure, "xac-nhan", {"declaration": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == step_url(procedure, "tiep-nhan-ho-so")
    page = response.content.decode()
    assert "Bước 1/4" in page
    assert "Vui lòng hoàn thành bước này trước khi gửi hồ sơ." in page
    assert not Dossier.objects.exclude(status=DossierStatus.DRAFT).exists()


def test_the_declaration_must_be_ticked(client, citizen, procedure):
    submit_all(client, procedure)
    Dossier.objects.all().delete()
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)

    response = post_step(client, procedure, "xac-nhan", {})

    assert "Vui lòng đánh dấu lời cam đoan trước khi gửi hồ sơ." in response.content.decode()


def test_postal_delivery_needs_an_address_and_online_needs_level_4(client, citizen):
    level3 = make_procedure(make_agency(), level=3, components=0)
    post_step(client, level3, "tiep-nhan-ho-so", APPLICANT)

    postal = post_step(client, level3, "nhan-ket-qua", {"result_delivery": "postal"})
    online = post_step(client, level3, "nhan-ket-qua", {"result_delivery": "online"})

    assert "Vui lòng nhập địa chỉ để nhận kết quả qua bưu điện." in postal.content.decode()
    assert online.status_code == 200  # refused: level 3 results are not delivered online
    assert "online" not in str(online.context["form"].fields["result_delivery"].choices)


def test_the_citizen_chooses_the_commune_when_several_agencies_carry_out_the_procedure(
    client, citizen, django_capture_on_commit_callbacks
):
    district = make_agency(code="HBD", title="UBND huyện Ba Đình", level="district")
    commune = make_agency(
        code="XPX", title="UBND phường Phúc Xá", level="commune", parent=district
    )
    procedure = make_procedure(district, components=0)
    procedure.executing_agencies = [district, commune]
    procedure.save_revision().publish()

    page = client.get(step_url(procedure, "co-quan")).content.decode()
    assert "Bước 1/4" in page and "UBND phường Phúc Xá" in page
    post_step(client, procedure, "co-quan", {"agency": commune.pk})
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    post_step(client, procedure, "nhan-ket-qua", {"result_delivery": "at_agency"})
    with django_capture_on_commit_callbacks(execute=True):
        post_step(client, procedure, "xac-nhan", {"declaration": "on"})

    dossier = Dossier.objects.get()
    assert dossier.agency_id == commune.pk
    assert dossier.code.startswith("XPX-")


def test_a_submitted_dossier_keeps_what_it_was_submitted_against(client, citizen, procedure):
    add_form_fields(procedure)
    submit_all(client, procedure)
    procedure.title = "Đăng ký khai sinh (sửa đổi)"
    procedure.form_fields.first().label = "Tên"
    procedure.save_revision().publish()

    dossier = Dossier.objects.get()
    page = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()

    assert "Đăng ký khai sinh (sửa đổi)" not in page
    assert "Họ tên người được khai sinh" in page
    assert dossier.snapshot["components"][0]["name"] == components_of(procedure)[0].name
    assert dossier.snapshot["fees"] == [
        {"name": "Lệ phí 1", "amount": 50000, "note": "", "condition": "always", "group": None}
    ]


def test_history_records_who_submitted_and_why(client, citizen, procedure):
    submit_all(client, procedure)

    record = Dossier.objects.get().history.earliest()

    assert record.history_user == citizen
    assert record.history_change_reason == "Nộp hồ sơ trực tuyến"
    assert record.status == DossierStatus.SUBMITTED


def test_the_citizen_can_withdraw_until_the_agency_receives_it(client, citizen, procedure):
    submit_all(client, procedure)
    dossier = Dossier.objects.get()

    client.post(reverse("dossiers:withdraw", args=[dossier.code]))
    again = client.post(reverse("dossiers:withdraw", args=[dossier.code]), follow=True)

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN
    assert again.status_code == 200
    assert "Đã rút" in again.content.decode()


def test_another_citizen_gets_404_for_the_dossier_its_files_and_acknowledgement(
    client, citizen, procedure
):
    submit_all(client, procedure)
    dossier = Dossier.objects.get()
    attachment = dossier.files.first()
    other = UserFactory(email="citizen2@example.com", verified=True)

    for url in [
        reverse("dossiers:detail", args=[dossier.code]),
        reverse("dossiers:file", args=[dossier.code, attachment.pk]),
        reverse("dossiers:acknowledgement", args=[dossier.code]),
    ]:
        assert_only_the_owner_reaches(client, "get", url, owner=citizen, others=[other])
    assert_only_the_owner_reaches(
        client,
        "post",
        reverse("dossiers:withdraw", args=[dossier.code]),
        owner=citizen,
        others=[other],
        location=reverse("dossiers:detail", args=[dossier.code]),
        unchanged=lambda: Dossier.objects.get(pk=dossier.pk).status,
    )
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.WITHDRAWN


def test_another_citizen_cannot_remove_a_file_from_someone_elses_draft(client, citizen, procedure):
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    first = components_of(procedure)[0]
    post_step(client, procedure, "thanh-phan-ho-so", {f"component_{first.pk}": pdf()})
    attachment = DossierFile.objects.get()

    assert_only_the_owner_reaches(
        client,
        "post",
        reverse("dossiers:remove_draft_file", args=[procedure.pk, attachment.pk]),
        owner=citizen,
        others=[UserFactory(verified=True)],
        location=step_url(procedure, "thanh-phan-ho-so"),
        unchanged=lambda: DossierFile.objects.filter(pk=attachment.pk).exists(),
    )
    assert not DossierFile.objects.filter(pk=attachment.pk).exists()


def test_the_owner_downloads_the_acknowledgement_pdf(client, citizen, procedure):
    submit_all(client, procedure)
    dossier = Dossier.objects.get()

    response = client.get(reverse("dossiers:acknowledgement", args=[dossier.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_images_are_stored_re_encoded_under_server_made_names(client, citizen, procedure):
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    first, second = components_of(procedure)
    post_step(
        client,
        procedure,
        "thanh-phan-ho-so",
        {f"component_{first.pk}": png("cccd-mat-truoc.png"), f"component_{second.pk}": pdf()},
    )

    image = DossierFile.objects.get(component_id=first.pk)
    assert image.original_name == "cccd-mat-truoc.png"
    assert image.content_type == "image/png"
    assert "cccd" not in image.file.name


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql_only("row locks are only real on PostgreSQL")
def test_twenty_parallel_submissions_get_twenty_distinct_contiguous_codes():
    """Twenty citizens press "Gửi đi" at the same moment, each through the whole
    submission service (locked draft, code counter, snapshot, history)."""
    procedure = make_procedure(make_agency(), components=0)
    drafts = []
    for _ in range(20):
        user = UserFactory(verified=True)
        draft = draft_for(user, procedure)
        services.save_draft_state(draft=draft, state={"step": "xac-nhan"})
        drafts.append(draft)
    barrier = threading.Barrier(20)
    codes, errors = [], []

    def submit(draft):
        try:
            barrier.wait()
            dossier, _created = services.submit_dossier(
                draft=draft,
                agency=draft.agency,
                applicant_data={"full_name": "Công dân"},
                form_data={},
                result_delivery="at_agency",
                delivery_address="",
                actor=draft.applicant,
            )
            codes.append(dossier.code)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=submit, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    day = timezone.localdate()
    assert sorted(codes) == [f"STP-{day:%y%m%d}-{n:04d}" for n in range(1, 21)]
    assert Dossier.objects.filter(status=DossierStatus.SUBMITTED).count() == 20


def test_file_history_records_who_attached_and_removed_and_why(client, citizen, procedure):
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    first = components_of(procedure)[0]
    post_step(client, procedure, "thanh-phan-ho-so", {f"component_{first.pk}": pdf()})
    attachment = DossierFile.objects.get()

    client.post(reverse("dossiers:remove_draft_file", args=[procedure.pk, attachment.pk]))

    added, removed = DossierFile.history.filter(id=attachment.pk).order_by("history_date")
    assert (added.history_type, added.history_change_reason) == ("+", "Đính kèm tệp")
    assert (removed.history_type, removed.history_change_reason) == ("-", "Xóa tệp khỏi bản nháp")
    assert added.history_user == removed.history_user == citizen
    assert not DossierFile.objects.exists()
