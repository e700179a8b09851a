"""The finance side of the officials' back office ("Thu phí"), through the test client:
payments and refunds of an official's own agencies only, recording that a refund was
paid back, and the fee report per agency and day with its CSV export."""

import csv
import datetime
import io
import itertools
import re
import zoneinfo
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from accounts.tests.factories import UserFactory
from core.tests.access import assert_only_the_owner_reaches
from forms_app.constants import EventKind
from forms_app.tests.officials import make_official, submit
from payments.constants import PaymentStatus, RefundStatus
from payments.models import Payment, Refund
from payments.services import request_refund
from procedures.tests.factories import make_agency, make_field, make_procedure

pytestmark = [pytest.mark.django_db, pytest.mark.any_hour]

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
PAYMENTS = "/admin/payments/payment/"
REFUNDS = "/admin/payments/refund/"
REPORT = "/admin/thu-phi/bao-cao/"
NOTIFICATION = {"vnp_TxnRef": "DVC1", "vnp_ResponseCode": "00", "vnp_OrderInfo": "Lệ phí"}
_references = itertools.count(1)


def local(day, hour, minute=0):
    """A moment of ``day`` (a date) in Việt Nam's time."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=VN)


def make_payment(dossier, *, amount=50_000, status=PaymentStatus.COMPLETED, at=None):
    """A payment row as the gateway would have left it."""
    at = at or timezone.now()
    done = status == PaymentStatus.COMPLETED
    return Payment.objects.create(
        reference=f"DVCTEST{next(_references):06d}",
        gateway="sandbox",
        amount=amount,
        description="Thanh toan phi le phi",
        status=status,
        created_at=at,
        expires_at=at + datetime.timedelta(minutes=15),
        completed_at=at + datetime.timedelta(minutes=2) if done else None,
        raw_notification=NOTIFICATION if status != PaymentStatus.STARTED else None,
        payer=dossier.applicant,
        dossier=dossier,
    )


def grant_refund_permission(user):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="payments", codename="change_refund")
    )


@pytest.fixture
def world():
    stp = make_agency()
    skhdt = make_agency("SKHDT", "Sở Kế hoạch và Đầu tư")
    birth = make_procedure(stp)
    business = make_procedure(
        skhdt,
        title="Đăng ký thành lập hộ kinh doanh",
        code="2.000720",
        field=make_field("HKD", "Thành lập và hoạt động của hộ kinh doanh"),
    )
    citizen = UserFactory(email="an@example.vn", verified=True)
    cashier = make_official(stp, "ketoan.stp@example.vn", "Đỗ Thị Hạnh")
    foreign_cashier = make_official(skhdt, "ketoan.skhdt@example.vn", "Vũ Văn Khoa")
    grant_refund_permission(cashier)
    grant_refund_permission(foreign_cashier)
    dossier = submit(citizen, birth)
    foreign = submit(citizen, business)
    payment = make_payment(dossier)
    foreign_payment = make_payment(foreign, amount=100_000)
    refund, _created = request_refund(
        payment=payment, amount=50_000, reason="Hồ sơ bị từ chối", actor=None
    )
    foreign_refund, _created = request_refund(
        payment=foreign_payment, amount=100_000, reason="Hồ sơ bị từ chối", actor=None
    )
    return SimpleNamespace(
        stp=stp,
        skhdt=skhdt,
        citizen=citizen,
        official=make_official(stp, "official.stp@example.vn", "Trần Thị Bình"),
        skhdt_official=make_official(skhdt, "official.skhdt@example.vn", "Phạm Thị Dung"),
        cashier=cashier,
        foreign_cashier=foreign_cashier,
        superuser=UserFactory(
            email="admin@example.vn", verified=True, is_staff=True, is_superuser=True
        ),
        dossier=dossier,
        foreign=foreign,
        payment=payment,
        foreign_payment=foreign_payment,
        refund=refund,
        foreign_refund=foreign_refund,
    )


def login(client, user):
    client.force_login(user)
    return client


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def payment_url(payment):
    return reverse("payments_payment_modeladmin_inspect", args=[payment.pk])


def refund_url(refund):
    return reverse("payments_refund_modeladmin_inspect", args=[refund.pk])


def done_url(refund):
    return reverse("forms_app_refund_done", args=[refund.pk])


def references_in(html):
    return set(re.findall(r"DVCTEST\d{6}", html))


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def content_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    raw = content_of(response)
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:10]  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def table_rows(html):
    """The report table's cells, row by row, as text."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [strip_tags(cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


# Who sees what --------------------------------------------------------------------------
def test_an_official_lists_only_their_agencys_payments_and_refunds(client, world):
    login(client, world.official)
    assert references_in(html_of(client.get(PAYMENTS))) == {world.payment.reference}
    assert references_in(html_of(client.get(REFUNDS))) == {world.payment.reference}
    login(client, world.skhdt_official)
    assert references_in(html_of(client.get(PAYMENTS))) == {world.foreign_payment.reference}
    assert references_in(html_of(client.get(REFUNDS))) == {world.foreign_payment.reference}


def test_a_superuser_lists_every_payment(client, world):
    login(client, world.superuser)
    expected = {world.payment.reference, world.foreign_payment.reference}
    assert references_in(html_of(client.get(PAYMENTS))) == expected
    assert references_in(html_of(client.get(REFUNDS))) == expected


def foreign_urls(world):
    """Every finance URL of another agency's payment and refund, with the methods and
    what that agency's own cashier is answered (recording the refund last)."""
    return [
        ("get", payment_url(world.foreign_payment), {}),
        ("get", refund_url(world.foreign_refund), {}),
        ("get", done_url(world.foreign_refund), {}),
        ("post", done_url(world.foreign_refund), {"location": refund_url(world.foreign_refund)}),
    ]


def test_another_agencys_payment_and_refund_are_not_found(client, world):
    # The cashier may record refunds, but only their own agency's; the control is that
    # agency's own cashier, at the same URLs.
    def foreign_refund():
        refund = Refund.objects.get(pk=world.foreign_refund.pk)
        return refund.status, refund.note

    for method, url, rightful in foreign_urls(world):
        assert_only_the_owner_reaches(
            client,
            method,
            url,
            owner=world.foreign_cashier,
            others=[world.cashier],
            data={"note": "UNC 0001"},
            unchanged=foreign_refund,
            **rightful,
        )
    assert foreign_refund() == (RefundStatus.REFUNDED, "UNC 0001")


def test_a_visitor_is_asked_to_log_in(client, world):
    for url in (PAYMENTS, payment_url(world.payment), done_url(world.refund), REPORT):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"]


def test_no_create_edit_delete_or_history_url_exists(client, world):
    login(client, world.superuser)
    for model, pk in (("payment", world.payment.pk), ("refund", world.refund.pk)):
        for path in (
            f"/admin/payments/{model}/create/",
            f"/admin/payments/{model}/edit/{pk}/",
            f"/admin/payments/{model}/delete/{pk}/",
            f"/admin/payments/{model}/history/{pk}/",
        ):
            assert client.get(path).status_code == 404, path
            assert client.post(path).status_code == 404, path
    html = html_of(client.get(PAYMENTS))
    assert "/edit/" not in html
    assert "/delete/" not in html
    assert Payment.objects.count() == 2


@pytest.mark.parametrize(
    "query",
    [
        "payer__password__startswith=pbkdf2",
        "dossier__lookup_key__startswith=A",
        "created_at__gte=x",
    ],
)
def test_only_the_declared_filters_reach_the_database(client, world, query):
    login(client, world.official)
    assert client.get(f"{PAYMENTS}?{query}").status_code == 400


def test_staff_who_are_not_officials_see_no_finance(client, world):
    editor = UserFactory(email="editor@example.vn", verified=True, is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    login(client, editor)
    for url in (PAYMENTS, REFUNDS, REPORT, f"{REPORT}?export=csv"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("wagtailadmin_home")
    assert REPORT not in html_of(client.get("/admin/"))
    login(client, world.official)
    assert REPORT in html_of(client.get("/admin/"))


# Payments -------------------------------------------------------------------------------
def test_the_payment_listing_shows_code_agency_amount_status_and_dates(client, world):
    login(client, world.official)
    html = html_of(client.get(PAYMENTS))
    created = timezone.localtime(world.payment.created_at)
    completed = timezone.localtime(world.payment.completed_at)
    for text in (
        world.payment.reference,
        world.dossier.code,
        "Sở Tư pháp",
        "50.000 đồng",
        "Đã thanh toán",
        f"{created:%d/%m/%Y %H:%M}",
        f"{completed:%d/%m/%Y %H:%M}",
    ):
        assert text in html, text
    assert "Sở Kế hoạch và Đầu tư" not in html


def test_the_payment_listing_filters_and_searches(client, world):
    failed = make_payment(
        world.dossier, status=PaymentStatus.FAILED, at=local(datetime.date(2025, 3, 9), 8)
    )
    login(client, world.official)
    assert references_in(html_of(client.get(PAYMENTS, {"status__exact": "failed"}))) == {
        failed.reference
    }
    assert references_in(
        html_of(
            client.get(
                PAYMENTS,
                {
                    "created_at__gte": "2025-03-09 00:00:00+07:00",
                    "created_at__lt": "2025-03-10 00:00:00+07:00",
                },
            )
        )
    ) == {failed.reference}
    assert references_in(html_of(client.get(PAYMENTS, {"q": failed.reference}))) == {
        failed.reference
    }
    by_code = references_in(html_of(client.get(PAYMENTS, {"q": world.dossier.code})))
    assert by_code == {world.payment.reference, failed.reference}
    # Searching for another agency's dossier finds nothing.
    assert references_in(html_of(client.get(PAYMENTS, {"q": world.foreign.code}))) == set()


def test_the_payment_inspect_page_shows_the_gateways_notification(client, world):
    login(client, world.official)
    html = html_of(client.get(payment_url(world.payment)))
    assert world.payment.reference in html
    assert world.dossier.code in html
    assert "50.000 đồng" in html
    assert "Thông báo từ cổng thanh toán" in html
    assert "&quot;vnp_ResponseCode&quot;: &quot;00&quot;" in html
    assert "Lệ phí" in html  # kept as the gateway sent it, not \u-escaped
    assert "Hồ sơ bị từ chối" in html  # its refund


# Refunds --------------------------------------------------------------------------------
def test_the_cashier_records_a_refund_paid_back(client, world):
    login(client, world.cashier)
    listing = html_of(client.get(REFUNDS))
    assert done_url(world.refund) in listing
    form = html_of(client.get(done_url(world.refund)))
    assert "Chứng từ hoàn trả" in form
    assert "50.000 đồng" in form

    response = client.post(done_url(world.refund), {"note": "  UNC 20250311-0001  "})

    assert response.status_code == 302
    assert response["Location"] == refund_url(world.refund)
    assert any("Đã ghi nhận hoàn trả" in message for message in messages_of(response))
    refund = Refund.objects.get(pk=world.refund.pk)
    assert refund.status == RefundStatus.REFUNDED
    assert refund.note == "UNC 20250311-0001"
    assert refund.refunded_by == world.cashier
    assert refund.refunded_at is not None
    page = html_of(client.get(refund_url(refund)))
    assert "Đã hoàn trả" in page
    assert "UNC 20250311-0001" in page
    assert "Đỗ Thị Hạnh" in page
    assert done_url(refund) not in html_of(client.get(REFUNDS))
    # The citizen reads it on the dossier's timeline.
    dossier = refund.payment.dossier
    assert [e.message for e in dossier.events.filter(kind=EventKind.REFUNDED)] == [
        f"50.000 đồng của giao dịch {refund.payment.reference}"
    ]


@pytest.mark.parametrize("note", ["", "   "])
def test_a_refund_without_its_voucher_is_refused_at_the_field(client, world, note):
    history = world.refund.history.count()
    login(client, world.cashier)

    response = client.post(done_url(world.refund), {"note": note})

    html = html_of(response)
    assert "Vui lòng ghi chứng từ hoàn trả" in html
    refund = Refund.objects.get(pk=world.refund.pk)
    assert refund.status == RefundStatus.PENDING
    assert refund.refunded_at is None
    assert refund.history.count() == history


def test_a_second_confirmation_is_told_and_changes_nothing(client, world):
    login(client, world.cashier)
    client.post(done_url(world.refund), {"note": "UNC 0001"})
    first = Refund.objects.get(pk=world.refund.pk)
    history = first.history.count()

    again = client.post(done_url(world.refund), {"note": "UNC 0002"})

    assert again.status_code == 302
    assert any("đã được ghi nhận hoàn trả trước đó" in m for m in messages_of(again))
    refund = Refund.objects.get(pk=world.refund.pk)
    assert (refund.note, refund.refunded_at) == ("UNC 0001", first.refunded_at)
    assert refund.history.count() == history
    assert client.get(done_url(world.refund)).status_code == 302


def test_an_official_without_the_permission_is_forbidden(client, world):
    login(client, world.official)  # of the right agency, without payments.change_refund
    assert done_url(world.refund) not in html_of(client.get(REFUNDS))
    assert client.get(done_url(world.refund)).status_code == 403
    response = client.post(done_url(world.refund), {"note": "UNC 0001"})
    assert response.status_code == 403
    assert "không có quyền" in response.content.decode()
    assert Refund.objects.get(pk=world.refund.pk).status == RefundStatus.PENDING


# The fee report -------------------------------------------------------------------------
DAY1, DAY2 = datetime.date(2025, 3, 10), datetime.date(2025, 3, 11)
PERIOD = {"tu_ngay": "2025-03-10", "den_ngay": "2025-03-11"}


@pytest.fixture
def two_days(world):
    """Payments of both agencies over two days, and a few just outside them."""
    stp, skhdt = world.dossier, world.foreign
    for dossier, status, amount, at in [
        (stp, PaymentStatus.COMPLETED, 50_000, local(DAY1, 9)),
        (stp, PaymentStatus.COMPLETED, 30_000, local(DAY1, 23, 30)),  # 16:30 UTC, still day 1
        (stp, PaymentStatus.FAILED, 50_000, local(DAY1, 10)),
        (stp, PaymentStatus.COMPLETED, 20_000, local(DAY2, 0, 30)),  # 17:30 UTC on day 1
        (stp, PaymentStatus.CANCELLED, 50_000, local(DAY2, 6, 30)),  # 23:30 UTC on day 1
        (stp, PaymentStatus.EXPIRED, 50_000, local(DAY2, 12)),
        (stp, PaymentStatus.STARTED, 50_000, local(DAY2, 13)),  # still paying: not counted
        (skhdt, PaymentStatus.COMPLETED, 100_000, local(DAY1, 14)),
        (skhdt, PaymentStatus.FAILED, 100_000, local(DAY1, 15)),
        (
            stp,
            PaymentStatus.COMPLETED,
            999_000,
            local(DAY1, 0, 0) - datetime.timedelta(minutes=10),
        ),
        (
            stp,
            PaymentStatus.COMPLETED,
            999_000,
            local(DAY2, 0, 0) + datetime.timedelta(days=1, minutes=10),
        ),
    ]:
        make_payment(dossier, status=status, amount=amount, at=at)
    return world


HEADING = [
    "Ngày",
    "Cơ quan",
    "Số giao dịch thành công",
    "Số tiền đã thu (đồng)",
    "Số giao dịch không thành công",
]


def test_the_report_counts_per_agency_and_local_day(client, two_days):
    login(client, two_days.superuser)
    html = html_of(client.get(REPORT, PERIOD))
    assert table_rows(html) == [
        ["10/03/2025", "Sở Kế hoạch và Đầu tư", "1", "100.000 đồng", "1"],
        ["10/03/2025", "Sở Tư pháp", "2", "80.000 đồng", "1"],
        ["11/03/2025", "Sở Tư pháp", "1", "20.000 đồng", "2"],
    ]
    assert "4 giao dịch thành công, tổng thu 200.000 đồng; 4 giao dịch không thành công" in html


def test_the_csv_export_holds_the_same_rows(client, two_days):
    login(client, two_days.superuser)
    response = client.get(REPORT, {**PERIOD, "export": "csv"})
    assert "bao-cao-thu-phi-20250310-20250311.csv" in response["Content-Disposition"]
    heading, *rows = csv_rows(response)
    assert heading == HEADING
    assert rows == [
        ["10/03/2025", "Sở Kế hoạch và Đầu tư", "1", "100000", "1"],
        ["10/03/2025", "Sở Tư pháp", "2", "80000", "1"],
        ["11/03/2025", "Sở Tư pháp", "1", "20000", "2"],
    ]


def test_an_official_reports_only_their_agency(client, two_days):
    login(client, two_days.skhdt_official)
    html = html_of(client.get(REPORT, PERIOD))
    assert table_rows(html) == [["10/03/2025", "Sở Kế hoạch và Đầu tư", "1", "100.000 đồng", "1"]]
    assert "Sở Tư pháp" not in html
    _heading, *rows = csv_rows(client.get(REPORT, {**PERIOD, "export": "csv"}))
    assert rows == [["10/03/2025", "Sở Kế hoạch và Đầu tư", "1", "100000", "1"]]
    login(client, two_days.official)
    _heading, *rows = csv_rows(client.get(REPORT, {**PERIOD, "export": "csv"}))
    assert {row[1] for row in rows} == {"Sở Tư pháp"}


def test_the_report_defaults_to_the_last_30_days(client, world):
    today = timezone.localdate(timezone=VN)
    login(client, world.official)
    html = html_of(client.get(REPORT))
    assert f'value="{today - datetime.timedelta(days=29):%d/%m/%Y}"' in html
    assert f'value="{today:%d/%m/%Y}"' in html
    assert table_rows(html) == [[f"{today:%d/%m/%Y}", "Sở Tư pháp", "1", "50.000 đồng", "0"]]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tu_ngay": "abc"}, "Ngày không hợp lệ"),
        ({"den_ngay": "31/02/2025"}, "Ngày không hợp lệ"),
        ({"tu_ngay": "0001-01-01"}, "Ngày phải trong khoảng từ năm 2000 đến năm 2099"),
        ({"den_ngay": "9999-12-31"}, "Ngày phải trong khoảng từ năm 2000 đến năm 2099"),
        ({"tu_ngay": "2025-03-12", "den_ngay": "2025-03-10"}, "phải bằng hoặc sau"),
    ],
)
def test_a_bad_date_is_a_field_error_not_a_server_error(client, two_days, params, message):
    login(client, two_days.superuser)
    html = html_of(client.get(REPORT, params))
    assert message in html
    assert "<tbody>" not in html
    # Nor is a spreadsheet made of it.
    response = client.get(REPORT, {**params, "export": "csv"})
    assert message in html_of(response)


def test_dates_are_also_read_as_written_in_vietnamese(client, two_days):
    login(client, two_days.superuser)
    html = html_of(client.get(REPORT, {"tu_ngay": "11/03/2025", "den_ngay": "11/03/2025"}))
    assert table_rows(html) == [["11/03/2025", "Sở Tư pháp", "1", "20.000 đồng", "2"]]


def count_queries(client, params):
    with CaptureQueriesContext(connection) as page:
        html_of(client.get(REPORT, params))
    with CaptureQueriesContext(connection) as export:
        csv_rows(client.get(REPORT, {**params, "export": "csv"}))
    return len(page), len(export)


def test_the_report_takes_the_same_queries_for_2_or_20_payments(client, world):
    start = datetime.date(2025, 1, 1)
    params = {"tu_ngay": "2025-01-01", "den_ngay": "2025-01-31"}
    login(client, world.superuser)
    for day in range(2):
        make_payment(world.dossier, at=local(start + datetime.timedelta(days=day), 9))
    client.get(REPORT, params)  # warm up what is read once per process
    few = count_queries(client, params)
    for day in range(18):
        dossier = world.foreign if day % 2 else world.dossier
        make_payment(dossier, at=local(start + datetime.timedelta(days=2 + day), 9))
    many = count_queries(client, params)
    assert many == few
    assert len(table_rows(html_of(client.get(REPORT, params)))) == 20
