"""The acknowledgement of an online submission: a PDF whose Vietnamese text survives
(Roboto, not ReportLab's built-in fonts), with a QR code, and an e-mail that carries it
and never turns a mail server's failure into a lost dossier."""

import io

import pytest
from django.core import mail
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from forms_app.constants import EventKind
from forms_app.documents.acknowledgement import acknowledgement_pdf
from forms_app.documents.pdf import FONT
from forms_app.notifications import send_acknowledgement
from forms_app.tests.factories import CODE, DETAIL_URL, KEY, LOOKUP_URL, make_dossier, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    return make_dossier()


def test_the_pdf_carries_the_dossier_in_vietnamese(dossier):
    pdf = acknowledgement_pdf(dossier, LOOKUP_URL)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
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


def test_a_same_day_procedure_is_printed_as_such(dossier):
    """A procedure settled within the day of receipt reads "Trong ngày làm việc…", not
    "0 ngày làm việc"."""
    dossier.snapshot["procedure"]["processing_time_days"] = 0
    text = " ".join(pdf_text(acknowledgement_pdf(dossier, LOOKUP_URL)).split())
    assert "Trong ngày làm việc tiếp nhận hồ sơ hợp lệ" in text
    assert "0 ngày làm việc" not in text


def test_the_pdf_counts_the_files_of_each_component(dossier):
    text = pdf_text(acknowledgement_pdf(dossier, LOOKUP_URL))
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
    assert "<b>Ân & Co</b>" in pdf_text(pdf)


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
    [event] = dossier.events.all()
    assert event.kind == EventKind.EMAIL_SENT
    assert CODE in event.message


def test_the_email_falls_back_to_the_account_address(dossier):
    del dossier.applicant_data["email"]
    assert send_acknowledgement(dossier, lookup_url=LOOKUP_URL, detail_url=DETAIL_URL)
    assert mail.outbox[0].to == ["tai.khoan@example.vn"]


def test_a_mail_server_that_is_down_is_logged_not_raised(dossier, settings, caplog):
    settings.EMAIL_BACKEND = "forms_app.tests.factories.RefusingBackend"
    assert send_acknowledgement(dossier, lookup_url=LOOKUP_URL, detail_url=DETAIL_URL) is False
    assert "ConnectionRefusedError" in caplog.text
    [event] = dossier.events.all()
    assert event.kind == EventKind.EMAIL_FAILED
    assert event.message.endswith(": ConnectionRefusedError")
