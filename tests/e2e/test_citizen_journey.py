"""A citizen's whole level-4 journey in a real browser, against the live server: sign up,
activate from the e-mail, log in, submit a dossier with files through the wizard,
follow it, supplement it when asked, pay in the sandbox bank, download the result.

What the official does in between goes through ``forms_app.services`` (the official's
own screens are ``test_official_journey``)."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from forms_app import services
from forms_app.constants import DossierStatus
from forms_app.models import Dossier
from forms_app.submission.uploads import clean_upload
from forms_app.tests.officials import make_official
from payments.constants import PaymentStatus
from payments.models import Payment
from tests.e2e.helpers import (
    AGENCY_TITLE,
    BIRTH_DATE_TYPED,
    FEE_TEXT,
    PASSWORD,
    PROCEDURE_TITLE,
    assert_stylesheets_load,
    build_catalogue,
    click_and_wait,
    log_in,
    pdf_bytes,
    reply_by,
    sha256_of,
    start_wizard,
    walk_wizard,
    write_pdf,
)

pytestmark = pytest.mark.usefixtures("transactional_db", "sandbox_payments")

CITIZEN = {
    "full_name": "Lê Thị Hoa",
    "email": "le.thi.hoa@example.vn",
    "cccd": "038190000123",
    "phone": "0912 345 678",
}
RESULT = pdf_bytes("Giấy khai sinh bản điện tử")


def css_loaded(page):
    """The portal's stylesheet really came from the live server and applies: the header
    is the stylesheet's blue, not the browser's transparent default."""
    assert_stylesheets_load(page)
    color = page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert color not in ("rgba(0, 0, 0, 0)", "transparent"), color
    assert page.locator(".skip-link").evaluate("e => getComputedStyle(e).position") == "absolute"


def official_work(official, dossier, action, **kwargs):
    """One step of the official's work, through the same services as the admin."""
    function = getattr(services, action)
    return function(dossier=Dossier.objects.get(pk=dossier.pk), actor=official, **kwargs)


def test_a_citizen_registers_submits_supplements_pays_and_downloads_the_result(
    live_server, open_page, shots, tmp_path
):
    agency, _commune, _procedure = build_catalogue()
    official = make_official(agency, "can.bo.stp@example.vn", full_name="Trần Thị Cán Bộ")
    page = open_page()

    # The home page, with the portal's stylesheet.
    page.goto("/")
    css_loaded(page)
    shots(page, "trang-chu")

    # Sign-up.
    click_and_wait(
        page, page.get_by_role("navigation", name="Tài khoản").get_by_role("link", name="Đăng ký")
    )
    expect(page.locator("h1")).to_have_text("Đăng ký tài khoản")
    form = page.locator("main form")
    form.locator("input[name=full_name]").fill(CITIZEN["full_name"])
    form.locator("input[name=email]").fill(CITIZEN["email"])
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.locator("input[name=cccd]").fill(CITIZEN["cccd"])
    form.locator("input[name=phone]").fill(CITIZEN["phone"])
    shots(page, "dang-ky")
    click_and_wait(page, form.get_by_role("button", name="Đăng ký"))
    expect(page.locator("h1")).to_have_text("Kiểm tra email để kích hoạt tài khoản")
    shots(page, "kiem-tra-email")

    # Activation: the link from the e-mail, then the confirm button (a GET alone does not
    # activate, so that mail scanners cannot).
    assert [m.to for m in mail.outbox] == [[CITIZEN["email"]]]
    link = re.search(r"https?://[^\s]+(/tai-khoan/confirm-email/[^\s/]+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    page.goto(link.group(1))
    expect(page.locator("h1")).to_have_text("Kích hoạt tài khoản")
    shots(page, "kich-hoat")
    click_and_wait(page, page.get_by_role("button", name="Xác nhận và kích hoạt"))
    shots(page, "da-kich-hoat")

    # The link opened again (from the mail, later): it says so and offers the login.
    page.goto(link.group(1))
    expect(page.locator("main")).to_contain_text("Địa chỉ email này đã được xác nhận.")
    shots(page, "kich-hoat-lan-hai")
    click_and_wait(page, page.locator("main").get_by_role("link", name="Đăng nhập"))

    # Log in.
    log_in(page, CITIZEN["email"], shots=shots)
    expect(page.locator(".account-nav__name")).to_have_text(CITIZEN["full_name"])
    shots(page, "da-dang-nhap")

    # "Nộp hồ sơ trực tuyến" → the agency → the procedure → the wizard's six steps.
    start_wizard(page)

    def on_step(page, step):
        if step == "tiep-nhan-ho-so":  # pre-filled from the sign-up
            expect(page.locator("input[name='tiep-nhan-ho-so-full_name']")).to_have_value(
                CITIZEN["full_name"]
            )
        shots(page, f"buoc-{step}")

    steps = walk_wizard(page, tmp_path, on_step=on_step)
    assert steps == [
        "co-quan",
        "tiep-nhan-ho-so",
        "to-khai",
        "thanh-phan-ho-so",
        "nhan-ket-qua",
        "xac-nhan",
    ]
    match = re.search(r"/ho-so/([\w-]+)/$", page.url)
    assert match, page.url
    code = match.group(1)
    assert re.fullmatch(r"STP-\d{6}-0001", code)
    expect(page.locator("dl.facts")).to_contain_text("Chờ tiếp nhận")
    shots(page, "da-gui-ho-so")
    dossier = Dossier.objects.get(code=code)
    assert dossier.applicant.email == CITIZEN["email"]
    assert dossier.files.count() == 2 and dossier.result_delivery == "online"
    # "20/11/2026" typed day first is 20 November, and is shown as the citizen typed it.
    assert dossier.form_data["ngay_thang_nam_sinh"] == "2026-11-20"
    expect(page.locator("main")).to_contain_text(BIRTH_DATE_TYPED)
    assert any(code in m.subject for m in mail.outbox)  # the acknowledgement

    # "Hồ sơ cá nhân" lists it; the dossier page shows the status.
    click_and_wait(
        page,
        page.get_by_role("navigation", name="Tài khoản").get_by_role("link", name="Hồ sơ cá nhân"),
    )
    row = page.locator("tbody tr", has_text=code)
    expect(row).to_contain_text("Chờ tiếp nhận")
    expect(row).to_contain_text(PROCEDURE_TITLE)
    expect(row).to_contain_text(AGENCY_TITLE)
    shots(page, "ho-so-ca-nhan")

    # The official receives it (confirming the fee), assigns it, asks for a supplement.
    official_work(official, dossier, "receive_dossier")
    official_work(official, dossier, "start_processing", assignee=official)
    component = dossier.snapshot["components"][0]
    official_work(
        official,
        dossier,
        "request_supplement",
        items=[{"component_id": component["id"], "guidance": "Bản chụp bị mờ, chụp lại rõ nét."}],
        note="Vui lòng bổ sung trong hạn.",
        reply_by=reply_by(),
    )
    assert any("bổ sung" in m.subject.lower() for m in mail.outbox)

    page.reload()
    expect(page.locator("tbody tr", has_text=code)).to_contain_text("Yêu cầu bổ sung")
    click_and_wait(page, page.get_by_role("link", name=code))
    expect(page.locator("dl.facts")).to_contain_text("Yêu cầu bổ sung")
    request = page.get_by_role("region", name="Yêu cầu bổ sung hồ sơ")
    expect(request).to_contain_text("Bản chụp bị mờ, chụp lại rõ nét.")
    shots(page, "yeu-cau-bo-sung")

    # The citizen supplements the component asked for.
    request.locator("input[type=file]").set_input_files(
        write_pdf(tmp_path, "giay-to-1-ro-net.pdf", "bản rõ nét")
    )
    click_and_wait(page, request.get_by_role("button", name="Gửi bổ sung"))
    expect(page.locator("dl.facts")).to_contain_text("Đã bổ sung")
    expect(page.locator("main")).to_contain_text("giay-to-1-ro-net.pdf")
    shots(page, "da-bo-sung")

    # Pay in the sandbox bank: "Thanh toán trực tuyến", then "Thanh toán" at the bank;
    # the bank notifies the IPN server to server before sending the browser back.
    click_and_wait(page, page.get_by_role("button", name=f"Thanh toán trực tuyến {FEE_TEXT}"))
    expect(page.locator("h1")).to_have_text("Ngân hàng mô phỏng")
    expect(page.locator("dl.facts")).to_contain_text(FEE_TEXT)
    shots(page, "ngan-hang-mo-phong")
    click_and_wait(page, page.get_by_role("button", name="Thanh toán", exact=True))
    expect(page.get_by_role("status")).to_contain_text("Đã thanh toán")
    shots(page, "ket-qua-thanh-toan")
    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == PaymentStatus.COMPLETED and payment.amount == 50000

    click_and_wait(page, page.get_by_role("link", name="Quay lại hồ sơ"))
    fees = page.locator("section.dossier-fees")
    expect(fees).to_contain_text("Đã thanh toán")
    expect(page.get_by_role("button", name=re.compile("Thanh toán trực tuyến"))).to_have_count(0)
    receipt = fees.get_by_role("link", name=re.compile(r"Biên lai thu phí, lệ phí .* \(PDF\)"))
    expect(receipt).to_be_visible()
    shots(page, "da-thanh-toan")
    response = page.request.get(receipt.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # The official goes on, and marks the result ready with its file.
    official_work(official, dossier, "resume_processing")
    upload = SimpleUploadedFile("giay-khai-sinh.pdf", RESULT, "application/pdf")
    official_work(
        official,
        dossier,
        "mark_result_ready",
        result=clean_upload(upload, accepted_types=["pdf"], max_size=10**6),
    )

    # The citizen downloads it from the dossier page, and can check its SHA-256.
    page.reload()
    expect(page.locator("dl.facts")).to_contain_text("Đã có kết quả")
    result = page.get_by_role("region", name="Kết quả giải quyết")
    expect(result).to_contain_text(sha256_of(RESULT))
    shots(page, "co-ket-qua")
    with page.expect_download() as download_info:
        result.get_by_role("link", name="Tải kết quả: giay-khai-sinh.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "giay-khai-sinh.pdf"
    download.save_as(tmp_path / "downloaded.pdf")
    assert (tmp_path / "downloaded.pdf").read_bytes() == RESULT
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESULT_READY


def test_an_unverified_citizen_is_asked_to_activate_before_the_wizard(
    live_server, open_page, shots
):
    """Logged in but not activated: the wizard answers with the reminder, not a form."""
    build_catalogue()
    UserFactory(email="chua.kich.hoat@example.vn", verified=False)
    page = open_page()
    log_in(page, "chua.kich.hoat@example.vn")
    expect(page.locator(".messages")).to_contain_text("chưa được xác thực")
    start_wizard(page)
    shots(page, "can-kich-hoat")
    expect(page.locator("#wizard-form")).to_have_count(0)
