"""The acknowledgement of an online submission: a PDF whose Vietnamese text survives
(Roboto, not ReportLab's built-in fonts), with a QR code, and an e-mail that carries it
and never turns a mail server's failure into a lost dossier."""

import datetime
import io
import unicodedata

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from accounts.tests.factories import UserFactory
from forms_app.acknowledgement import FONT, acknowledgement_pdf
from forms_app.constants import DossierStatus
from forms_app.models import Dossier, DossierFile
from forms_app.notifications import send_acknowledgement
from procedures.tests.factories import make_agency, make_procedure

pytestmark = pytest.mark.django_db

CODE = "STP-261130-0001"
KEY = "KEY0000001"
LOOKUP_URL = f"https://dichvucong.example.vn/tra-cuu-ho-so/?code={CODE}&key={KEY}"
DETAIL_URL = f"https://dichvucong.example.vn/ho-so/{CODE}/"


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def dossier():
    agency = make_agency()
    procedure = make_procedure(agency)
    dossier = Dossier(
        code=CODE,
        lookup_key=KEY,
        procedure=procedure,
        agency=agency,
        applicant=UserFactory(email="tai.khoan@example.vn", verified=True),
        status=DossierStatus.SUBMITTED,
        submitted_at=timezone.make_aware(datetime.datetime(2026, 11, 30, 8, 5)),
        applicant_data={
            "full_name": "Nguyễn Văn Ân",
            "email": "an@example.vn",
            "cccd": "001090000001",
            "phone": "+84912345678",
            "address": "Số 1 Đường Lê Lợi, Phường Bến Nghé",
            "date_of_birth": "1990-01-02",
            "applicant_type": "citizen",
        },
        snapshot={
            "procedure": {
                "id": procedure.pk,
                "title": "Đăng ký khai sinh",
                "code": "1.001193",
                "revision_id": None,
                "level": 3,
                "processing_time_days": 3,
                "processing_time_note": "",
            },
            "agency": {"id": agency.pk, "name": "Sở Tư pháp", "code": "STP"},
            "fees": [{"name": "Lệ phí", "amount": 50000}],
            "components": [
                {
                    "id": 1,
                    "name": "Tờ khai đăng ký khai sinh",
                    "required": True,
                    "originals": 1,
                    "copies": 0,
                }
            ],
            "form_fields": [],
        },
    )
    dossier._change_reason = "Nộp hồ sơ trực tuyến"
    dossier.save()
    for name in ("to-khai.pdf", "to-khai-trang-2.pdf"):
        attachment = DossierFile(
            dossier=dossier,
            component_name="Tờ khai đăng ký khai sinh",
            original_name=name,
            content_type="application/pdf",
            size=3,
        )
        attachment.file.save("ignored.pdf", ContentFile(b"abc"), save=False)
        attachment.save()
    return dossier


def first_page(pdf):
    return PdfReader(io.BytesIO(pdf)).pages[0]


def text_of(pdf):
    """The page's text as a reader would copy it, in composed form: a font without
    Vietnamese glyphs or a missing ToUnicode map would lose the diacritics here."""
    return unicodedata.normalize("NFC", first_page(pdf).extract_text())


def test_the_pdf_carries_the_dossier_in_vietnamese(dossier):
    pdf = acknowledgement_pdf(dossier, LOOKUP_URL)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    for expected in (
        "PHIẾU XÁC NHẬN NỘP HỒ SƠ TRỰC TUYẾN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        CODE,
        KEY,
        "Nguyễn Văn Ân",
        "Đăng ký khai sinh",
        "1.001193",
        "50.000 đồng",
        "30/11/2026 08:05",
        "3 ngày làm việc",
        "Nhận trực tiếp tại cơ quan",
        "Tờ khai đăng ký khai sinh",
        "Quét mã để tra cứu tình trạng hồ sơ",
    ):
        assert expected in text, expected


def test_the_pdf_counts_the_files_of_each_component(dossier):
    text = text_of(acknowledgement_pdf(dossier, LOOKUP_URL))
    assert "Tờ khai đăng ký khai sinh 2" in " ".join(text.split())


def test_the_pdf_has_the_qr_code_and_its_metadata(dossier, settings):
    reader = PdfReader(io.BytesIO(acknowledgement_pdf(dossier, LOOKUP_URL)))
    assert len(reader.pages[0].images) == 1
    assert CODE in reader.metadata.title
    assert reader.metadata.author == settings.PORTAL_NAME


def test_markup_in_a_name_is_printed_as_typed(dossier):
    dossier.applicant_data["full_name"] = "<b>Ân & Co</b>"
    pdf = acknowledgement_pdf(dossier, LOOKUP_URL)
    assert pdf.startswith(b"%PDF")
    assert "<b>Ân & Co</b>" in text_of(pdf)


def test_a_second_pdf_reuses_the_registered_fonts(dossier):
    acknowledgement_pdf(dossier, LOOKUP_URL)
    font = pdfmetrics.getFont(FONT)
    assert acknowledgement_pdf(dossier, LOOKUP_URL).startswith(b"%PDF")
    assert pdfmetrics.getFont(FONT) is font


def test_the_email_goes_to_the_address_given_in_the_dossier_with_the_pdf(dossier, settings):
    assert send_acknowledgement(dossier, lookup_url=LOOKUP_URL, detail_url=DETAIL_URL) is True
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an@example.vn"]
    assert message.subject.startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    assert CODE in message.subject
    assert "\n" not in message.subject
    for expected in (KEY, LOOKUP_URL, DETAIL_URL, "Đăng ký khai sinh", "Sở Tư pháp"):
        assert expected in message.body, expected
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert KEY in html
    assert LOOKUP_URL.replace("&", "&amp;") in html
    [(filename, content, content_type)] = message.attachments
    assert filename == f"phieu-xac-nhan-{CODE}.pdf"
    assert content_type == "application/pdf"
    assert content.startswith(b"%PDF")


def test_the_email_falls_back_to_the_account_address(dossier):
    del dossier.applicant_data["email"]
    assert send_acknowledgement(dossier, lookup_url=LOOKUP_URL, detail_url=DETAIL_URL)
    assert mail.outbox[0].to == ["tai.khoan@example.vn"]


def test_a_mail_server_that_is_down_is_logged_not_raised(dossier, settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    assert send_acknowledgement(dossier, lookup_url=LOOKUP_URL, detail_url=DETAIL_URL) is False
    assert "ConnectionRefusedError" in caplog.text
