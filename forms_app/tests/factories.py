"""Building dossiers for tests: one submitted birth registration, with its snapshot and
files, and what the tests of its letters and e-mails read them with."""

import datetime
import io
import unicodedata

from django.core.files.base import ContentFile
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from pypdf import PdfReader

from accounts.tests.factories import UserFactory
from forms_app.constants import DossierStatus
from forms_app.models import Dossier, DossierFile
from procedures.tests.factories import make_agency, make_procedure

CODE = "STP-261130-0001"
KEY = "KEY0000001"
LOOKUP_URL = f"https://dichvucong.example.vn/tra-cuu-ho-so/?code={CODE}&key={KEY}"
DETAIL_URL = f"https://dichvucong.example.vn/ho-so/{CODE}/"


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


def make_dossier(*, files=("to-khai.pdf", "to-khai-trang-2.pdf"), **fields):
    """A dossier submitted on 30/11/2026 08:05 by Nguyễn Văn Ân to Sở Tư pháp for
    "Đăng ký khai sinh", with ``files`` attached to its only component; ``fields``
    override the dossier's own (status, received_at, due_at…)."""
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
    for name, value in fields.items():
        setattr(dossier, name, value)
    dossier._change_reason = "Nộp hồ sơ trực tuyến"
    dossier.save()
    for name in files:
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


def pdf_text(pdf, page=0):
    """A page's text as a reader would copy it, in composed form: a font without
    Vietnamese glyphs or a missing ToUnicode map would lose the diacritics here."""
    return unicodedata.normalize("NFC", PdfReader(io.BytesIO(pdf)).pages[page].extract_text())
