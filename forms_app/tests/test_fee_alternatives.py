"""Fees that are alternatives are not a total (issue 13, section 4).

"Đăng ký khai sinh" charges nothing on time and 5.000 đồng late: until the official has
said which applies, the citizen sees the schedule and "Mức phí sẽ được xác định khi tiếp
nhận hồ sơ" — on the review step, the dossier page, the acknowledgement e-mail and PDF —
never a sum, and cannot pay; at receipt the official chooses, the form refusing what
makes no sense; then the citizen sees the confirmed lines, their total, and pays exactly
that."""

import io
import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from accounts.tests.factories import UserFactory
from forms_app import services
from forms_app.constants import DossierStatus, EventKind
from forms_app.finance.services import record_payment
from forms_app.finance.summary import fee_summary
from forms_app.models import Dossier
from forms_app.notifications import send_acknowledgement
from forms_app.tests.officials import make_official, submit
from forms_app.tests.test_paying_online import send, submission_key_of, walk_to_review
from payments.constants import PaymentStatus
from payments.models import FeeLine, Payment, Refund
from payments.tests.helpers import pay, query_of
from procedures.tests.factories import BIRTH_FEES, RECORD_FEES, make_agency, make_procedure

pytestmark = pytest.mark.django_db

PENDING = "Mức phí sẽ được xác định khi tiếp nhận hồ sơ."
SCHEDULE = (
    "Lệ phí đăng ký khai sinh đúng hạn: Không thu phí hoặc "
    "Lệ phí đăng ký khai sinh quá hạn: 5.000 đồng"
)
# The same, as a page lays it out: the group under its heading, each rate with its note.
PAGE_SCHEDULE = (
    "Một trong các mức sau, tùy trường hợp áp dụng: Lệ phí đăng ký khai sinh đúng hạn: "
    "Không thu phí — Miễn lệ phí khi đăng ký trong 60 ngày kể từ ngày sinh. hoặc "
    "Lệ phí đăng ký khai sinh quá hạn: 5.000 đồng"
)
LOOKUP = "https://dichvucong.example.vn/tra-cuu-ho-so/"
DETAIL = "https://dichvucong.example.vn/ho-so/"


@pytest.fixture
def world(settings):
    settings.PAYMENT_GATEWAY = "sandbox"
    agency = make_agency()
    return SimpleNamespace(
        agency=agency,
        birth=make_procedure(agency, fees=BIRTH_FEES),
        record=make_procedure(
            agency, code="2.000488", title="Cấp Phiếu lý lịch tư pháp", fees=RECORD_FEES
        ),
        citizen=UserFactory(verified=True, full_name="Nguyễn Văn An"),
        official=make_official(agency, "official.stp@example.com"),
    )


def text_of(response):
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def squeeze(text):
    return " ".join(text.split())


def detail(client, dossier):
    return text_of(client.get(reverse("dossiers:detail", args=[dossier.code])))


def pdf_text(content):
    return squeeze(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def lines_of(dossier):
    return [
        (line.name, line.amount, line.condition, line.alternative_group, line.applies)
        for line in FeeLine.objects.filter(dossier=dossier)
    ]


def receive_url(dossier):
    return reverse("forms_app_dossier_action", args=[dossier.pk, "receive"])


def receive_form_data(dossier, *, chosen=(), **amounts):
    """The receive form as the official posts it: the schedule's amounts, the boxes of
    the lines named in ``chosen`` ticked."""
    data = {"note": "", "fee_reason": ""}
    for line in dossier.fee_lines.all():
        data[f"fee_{line.pk}"] = str(amounts.get(line.name, line.amount))
        if line.name in chosen:
            data[f"fee_{line.pk}_applies"] = "on"
    return data


def field_errors(response, field):
    return [str(error) for error in response.context["form"].errors.get(field, [])]


# Before receipt: the schedule, never a sum -----------------------------------------------


def test_the_snapshot_and_the_dossiers_fee_lines_keep_how_each_fee_is_owed(world):
    dossier = submit(world.citizen, world.record)
    assert dossier.snapshot["fees"] == [
        {
            "name": "Phí cung cấp thông tin lý lịch tư pháp",
            "amount": 200000,
            "note": "",
            "condition": "alternative",
            "group": 1,
        },
        {
            "name": "Phí cung cấp thông tin lý lịch tư pháp (sinh viên, người có công)",
            "amount": 100000,
            "note": "",
            "condition": "alternative",
            "group": 1,
        },
        {
            "name": "Phí cấp từ Phiếu thứ 3 trở đi",
            "amount": 5000,
            "note": "Khi đề nghị cấp trên 02 Phiếu trong một lần yêu cầu.",
            "condition": "conditional",
            "group": None,
        },
    ]
    # Undecided until the official rules on them: no total, nothing to pay.
    assert [applies for *_rest, applies in lines_of(dossier)] == [None, None, None]
    # A later edit of the page does not change what the dossier was submitted against.
    world.record.fees.update(condition="always", alternative_group=None)
    assert dossier.snapshot["fees"][0]["condition"] == "alternative"


def test_the_review_step_shows_the_schedule_and_no_total(client, world):
    client.force_login(world.citizen)
    page = text_of(walk_to_review(client, world.birth))
    assert PAGE_SCHEDULE in page
    assert PENDING in page
    assert "Tổng cộng" not in page
    assert "thu phí, lệ phí ngay khi nộp hồ sơ" not in page


def test_a_schedule_of_fees_always_owed_still_shows_its_total_on_the_review_step(client, world):
    procedure = make_procedure(world.agency, code="2.000001", title="Thủ tục khác", fees=2)
    client.force_login(world.citizen)
    page = text_of(walk_to_review(client, procedure))
    assert "Tổng cộng: 150.000 đồng" in page
    assert PENDING not in page


def test_the_dossier_page_shows_the_schedule_and_cannot_pay(client, world):
    dossier = submit(world.citizen, world.birth)
    client.force_login(world.citizen)
    page = detail(client, dossier)
    assert PAGE_SCHEDULE in page and PENDING in page
    assert "Tổng cộng" not in page
    assert "Thanh toán trực tuyến" not in page
    assert "chưa xác nhận mức phí" in page

    response = client.post(reverse("dossiers:pay", args=[dossier.code]), follow=True)
    assert "chưa xác nhận mức phí" in text_of(response)
    assert not Payment.objects.exists()


def test_the_acknowledgement_email_and_pdf_show_the_schedule_and_no_total(world):
    dossier = submit(world.citizen, world.birth)
    assert send_acknowledgement(dossier, lookup_url=LOOKUP, detail_url=DETAIL)
    [message] = mail.outbox
    body = squeeze(message.body)
    assert "Phí, lệ phí" in body and SCHEDULE in body and PENDING in body
    assert "Tổng cộng" not in body
    html = squeeze(re.sub(r"<[^>]+>", " ", message.alternatives[0][0]))
    assert SCHEDULE in html and PENDING in html
    [(_name, content, _type)] = message.attachments
    text = pdf_text(content)
    assert SCHEDULE in text and PENDING in text
    assert "Tổng" not in text


def test_an_acknowledgement_with_fees_always_owed_gives_their_total(world):
    procedure = make_procedure(world.agency, code="2.000001", title="Thủ tục khác", fees=2)
    dossier = submit(world.citizen, procedure)
    send_acknowledgement(dossier, lookup_url=LOOKUP, detail_url=DETAIL)
    body = squeeze(mail.outbox[0].body)
    assert "Lệ phí 1: 50.000 đồng" in body and "Tổng cộng: 150.000 đồng" in body
    assert PENDING not in body


# Paying: only the confirmed amount -------------------------------------------------------


def test_an_unconfirmed_schedule_with_alternatives_cannot_be_paid(world):
    dossier = submit(world.citizen, world.birth)
    summary = fee_summary(dossier)
    assert summary.total is None and not summary.payable and summary.outstanding == 0
    with pytest.raises(ValidationError, match="chưa xác nhận mức phí"):
        services.start_dossier_payment(
            dossier=dossier, actor=world.citizen, client_ip="127.0.0.1", return_url=LOOKUP
        )
    assert not Payment.objects.exists()


def test_a_procedure_flagged_to_collect_with_the_submission_still_waits_for_the_agency(
    client, world
):
    """A page saved with "nộp phí ngay khi nộp hồ sơ" before the rule existed: "Gửi đi"
    opens the dossier, not the bank, and the dossier pays only after receipt."""
    procedure = make_procedure(
        world.agency, code="1.000001", title="Thủ tục cũ", fees=BIRTH_FEES, pay_on_submission=True
    )
    client.force_login(world.citizen)
    review = walk_to_review(client, procedure)
    assert "ngay khi nộp hồ sơ" not in text_of(review)
    response = send(client, procedure, submission_key_of(review))
    dossier = Dossier.objects.exclude(status=DossierStatus.DRAFT).get(applicant=world.citizen)
    assert response["Location"] == reverse("dossiers:detail", args=[dossier.code])
    assert not Payment.objects.exists()
    assert not fee_summary(dossier).payable


def test_the_citizen_pays_exactly_the_confirmed_total(
    client, world, django_capture_on_commit_callbacks
):
    dossier = submit(world.citizen, world.record)
    line = {name: pk for pk, name in dossier.fee_lines.values_list("pk", "name")}
    services.receive_dossier(
        dossier=dossier,
        actor=world.official,
        fee_applies={
            line["Phí cung cấp thông tin lý lịch tư pháp"]: True,
            line["Phí cung cấp thông tin lý lịch tư pháp (sinh viên, người có công)"]: False,
            line["Phí cấp từ Phiếu thứ 3 trở đi"]: True,
        },
    )
    client.force_login(world.citizen)
    page = detail(client, dossier)
    assert "Phí cung cấp thông tin lý lịch tư pháp 200.000 đồng" in page
    assert "Phí cấp từ Phiếu thứ 3 trở đi 5.000 đồng" in page
    assert "Tổng cộng 205.000 đồng" in page
    assert "sinh viên, người có công" not in page.split("Quá trình xử lý")[0]
    assert "Thanh toán trực tuyến 205.000 đồng" in page

    bank_url = client.post(reverse("dossiers:pay", args=[dossier.code]))["Location"]
    assert query_of(bank_url)["vnp_Amount"] == "20500000"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:sandbox"), {**query_of(bank_url), "choice": "pay"})
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.status, payment.amount) == (PaymentStatus.COMPLETED, 205000)
    assert payment.amount == fee_summary(dossier).total
    assert not Refund.objects.exists()

    receipt = client.get(reverse("dossiers:receipt", args=[dossier.code, payment.reference]))
    text = pdf_text(receipt.content)
    assert "205.000 đồng" in text
    assert "Hai trăm linh năm nghìn đồng" in text
    assert "sinh viên" not in text and "100.000 đồng" not in text


def test_a_duplicate_payment_is_measured_against_the_confirmed_total(world):
    """The unchosen rate (100.000) and the conditional line not applied (5.000) count 0:
    a second payment of the confirmed 200.000 is refunded in full."""
    dossier = submit(world.citizen, world.record)
    first, second, copies = dossier.fee_lines.all()
    services.receive_dossier(
        dossier=dossier,
        actor=world.official,
        fee_applies={first.pk: True, second.pk: False, copies.pk: False},
    )
    payments = []
    for n in range(2):
        # The first through the dossier page; the second as if from a tab opened before
        # the first completed (the dossier page would not offer it any more).
        if n == 0:
            payment, _url = services.start_dossier_payment(
                dossier=dossier, actor=world.citizen, client_ip="127.0.0.1", return_url=LOOKUP
            )
        else:
            payment, _url = pay(world.citizen, amount=200000, dossier=dossier)
        Payment.objects.filter(pk=payment.pk).update(
            status=PaymentStatus.COMPLETED, gateway_transaction_no=f"T{n}"
        )
        payment.refresh_from_db()
        payments.append(payment)
        record_payment(payment)
    assert [p.amount for p in payments] == [200000, 200000]
    refund = Refund.objects.get()
    assert (refund.payment, refund.amount) == (payments[1], 200000)


# The official's choice at receipt --------------------------------------------------------


def test_the_receive_form_asks_which_alternative_applies(client, world):
    dossier = submit(world.citizen, world.birth)
    client.force_login(world.official)
    page = text_of(client.get(receive_url(dossier)))
    assert "Đánh dấu “Áp dụng” cho các khoản hồ sơ này phải nộp" in page
    assert "Áp dụng: Lệ phí đăng ký khai sinh đúng hạn" in page
    assert "Áp dụng: Lệ phí đăng ký khai sinh quá hạn" in page
    assert "mức không đánh dấu tính 0 đồng" in page


@pytest.mark.parametrize(
    ("chosen", "amounts", "field", "message"),
    [
        (
            (),
            {},
            "đúng hạn",
            "Chọn một mức áp dụng trong các mức thay thế nhau: “Lệ phí đăng ký khai sinh đúng "
            "hạn”, “Lệ phí đăng ký khai sinh quá hạn”.",
        ),
        (
            ("Lệ phí đăng ký khai sinh đúng hạn", "Lệ phí đăng ký khai sinh quá hạn"),
            {},
            "quá hạn",
            "“Lệ phí đăng ký khai sinh đúng hạn” và “Lệ phí đăng ký khai sinh quá hạn” là các "
            "mức thay thế nhau: chỉ áp dụng một mức.",
        ),
        (
            ("Lệ phí đăng ký khai sinh đúng hạn",),
            {"Lệ phí đăng ký khai sinh quá hạn": 7000},
            "quá hạn amount",
            "Khoản không áp dụng được tính 0 đồng",
        ),
    ],
    ids=["none chosen", "both chosen", "amount of an unchosen rate"],
)
def test_a_nonsensical_choice_is_refused_at_its_field_and_changes_nothing(
    client, world, chosen, amounts, field, message
):
    dossier = submit(world.citizen, world.birth)
    on_time, late = dossier.fee_lines.all()
    fields = {
        "đúng hạn": f"fee_{on_time.pk}_applies",
        "quá hạn": f"fee_{late.pk}_applies",
        "quá hạn amount": f"fee_{late.pk}",
    }
    before = lines_of(dossier)
    client.force_login(world.official)
    data = receive_form_data(dossier, chosen=chosen)
    data.update({f"fee_{late.pk}": str(a) for a in amounts.values()})

    response = client.post(receive_url(dossier), data)

    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, fields[field])), (
        response.context["form"].errors
    )
    assert message in squeeze(response.content.decode().replace("&ldquo;", "“"))
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.SUBMITTED
    assert lines_of(dossier) == before


def test_choosing_the_late_rate_confirms_five_thousand_dong(
    client, world, django_capture_on_commit_callbacks
):
    dossier = submit(world.citizen, world.birth)
    client.force_login(world.official)
    response = client.post(
        receive_url(dossier),
        receive_form_data(dossier, chosen=("Lệ phí đăng ký khai sinh quá hạn",)),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert lines_of(dossier) == [
        ("Lệ phí đăng ký khai sinh đúng hạn", 0, "alternative", 1, False),
        ("Lệ phí đăng ký khai sinh quá hạn", 5000, "alternative", 1, True),
    ]
    # The history of the lines says who decided, and why.
    late = FeeLine.objects.get(dossier=dossier, name__endswith="quá hạn")
    record = late.history.first()
    assert (record.applies, record.history_user) == (True, world.official)
    assert record.history_change_reason == "Xác định khoản phí, lệ phí áp dụng khi tiếp nhận hồ sơ"
    event = dossier.events.get(kind=EventKind.FEES_ADJUSTED)
    assert event.message == (
        "Khoản áp dụng: Lệ phí đăng ký khai sinh quá hạn: 5.000 đồng. "
        "Tổng phí, lệ phí: 5.000 đồng."
    )

    client.force_login(world.citizen)
    page = detail(client, dossier)
    assert "Lệ phí đăng ký khai sinh quá hạn 5.000 đồng" in page
    assert "Tổng cộng 5.000 đồng" in page
    assert PENDING not in page
    assert "Thanh toán trực tuyến 5.000 đồng" in page
    assert "Khoản áp dụng: Lệ phí đăng ký khai sinh quá hạn: 5.000 đồng" in page  # timeline

    # The acknowledgement downloaded now states the confirmed fee.
    text = pdf_text(client.get(reverse("dossiers:acknowledgement", args=[dossier.code])).content)
    assert "Lệ phí đăng ký khai sinh quá hạn: 5.000 đồng" in text
    assert "Tổng phí, lệ phí 5.000 đồng" in text
    assert "đúng hạn" not in text and PENDING not in text


def test_choosing_the_rate_on_time_leaves_nothing_to_pay(client, world):
    dossier = submit(world.citizen, world.birth)
    on_time, late = dossier.fee_lines.all()
    services.receive_dossier(
        dossier=dossier, actor=world.official, fee_applies={on_time.pk: True, late.pk: False}
    )
    client.force_login(world.citizen)
    page = detail(client, dossier)
    assert "Lệ phí đăng ký khai sinh đúng hạn Không thu phí" in page
    assert "Tổng cộng Không thu phí" in page
    assert "Thanh toán trực tuyến" not in page
    assert fee_summary(dossier).refusal() == "Hồ sơ này không phải nộp phí, lệ phí."


def test_the_service_refuses_to_receive_without_the_choice(world):
    dossier = submit(world.citizen, world.birth)
    with pytest.raises(ValidationError, match="Chưa xác định khoản"):
        services.receive_dossier(dossier=dossier, actor=world.official)
    on_time, late = dossier.fee_lines.all()
    with pytest.raises(ValidationError, match="chỉ áp dụng một mức"):
        services.receive_dossier(
            dossier=dossier, actor=world.official, fee_applies={on_time.pk: True, late.pk: True}
        )
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.SUBMITTED
    assert [applies for *_rest, applies in lines_of(dossier)] == [None, None]


def test_a_long_reason_for_an_adjusted_fee_is_kept_whole(world):
    dossier = submit(world.citizen, world.birth)
    on_time, late = dossier.fee_lines.all()
    reason = "Người yêu cầu thuộc hộ nghèo, được miễn lệ phí theo Nghị quyết của HĐND tỉnh. " * 3
    services.receive_dossier(
        dossier=dossier,
        actor=world.official,
        fee_applies={on_time.pk: False, late.pk: True},
        fee_amounts={late.pk: 0},
        fee_reason=reason,
    )
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.RECEIVED
    assert reason.strip() in dossier.events.get(kind=EventKind.FEES_ADJUSTED).message
    assert fee_summary(dossier).total == 0


# Amounts as the official types them -------------------------------------------------------


@pytest.mark.parametrize("typed", ["200.000", "200000", "200 000", "200.000 đồng"])
def test_an_amount_typed_with_dots_is_read_in_thousands(client, world, typed):
    """ "200.000" is two hundred thousand đồng. Django's IntegerField read it as 200 (it
    drops ".000" as decimals): a fee confirmed a thousand times too small."""
    dossier = submit(world.citizen, world.record)
    client.force_login(world.official)
    full = dossier.fee_lines.get(name="Phí cung cấp thông tin lý lịch tư pháp")
    data = receive_form_data(dossier, chosen=(full.name,))
    data[f"fee_{full.pk}"] = typed

    response = client.post(receive_url(dossier), data)

    assert response.status_code == 302, response.context["form"].errors
    assert FeeLine.objects.get(pk=full.pk).amount == 200_000


@pytest.mark.parametrize("typed", ["200.0", "5.000,5", "hai trăm nghìn", "-5000"])
def test_an_amount_that_is_not_whole_dong_is_refused_at_its_field(client, world, typed):
    dossier = submit(world.citizen, world.record)
    client.force_login(world.official)
    full = dossier.fee_lines.get(name="Phí cung cấp thông tin lý lịch tư pháp")
    data = receive_form_data(dossier, chosen=(full.name,))
    data[f"fee_{full.pk}"] = typed

    response = client.post(receive_url(dossier), data)

    assert response.status_code == 200
    assert field_errors(response, f"fee_{full.pk}") == [
        "Số tiền không hợp lệ: nhập số đồng, ví dụ 50.000."
    ]
    dossier.refresh_from_db()
    assert dossier.status == "submitted" and FeeLine.objects.get(pk=full.pk).amount == 200_000


def test_the_receive_form_shows_amounts_as_they_are_written(client, world):
    dossier = submit(world.citizen, world.record)
    client.force_login(world.official)
    html = client.get(receive_url(dossier)).content.decode()
    full = dossier.fee_lines.get(name="Phí cung cấp thông tin lý lịch tư pháp")
    assert f'name="fee_{full.pk}" value="200.000"' in html
