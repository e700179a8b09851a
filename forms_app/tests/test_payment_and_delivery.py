"""Service level 4 as the citizen and the official meet it, through the real views and
the built-in sandbox bank: fees confirmed at receipt, "Thanh toán trực tuyến", the
receipt, the result delivered online or by post, refunds, and the level rules."""

import contextlib
import hashlib
import io
import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from core.tests.access import assert_only_the_owner_reaches
from forms_app import services
from forms_app.constants import DossierStatus, EventKind, ResultDelivery
from forms_app.models import Dossier
from forms_app.submission.uploads import CleanedUpload
from forms_app.tests.officials import PDF_BYTES, cleaned_pdf, make_official, submit
from payments.constants import PaymentStatus, RefundStatus
from payments.models import Payment, Refund
from payments.tests.helpers import query_of
from procedures.tests.factories import make_agency, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    from accounts.tests.factories import UserFactory

    settings.PAYMENT_GATEWAY = "sandbox"
    agency = make_agency()
    procedure = make_procedure(agency, fees=3, title="Cấp Phiếu lý lịch tư pháp", code="2.000488")
    return SimpleNamespace(
        agency=agency,
        procedure=procedure,
        citizen=UserFactory(verified=True, full_name="Nguyễn Văn An"),
        other=UserFactory(verified=True),
        official=make_official(agency, "official.stp@example.com"),
    )


def html_of(response):
    return response.content.decode()


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_of(response)))


def detail(client, dossier):
    return client.get(reverse("dossiers:detail", args=[dossier.code]))


def receive(world, dossier, **amounts):
    """The official receives the dossier, keeping only the first fee line (the schedule
    lists alternatives)."""
    lines = list(dossier.fee_lines.all())
    return services.receive_dossier(
        dossier=dossier,
        actor=world.official,
        fee_amounts={line.pk: (line.amount if n == 0 else 0) for n, line in enumerate(lines)},
        fee_reason="Người yêu cầu là công dân, cấp 01 phiếu",
    )


def pay_in_sandbox(client, dossier, choice, capture):
    """Click "Thanh toán trực tuyến", then a button of the sandbox bank; returns the
    response of the return page."""
    response = client.post(reverse("dossiers:pay", args=[dossier.code]))
    assert response.status_code == 302
    bank_url = response["Location"]
    assert bank_url.startswith(reverse("payments:sandbox"))
    assert "Thanh toán" in html_of(client.get(bank_url))
    with capture(execute=True):
        response = client.post(
            reverse("payments:sandbox"), {**query_of(bank_url), "choice": choice}
        )
    assert response.status_code == 302
    return client.get(response["Location"])


def test_a_citizen_pays_in_the_sandbox_and_downloads_the_receipt_and_the_result(
    client, world, django_capture_on_commit_callbacks
):
    dossier = submit(world.citizen, world.procedure, result_delivery=ResultDelivery.ONLINE)
    assert [line.amount for line in dossier.fee_lines.all()] == [50000, 100000, 150000]
    client.force_login(world.citizen)

    # Before receipt: the schedule is shown, not yet payable.
    page = text_of(detail(client, dossier))
    assert "Phí, lệ phí" in page and "300.000 đồng" in page
    assert "chưa xác nhận mức phí" in page
    assert "Thanh toán trực tuyến" not in page

    dossier = receive(world, dossier)
    page = text_of(detail(client, dossier))
    assert "Thanh toán trực tuyến 50.000 đồng" in page
    assert "Người yêu cầu là công dân, cấp 01 phiếu" in page  # the reason, on the timeline

    mail.outbox.clear()
    result_page = pay_in_sandbox(client, dossier, "pay", django_capture_on_commit_callbacks)
    assert "Đã thanh toán" in text_of(result_page)
    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == PaymentStatus.COMPLETED and payment.amount == 50000

    page = text_of(detail(client, dossier))
    assert "Đã thanh toán" in page
    assert "Thanh toán trực tuyến 50.000 đồng" not in page
    assert [m.subject for m in mail.outbox] == [
        f"[Cổng Dịch vụ công] Đã thanh toán phí, lệ phí hồ sơ {dossier.code}"
    ]
    assert payment.reference in mail.outbox[0].body
    events = dossier.events.filter(kind=EventKind.PAYMENT_COMPLETED)
    assert [e.message for e in events] == [f"{payment.reference}: 50.000 đồng"]

    receipt = client.get(reverse("dossiers:receipt", args=[dossier.code, payment.reference]))
    assert receipt["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.content)).pages)
    for shown in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        payment.reference,
        dossier.code,
        "50.000 đồng",
        "Năm mươi nghìn đồng",
        "Nguyễn Văn An",
        "Sở Tư pháp",
    ):
        assert shown in text, shown

    # The official attaches the result; the citizen downloads it and sees its SHA-256.
    services.start_processing(dossier=dossier, actor=world.official, assignee=world.official)
    result_bytes = PDF_BYTES + b"%ket-qua\n"
    services.mark_result_ready(
        dossier=dossier,
        actor=world.official,
        result=CleanedUpload(
            name="phieu-ly-lich-tu-phap.pdf",
            content=SimpleUploadedFile("x.pdf", result_bytes, "application/pdf"),
            content_type="application/pdf",
            size=len(result_bytes),
            file_type="pdf",
        ),
    )
    page = text_of(detail(client, dossier))
    digest = hashlib.sha256(result_bytes).hexdigest()
    assert digest in page
    download = client.get(reverse("dossiers:result", args=[dossier.code]))
    assert b"".join(download.streaming_content) == result_bytes
    assert "phieu-ly-lich-tu-phap.pdf" in download["Content-Disposition"]


def test_nobody_else_reaches_the_receipt_the_result_or_the_payment_button(
    client, world, django_capture_on_commit_callbacks
):
    dossier = receive(
        world, submit(world.citizen, world.procedure, result_delivery=ResultDelivery.ONLINE)
    )
    client.force_login(world.citizen)
    pay_in_sandbox(client, dossier, "pay", django_capture_on_commit_callbacks)
    payment = Payment.objects.get(dossier=dossier)
    services.start_processing(dossier=dossier, actor=world.official, assignee=world.official)
    services.mark_result_ready(dossier=dossier, actor=world.official, result=cleaned_pdf())

    for url in (
        reverse("dossiers:receipt", args=[dossier.code, payment.reference]),
        reverse("dossiers:result", args=[dossier.code]),
        reverse("dossiers:detail", args=[dossier.code]),
    ):
        assert_only_the_owner_reaches(
            client, "get", url, owner=world.citizen, others=[world.other]
        )
    # The owner's click on a paid dossier only says so, on the dossier's page.
    assert_only_the_owner_reaches(
        client,
        "post",
        reverse("dossiers:pay", args=[dossier.code]),
        owner=world.citizen,
        others=[world.other],
        location=reverse("dossiers:detail", args=[dossier.code]),
        unchanged=lambda: list(Payment.objects.values_list("reference", "status")),
    )
    assert Payment.objects.count() == 1


def test_level_3_never_offers_online_payment(client, world):
    procedure = make_procedure(world.agency, level=3, code="2.000001", title="Thủ tục mức 3")
    dossier = receive(world, submit(world.citizen, procedure))
    client.force_login(world.citizen)
    page = text_of(detail(client, dossier))
    assert "50.000 đồng" in page
    assert "Thanh toán trực tuyến" not in page
    assert "nộp trực tiếp tại cơ quan" in page
    response = client.post(reverse("dossiers:pay", args=[dossier.code]), follow=True)
    assert "không thanh toán trực tuyến" in text_of(response)
    assert not Payment.objects.exists()


def test_a_cancelled_payment_is_retried_under_a_new_reference(
    client, world, django_capture_on_commit_callbacks
):
    dossier = receive(world, submit(world.citizen, world.procedure))
    client.force_login(world.citizen)
    result = pay_in_sandbox(client, dossier, "cancel", django_capture_on_commit_callbacks)
    assert "Bạn đã hủy giao dịch" in text_of(result)
    assert "Thanh toán trực tuyến 50.000 đồng" in text_of(detail(client, dossier))
    pay_in_sandbox(client, dossier, "pay", django_capture_on_commit_callbacks)
    first, second = Payment.objects.order_by("created_at")
    assert (first.status, second.status) == (PaymentStatus.CANCELLED, PaymentStatus.COMPLETED)
    assert first.reference != second.reference


def test_two_tabs_continue_one_payment_and_a_paid_dossier_cannot_be_paid_again(
    client, world, django_capture_on_commit_callbacks
):
    dossier = receive(world, submit(world.citizen, world.procedure))
    client.force_login(world.citizen)
    first = client.post(reverse("dossiers:pay", args=[dossier.code]))["Location"]
    second = client.post(reverse("dossiers:pay", args=[dossier.code]))["Location"]
    assert query_of(first)["vnp_TxnRef"] == query_of(second)["vnp_TxnRef"]
    assert Payment.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:sandbox"), {**query_of(first), "choice": "pay"})
    response = client.post(reverse("dossiers:pay", args=[dossier.code]), follow=True)
    assert "đã được thanh toán đủ" in text_of(response)
    assert Payment.objects.count() == 1


def test_fees_are_confirmed_with_a_reason_and_frozen_once_paid(
    client, world, django_capture_on_commit_callbacks
):
    dossier = submit(world.citizen, world.procedure)
    lines = list(dossier.fee_lines.all())
    client.force_login(world.official)
    url = reverse("forms_app_dossier_action", args=[dossier.pk, "receive"])
    changed = {f"fee_{line.pk}": 0 for line in lines} | {"note": ""}
    response = client.post(url, changed)
    assert response.status_code == 200
    assert "Vui lòng ghi lý do điều chỉnh phí, lệ phí." in html_of(response)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.SUBMITTED
    assert [line.amount for line in dossier.fee_lines.all()] == [50000, 100000, 150000]

    response = client.post(url, changed | {f"fee_{lines[0].pk}": "-5"})
    assert (
        response.status_code == 200
        and Dossier.objects.get(pk=dossier.pk).status == DossierStatus.SUBMITTED
    )

    receive(world, dossier)
    client.force_login(world.citizen)
    pay_in_sandbox(
        client, Dossier.objects.get(pk=dossier.pk), "pay", django_capture_on_commit_callbacks
    )
    from forms_app.finance.services import adjust_fees

    with pytest.raises(Exception, match="đã được thanh toán"):
        adjust_fees(dossier, actor=world.official, amounts={lines[0].pk: 1}, reason="Sửa nhầm")


def test_paying_with_the_submission_goes_straight_to_the_bank(world):
    procedure = make_procedure(
        world.agency, code="1.002820", title="Cấp Giấy phép lái xe quốc tế", pay_on_submission=True
    )
    dossier = submit(world.citizen, procedure)
    from forms_app.finance.summary import fee_summary

    summary = fee_summary(dossier)
    assert summary.confirmed and summary.payable and summary.outstanding == 50000


@pytest.mark.parametrize("how", ["reject", "withdraw"])
def test_a_paid_dossier_that_is_rejected_or_withdrawn_gets_a_refund_record(
    client, world, how, django_capture_on_commit_callbacks
):
    procedure = make_procedure(
        world.agency, code="1.002820", title="Cấp Giấy phép lái xe quốc tế", pay_on_submission=True
    )
    dossier = submit(world.citizen, procedure)
    client.force_login(world.citizen)
    pay_in_sandbox(client, dossier, "pay", django_capture_on_commit_callbacks)
    actions = {
        "reject": (
            world.official,
            lambda: services.reject_dossier(
                dossier=dossier, actor=world.official, reason="Không đủ điều kiện"
            ),
        ),
        "withdraw": (
            world.citizen,
            lambda: services.withdraw_dossier(dossier=dossier, actor=world.citizen),
        ),
    }
    actor, act = actions[how]
    act()
    refund = Refund.objects.get()
    assert (refund.amount, refund.status, refund.requested_by) == (
        50000,
        RefundStatus.PENDING,
        actor,
    )
    page = text_of(detail(client, dossier))
    assert "Hoàn trả 50.000 đồng" in page and "chờ hoàn trả" in page
    # Doing it again (a repeated click) makes no second refund.
    with contextlib.suppress(services.TransitionRefused):
        act()
    assert Refund.objects.count() == 1


def test_postal_results_show_the_tracking_number_and_completion_records_the_handover(
    client, world
):
    dossier = receive(world, submit(world.citizen, world.procedure, result_delivery="postal"))
    services.start_processing(dossier=dossier, actor=world.official, assignee=world.official)
    client.force_login(world.official)
    url = reverse("forms_app_dossier_action", args=[dossier.pk, "mark_result_ready"])
    upload = SimpleUploadedFile("ket-qua.pdf", PDF_BYTES, "application/pdf")
    response = client.post(url, {"note": "", "result": upload})
    assert "Trường này là bắt buộc." in html_of(response)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.PROCESSING
    upload = SimpleUploadedFile("ket-qua.pdf", PDF_BYTES, "application/pdf")
    response = client.post(url, {"note": "", "result": upload, "tracking_number": "EB123456789VN"})
    assert response.status_code == 302
    client.force_login(world.citizen)
    assert "EB123456789VN" in text_of(detail(client, dossier))
    assert client.get(reverse("dossiers:result", args=[dossier.code])).status_code == 404

    services.complete_dossier(
        dossier=dossier, actor=world.official, handover="postal", note="Bưu điện đã phát"
    )
    assert dossier.result.handed_over_via == ResultDelivery.POSTAL
    assert "Đã trả kết quả ngày" in text_of(detail(client, dossier))
