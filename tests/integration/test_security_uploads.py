"""Upload attacks through the doors a browser uses, end to end: the wizard's "Thành phần
hồ sơ" step, the supplement form, the official's result upload, and the download that
serves the file back.

``forms_app/tests/test_uploads.py`` checks ``clean_upload`` itself (types by their bytes,
HTML/SVG/ELF/MZ refused, the polyglot PNG re-encoded, zip bombs, the 400-megapixel PNG
refused from its header, display names); ``forms_app/tests/test_wizard.py`` checks an
executable, HTML and SVG posing as a PDF or PNG through the wizard, the 413 on the wizard,
the path-traversal name and the name that is not UTF-8 (Django's multipart parser drops
such a part: the citizen is told the component is still missing, nothing is stored).
What follows is what those leave open: what is *stored* and *served back* after a
polyglot, the bomb and the huge image through the real forms, names that carry markup or
header syntax as they show in pages and in Content-Disposition, and the 413 on every
door (and a body sent without a length, which is never read).
"""

import datetime
import email.message
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageFile

from accounts.tests.factories import PASSWORD, UserFactory
from forms_app import services
from forms_app.constants import ResultDelivery
from forms_app.models import Dossier, DossierFile, DossierResult
from forms_app.selectors import draft_for
from forms_app.submission.uploads import clean_upload
from forms_app.tests.officials import make_official, submit
from forms_app.tests.wizard import APPLICANT, PREFIX, post_step, step_url
from procedures.tests.factories import make_agency, make_procedure

pytestmark = pytest.mark.django_db

MEGABYTE = 1024 * 1024
HTML_TAIL = b"<html><body><script>alert(document.cookie)</script></body></html>"
COMPONENTS = "thanh-phan-ho-so"


def png_bytes(size=(40, 30), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "navy" if mode == "RGB" else 0).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def huge_png():
    """20,000 × 20,000 pixels (400 million): about 50 KB on disk, 1.2 GB decoded."""
    return png_bytes(size=(20_000, 20_000), mode="1")


def zip_bomb_docx():
    """A Word file's skeleton and 200 MB of zeros, deflated to a few hundred KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/anh.bin", "w") as entry:
            for _chunk in range(200):
                entry.write(bytes(MEGABYTE))
    return buffer.getvalue()


@pytest.fixture
def procedure():
    return make_procedure(make_agency(), components=1)


@pytest.fixture
def citizen(client):
    user = UserFactory(email="an@example.vn", verified=True)
    client.force_login(user)
    return user


def component_field(procedure):
    return f"component_{procedure.dossier_components.get().pk}"


def upload_component(client, procedure, name, content, content_type="application/pdf"):
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    return post_step(
        client,
        procedure,
        COMPONENTS,
        {component_field(procedure): SimpleUploadedFile(name, content, content_type)},
    )


def finish(client, procedure):
    post_step(client, procedure, "nhan-ket-qua", {"result_delivery": "at_agency"})
    post_step(client, procedure, "xac-nhan", {"declaration": "on"})
    return Dossier.objects.exclude(status="draft").get()


def private_files():
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def download(client, dossier, attachment):
    response = client.get(reverse("dossiers:file", args=[dossier.code, attachment.pk]))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


# What is stored and served back ---------------------------------------------------------
def test_a_png_with_html_appended_is_stored_re_encoded_and_served_as_an_image(
    client, citizen, procedure
):
    polyglot = png_bytes() + HTML_TAIL
    response = upload_component(client, procedure, "anh-cccd.png", polyglot, "text/html")
    assert response.status_code == 302

    stored = DossierFile.objects.get()
    with stored.file.open("rb") as handle:
        on_disk = handle.read()
    assert on_disk.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<script" not in on_disk and b"<html" not in on_disk
    assert Image.open(io.BytesIO(on_disk)).size == (40, 30)
    assert stored.content_type == "image/png"  # from the bytes, not the browser's claim

    dossier = finish(client, procedure)
    served, body = download(client, dossier, stored)
    assert body == on_disk
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("attachment;")
    assert "script-src 'self'" in served["Content-Security-Policy"]


def test_a_zip_bomb_named_docx_is_refused_and_nothing_is_stored(client, citizen, procedure):
    bomb = zip_bomb_docx()
    assert len(bomb) < MEGABYTE
    before = private_files()
    response = upload_component(client, procedure, "to-khai.docx", bomb, "application/msword")
    assert response.status_code == 200
    assert "“to-khai.docx” có cấu trúc nén bất thường" in response.content.decode()
    assert not DossierFile.objects.exists()
    assert private_files() == before


def test_a_20000_by_20000_image_is_refused_without_being_decoded(
    client, citizen, procedure, huge_png, monkeypatch
):
    def load(self):
        pytest.fail("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    response = upload_component(client, procedure, "ban-do.png", huge_png, "image/png")
    assert response.status_code == 200
    assert "Ảnh “ban-do.png” quá lớn" in response.content.decode()
    assert not DossierFile.objects.exists()


def test_the_supplement_form_refuses_html_posing_as_an_image(client, citizen, procedure):
    """The second door for citizens' files: the same checks apply."""
    official = make_official(procedure.get_parent().specific, "official.stp@example.vn")
    dossier = services.receive_dossier(dossier=submit(citizen, procedure), actor=official)
    dossier = services.start_processing(dossier=dossier, actor=official, assignee=official)
    component = procedure.dossier_components.get()
    services.request_supplement(
        dossier=dossier,
        actor=official,
        items=[{"component_id": component.pk, "guidance": "Bản rõ hơn"}],
        note="Bổ sung",
        reply_by=timezone.localdate() + datetime.timedelta(days=10),
    )
    page = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
    field = page.split('type="file" name="', 1)[1].split('"', 1)[0]
    files_before = DossierFile.objects.count()

    response = client.post(
        reverse("dossiers:supplement", args=[dossier.code]),
        {field: SimpleUploadedFile("anh.png", b"<svg onload=alert(1)>" + HTML_TAIL, "image/png")},
    )
    assert response.status_code == 200
    assert "loại tệp được xác định theo nội dung tệp" in response.content.decode()
    assert DossierFile.objects.count() == files_before


def test_an_official_cannot_hand_a_citizen_html_as_the_result(client, procedure):
    citizen = UserFactory(verified=True)
    official = make_official(procedure.get_parent().specific, "official.stp@example.vn")
    dossier = services.receive_dossier(
        dossier=submit(citizen, procedure, result_delivery=ResultDelivery.ONLINE),
        actor=official,
    )
    services.start_processing(dossier=dossier, actor=official, assignee=official)
    client.force_login(official)
    response = client.post(
        reverse("forms_app_dossier_action", args=[dossier.pk, "mark_result_ready"]),
        {"result": SimpleUploadedFile("ket-qua.pdf", HTML_TAIL, "application/pdf"), "note": ""},
    )
    assert response.status_code == 200
    assert "loại tệp được xác định theo nội dung tệp" in response.content.decode()
    assert not DossierResult.objects.exists()
    assert Dossier.objects.get(pk=dossier.pk).status == "processing"


# Names: shown as text, never as markup or header syntax ------------------------------------
MARKUP_NAME = '"><img src=x onerror=alert(1)>.pdf'


def test_a_name_with_markup_is_shown_as_text_everywhere(client, citizen, procedure):
    response = upload_component(
        client, procedure, MARKUP_NAME, b"%PDF-1.4\n%%EOF\n", "application/pdf"
    )
    assert response.status_code == 302
    attachment = DossierFile.objects.get()
    assert attachment.original_name == MARKUP_NAME
    assert "img" not in Path(attachment.file.name).name  # stored under a server-made name

    escaped = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.pdf"
    pages = {"wizard": client.get(step_url(procedure, COMPONENTS))}
    dossier = finish(client, procedure)
    pages["detail"] = client.get(reverse("dossiers:detail", args=[dossier.code]))
    official = make_official(procedure.get_parent().specific, "official.stp@example.vn")
    client.force_login(official)
    pages["admin inspect"] = client.get(
        reverse("forms_app_dossier_modeladmin_inspect", args=[dossier.pk])
    )
    for where, page in pages.items():
        html = page.content.decode()
        assert page.status_code == 200, where
        assert escaped in html, where
        assert "<img src=x" not in html, where


@pytest.mark.parametrize(
    "name",
    [
        'to"khai; filename=evil.html.pdf',
        "tờ khai\r\nSet-Cookie: sessionid=x.pdf",
        "Giấy khai sinh (bản sao).pdf",
    ],
)
def test_a_download_names_the_file_without_breaking_the_header(client, procedure, name):
    """Content-Disposition carries the citizen's name as one quoted (or RFC 5987) value:
    no second parameter, no second header line."""
    citizen = UserFactory(verified=True)
    draft = draft_for(citizen, procedure)
    services.save_draft_state(draft=draft, state={})
    pdf = clean_upload(
        SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        accepted_types=["pdf"],
        max_size=MEGABYTE,
    )
    services.attach_files(draft=draft, uploads=[(procedure.dossier_components.get(), pdf)])
    dossier, _created = services.submit_dossier(
        draft=draft,
        agency=draft.agency,
        applicant_data={**APPLICANT, "email": citizen.email},
        form_data={},
        result_delivery=ResultDelivery.AT_AGENCY,
        delivery_address="",
        actor=citizen,
    )
    client.force_login(citizen)
    response, _body = download(client, dossier, dossier.files.get())

    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header
    assert "sessionid=x" not in str(response.cookies)
    parsed = email.message.Message()
    parsed["Content-Disposition"] = header
    assert parsed.get_content_disposition() == "attachment"
    assert parsed.get_filename() == dossier.files.get().original_name
    parameters = parsed.get_params(header="Content-Disposition")[1:]
    assert len(parameters) == 1, header  # one file name, no smuggled parameter


# The 413 on every door, and bodies without a length ---------------------------------------
@pytest.fixture
def doors(procedure):
    agency = procedure.get_parent().specific
    citizen = UserFactory(verified=True, email="cong.dan@example.vn")
    official = make_official(agency, "official.stp@example.vn")
    dossier = submit(citizen, procedure)
    return {
        "login": (None, reverse("account_login")),
        "signup": (None, reverse("account_signup")),
        "wizard": (citizen, step_url(procedure, COMPONENTS)),
        "supplement": (citizen, reverse("dossiers:supplement", args=[dossier.code])),
        "profile": (citizen, reverse("account_profile")),
        "sandbox bank": (None, reverse("payments:sandbox")),
        "admin action": (
            official,
            reverse("forms_app_dossier_action", args=[dossier.pk, "receive"]),
        ),
        "admin counter": (official, reverse("forms_app_dossier_register")),
    }


def test_an_oversize_body_gets_413_at_every_door(client, settings, doors):
    settings.MAX_REQUEST_BODY_SIZE = 10_000
    for where, (user, url) in doors.items():
        if user:
            client.force_login(user)
        else:
            client.logout()
        response = client.post(
            url,
            {
                "login": "cong.dan@example.vn",
                "password": PASSWORD,
                f"{PREFIX}-current_step": COMPONENTS,
                "tep": SimpleUploadedFile("lon.pdf", b"%PDF-" + bytes(20_000)),
            },
        )
        assert response.status_code == 413, (where, response.status_code)
        assert response["Connection"] == "close"
        assert "Tệp gửi lên quá lớn" in response.content.decode(), where
        if user is None:
            assert "_auth_user_id" not in client.session, where  # the body was not read
    assert not DossierFile.objects.filter(original_name="lon.pdf").exists()


def test_a_body_without_a_length_is_never_read(client, citizen, procedure):
    """Chunked uploads carry no Content-Length, so the 413 cannot measure them; Django
    reads no body without one (WSGI), so such a request uploads nothing."""
    post_step(client, procedure, "tiep-nhan-ho-so", APPLICANT)
    boundary = "portal-boundary"
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{PREFIX}-current_step"\r\n\r\n{COMPONENTS}\r\n'
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{COMPONENTS}-{component_field(procedure)}"; '
            f'filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + b"%PDF-1.4\n"
        + bytes(200_000)
        + f"\r\n--{boundary}--\r\n".encode()
    )

    def post(**extra):
        return client.generic(
            "POST",
            step_url(procedure, COMPONENTS),
            body,
            content_type=f"multipart/form-data; boundary={boundary}",
            **extra,
        )

    assert post(CONTENT_LENGTH="").status_code in (200, 302)  # as an empty form
    assert not DossierFile.objects.exists()
    # The control: the very same body, with its length, is an ordinary upload.
    assert post().status_code == 302
    assert DossierFile.objects.count() == 1
