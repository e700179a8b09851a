"""E-mails about a dossier's status: each says in Vietnamese what changed and what the
citizen should do; a late dossier's carries the apology letter of Decree 61/2018/NĐ-CP;
every e-mail, sent or not, is recorded on the dossier's timeline."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.tests.factories import UserFactory
from forms_app.constants import ENDED_WITHOUT_RESULT, DossierStatus, EventKind, ResultDelivery
from forms_app.documents.letters import apology_letter_pdf
from forms_app.models import SupplementItem, SupplementRequest
from forms_app.notifications import send_status_email
from forms_app.tests.factories import CODE, DETAIL_URL, LOOKUP_URL, make_dossier, pdf_text

pytestmark = pytest.mark.django_db

# The statuses a citizen is mailed about, with the name the e-mail gives each.
MAILED_STATUSES = [
    (DossierStatus.RECEIVED, "Đã tiếp nhận"),
    (DossierStatus.PROCESSING, "Đang xử lý"),
    (DossierStatus.SUPPLEMENT_REQUESTED, "Yêu cầu bổ sung"),
    (DossierStatus.SUPPLEMENTED, "Đã bổ sung"),
    (DossierStatus.RESULT_READY, "Đã có kết quả"),
    (DossierStatus.COMPLETED, "Đã trả kết quả"),
    (DossierStatus.REJECTED, "Từ chối"),
    (DossierStatus.WITHDRAWN, "Đã rút"),
]
APOLOGY_TITLE = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
REASON = "Cần xác minh thông tin với UBND xã"


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def dossier():
    return make_dossier(
        files=(),
        status=DossierStatus.RECEIVED,
        received_at=local(2026, 11, 30, 9, 0),
        due_at=local(2026, 12, 3, 17, 0),
    )


def send(dossier, **kwargs):
    return send_status_email(dossier, detail_url=DETAIL_URL, lookup_url=LOOKUP_URL, **kwargs)


def only_message():
    [message] = mail.outbox
    return message


@pytest.mark.parametrize(("status", "status_name"), MAILED_STATUSES)
def test_each_status_is_mailed_to_the_applicant_in_vietnamese(
    dossier, settings, status, status_name
):
    dossier.status = status
    if status in ENDED_WITHOUT_RESULT:
        # Rejected or withdrawn, a dossier keeps no appointment (the workflow clears it).
        dossier.due_at = None
    dossier.save()
    assert send(dossier, note=REASON) is True
    message = only_message()
    assert message.to == ["an@example.vn"]
    assert message.subject.startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    assert CODE in message.subject
    assert "\n" not in message.subject
    for expected in (
        f"Trạng thái hồ sơ: {status_name}",
        CODE,
        "Đăng ký khai sinh",
        "Sở Tư pháp",
        "Kính gửi Quý công dân,",
        DETAIL_URL,
        LOOKUP_URL,
    ):
        assert expected in message.body, expected
    assert "{%" not in message.body
    assert "{{" not in message.body
    [event] = dossier.events.all()
    assert event.kind == EventKind.EMAIL_SENT
    assert event.message == message.subject.removeprefix(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)


def test_the_received_email_gives_the_appointment(dossier):
    send(dossier)
    body = only_message().body
    assert "Đã tiếp nhận" in body
    assert "Ngày hẹn trả kết quả: 03/12/2026" in body
    assert "30/11/2026" in body


def test_the_email_falls_back_to_the_account_address(dossier):
    del dossier.applicant_data["email"]
    assert send(dossier)
    assert only_message().to == ["tai.khoan@example.vn"]


def supplement_request(dossier, requested_by=None):
    request = SupplementRequest.objects.create(
        dossier=dossier,
        requested_by=requested_by or UserFactory(),
        note="Các bản sao phải được chứng thực.",
        reply_by=datetime.date(2026, 12, 10),
    )
    SupplementItem.objects.create(
        request=request,
        component_id=1,
        label="Tờ khai đăng ký khai sinh",
        guidance="Ký và ghi rõ họ tên người đi đăng ký.",
    )
    SupplementItem.objects.create(
        request=request,
        field_name="ngay_sinh",
        label="Ngày sinh của trẻ",
        guidance="Ghi theo Giấy chứng sinh.",
    )
    return request


def test_the_supplement_email_lists_every_item_and_the_reply_by_date(dossier):
    dossier.status = DossierStatus.SUPPLEMENT_REQUESTED
    dossier.save()
    request = supplement_request(dossier)
    assert send(dossier, supplement=request)
    body = only_message().body
    for expected in (
        "Yêu cầu bổ sung",
        "1. Tờ khai đăng ký khai sinh",
        "Ký và ghi rõ họ tên người đi đăng ký.",
        "2. Ngày sinh của trẻ",
        "Ghi theo Giấy chứng sinh.",
        "Các bản sao phải được chứng thực.",
        "10/12/2026",
    ):
        assert expected in body, expected


def test_the_supplement_email_lists_the_latest_request_by_default(dossier):
    dossier.status = DossierStatus.SUPPLEMENT_REQUESTED
    dossier.save()
    official = UserFactory()
    supplement_request(dossier, official).items.update(label="Yêu cầu cũ")
    supplement_request(dossier, official)
    send(dossier)
    body = only_message().body
    assert "Ngày sinh của trẻ" in body
    assert "Yêu cầu cũ" not in body


def test_the_rejection_gives_the_reason(dossier):
    dossier.status = DossierStatus.REJECTED
    dossier.due_at = None
    dossier.save()
    send(dossier, note=REASON)
    assert f"Lý do: {REASON}" in only_message().body


@pytest.mark.parametrize(
    ("delivery", "address", "expected"),
    [
        (ResultDelivery.AT_AGENCY, "", "Bộ phận tiếp nhận và trả kết quả của Sở Tư pháp"),
        (ResultDelivery.POSTAL, "Số 1 Đường Lê Lợi", "đường bưu điện"),
        (ResultDelivery.ONLINE, "", "tải kết quả trong mục Hồ sơ cá nhân"),
    ],
)
def test_the_result_email_says_how_to_receive_it(dossier, delivery, address, expected):
    dossier.status = DossierStatus.RESULT_READY
    dossier.result_delivery = delivery
    dossier.delivery_address = address
    dossier.save()
    send(dossier)
    body = only_message().body
    assert expected in body
    assert dossier.get_result_delivery_display() in body
    assert address in body


def test_the_extension_email_carries_the_apology_letter(dossier, settings):
    dossier.status = DossierStatus.PROCESSING
    dossier.due_at = local(2026, 12, 8, 17, 0)
    dossier.save()
    apology = (datetime.date(2026, 12, 3), dossier.due_at)
    assert send(dossier, template="deadline_extended", apology=apology, note=REASON)
    message = only_message()
    assert CODE in message.subject
    for expected in ("Ngày hẹn trả kết quả mới: 08/12/2026", REASON, "Mong Ông/Bà thông cảm."):
        assert expected in message.body, expected
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == (f"phieu-xin-loi-{CODE}.pdf", "application/pdf")
    text = pdf_text(content)
    for expected in (
        APOLOGY_TITLE,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Nguyễn Văn Ân",
        CODE,
        "Đăng ký khai sinh",
        "30/11/2026",
        "03/12/2026",
        "08/12/2026",
        REASON,
        "Mong Ông/Bà thông cảm.",
    ):
        assert expected in " ".join(text.split()), expected
    [event] = dossier.events.all()
    assert event.kind == EventKind.EMAIL_SENT
    assert CODE in event.message


def test_the_apology_letter_prints_the_local_day_of_a_datetime(dossier):
    # 18:00 UTC on 3 December is already 4 December in Việt Nam.
    late_evening = datetime.datetime(2026, 12, 3, 18, 0, tzinfo=datetime.UTC)
    text = pdf_text(
        apology_letter_pdf(
            dossier,
            previous_due=late_evening,
            new_due=datetime.date(2026, 12, 9),
            reason="<b>Hồ sơ & giấy tờ</b>",
        )
    )
    assert "04/12/2026" in text
    assert "09/12/2026" in text
    assert "<b>Hồ sơ & giấy tờ</b>" in text


def test_a_mail_server_that_is_down_is_recorded_not_raised(dossier, settings, caplog):
    settings.EMAIL_BACKEND = "forms_app.tests.factories.RefusingBackend"
    assert (
        send(
            dossier,
            template="deadline_extended",
            apology=(datetime.date(2026, 12, 3), dossier.due_at),
            note=REASON,
        )
        is False
    )
    assert "ConnectionRefusedError" in caplog.text
    [event] = dossier.events.all()
    assert event.kind == EventKind.EMAIL_FAILED
    assert CODE in event.message
    assert event.message.endswith(": ConnectionRefusedError")


def test_no_email_is_sent_for_a_status_without_one(dossier):
    dossier.status = DossierStatus.DRAFT
    with pytest.raises(ValueError):
        send(dossier)
    assert not mail.outbox


def test_a_counter_dossier_without_an_address_is_recorded_not_raised(dossier):
    dossier.applicant = None
    del dossier.applicant_data["email"]
    dossier.save()
    assert send(dossier) is False
    assert not mail.outbox
    [event] = dossier.events.all()
    assert event.kind == EventKind.EMAIL_FAILED
    assert event.message.endswith(": NoAddress")


def test_an_apology_letter_that_cannot_be_made_is_recorded_not_raised(dossier, caplog):
    """The letter is built where the e-mail is sent (a worker): its failure goes on the
    dossier's timeline like a mail server's, where the official sees the citizen was not
    told."""
    assert (
        send(
            dossier,
            template="deadline_extended",
            apology=("03/12/2026", dossier.due_at),  # not a date: the letter cannot print it
            note=REASON,
        )
        is False
    )
    assert mail.outbox == []
    [event] = dossier.events.all()
    assert event.kind == EventKind.EMAIL_FAILED
    assert CODE in event.message
