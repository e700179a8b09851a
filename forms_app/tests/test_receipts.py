"""The e-receipt writes its amount a second time in words, as Vietnamese receipts do:
every group of three digits after the first in full ("không trăm", "linh"), "mốt",
"lăm" and "mười" where a receipt writer puts them."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.tests.factories import UserFactory
from core.formatting import amount_in_words
from forms_app import services
from forms_app.tests.officials import make_official, submit
from payments.models import Payment
from payments.tests.helpers import query_of
from procedures.tests.factories import make_agency, make_procedure

AMOUNTS = [
    (0, "Không đồng"),
    (5_000, "Năm nghìn đồng"),
    (10_000, "Mười nghìn đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (21_000, "Hai mươi mốt nghìn đồng"),
    (24_000, "Hai mươi bốn nghìn đồng"),
    (25_000, "Hai mươi lăm nghìn đồng"),
    (50_000, "Năm mươi nghìn đồng"),
    (75_000, "Bảy mươi lăm nghìn đồng"),
    (100_000, "Một trăm nghìn đồng"),
    (105_000, "Một trăm linh năm nghìn đồng"),
    (110_000, "Một trăm mười nghìn đồng"),
    (111_000, "Một trăm mười một nghìn đồng"),
    (115_000, "Một trăm mười lăm nghìn đồng"),
    (135_000, "Một trăm ba mươi lăm nghìn đồng"),
    (200_000, "Hai trăm nghìn đồng"),
    (201_000, "Hai trăm linh một nghìn đồng"),
    (1_000_000, "Một triệu đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (1_015_000, "Một triệu không trăm mười lăm nghìn đồng"),
    (1_050_000, "Một triệu không trăm năm mươi nghìn đồng"),
    (1_100_000, "Một triệu một trăm nghìn đồng"),
    (1_000_500, "Một triệu năm trăm đồng"),
    (1_000_015, "Một triệu không trăm mười lăm đồng"),
    (2_000_000_000, "Hai tỷ đồng"),
    (1_000_005_000, "Một tỷ không trăm linh năm nghìn đồng"),
    (
        1_234_567_000,
        "Một tỷ hai trăm ba mươi bốn triệu năm trăm sáu mươi bảy nghìn đồng",
    ),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
    (1_001, "Một nghìn không trăm linh một đồng"),
    (4, "Bốn đồng"),
    (14, "Mười bốn đồng"),
    (41, "Bốn mươi mốt đồng"),
    (105, "Một trăm linh năm đồng"),
]


@pytest.mark.parametrize(("amount", "words"), AMOUNTS, ids=[str(a) for a, _w in AMOUNTS])
def test_amounts_are_written_in_words_as_receipts_write_them(amount, words):
    assert amount_in_words(amount) == words


@pytest.mark.parametrize("amount", [-1, 1.5, "5000", True, None])
def test_only_a_whole_non_negative_amount_has_words(amount):
    with pytest.raises(ValueError, match="whole, non-negative"):
        amount_in_words(amount)


@pytest.mark.django_db
def test_the_receipt_pdf_writes_the_paid_amount_in_words(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAYMENT_GATEWAY = "sandbox"
    agency = make_agency()
    procedure = make_procedure(
        agency,
        code="1.001029",
        title="Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",
        fees=[{"name": "Phí thẩm định", "amount": 1_005_000}],
    )
    citizen = UserFactory(verified=True, full_name="Nguyễn Văn An")
    dossier = submit(citizen, procedure)
    services.receive_dossier(
        dossier=dossier, actor=make_official(agency, "official.stp@example.com")
    )
    client.force_login(citizen)
    bank_url = client.post(reverse("dossiers:pay", args=[dossier.code]))["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:sandbox"), {**query_of(bank_url), "choice": "pay"})
    payment = Payment.objects.get(dossier=dossier)

    receipt = client.get(reverse("dossiers:receipt", args=[dossier.code, payment.reference]))

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "1.005.000 đồng" in text
    assert "Số tiền bằng chữ: Một triệu không trăm linh năm nghìn đồng." in text
