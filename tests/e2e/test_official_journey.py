"""An official's day in the Wagtail admin, in a real browser against the live server:
log in, "Hồ sơ", filter, open a dossier, receive it (confirming the fees), assign it,
ask for a supplement, then — once the citizen has supplemented — go on, mark the result
ready with its file, and hand it over.

What the citizen does in between goes through ``forms_app.services`` (the citizen's own
screens are ``test_citizen_journey``)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from forms_app import services
from forms_app.constants import DossierStatus, ResultDelivery
from forms_app.models import Dossier, DossierResult
from forms_app.tests.officials import PDF_BYTES, cleaned_pdf, make_official, submit
from procedures.tests.factories import make_procedure
from tests.e2e.helpers import (
    OFFICIAL_PASSWORD,
    PROCEDURE_TITLE,
    assert_stylesheets_load,
    build_catalogue,
    click_and_wait,
    log_in,
    pdf_bytes,
    sha256_of,
)

pytestmark = pytest.mark.usefixtures("transactional_db", "sandbox_payments")

OFFICIAL_EMAIL = "can.bo.stp@example.vn"
OFFICIAL_NAME = "Trần Thị Cán Bộ"
COLLEAGUE_NAME = "Phạm Văn Xử Lý"
OTHER_PROCEDURE = "Đăng ký kết hôn"


@pytest.fixture
def world():
    """Two dossiers waiting at Sở Tư pháp: a birth registration just submitted (online
    delivery of the result) and a marriage registration already received."""
    agency, _commune, procedure = build_catalogue()
    marriage = make_procedure(agency, title=OTHER_PROCEDURE, code="1.000894", level=3)
    official = make_official(agency, OFFICIAL_EMAIL, full_name=OFFICIAL_NAME)
    colleague = make_official(agency, "xu.ly.stp@example.vn", full_name=COLLEAGUE_NAME)
    citizen = UserFactory(verified=True, full_name="Nguyễn Văn An")
    other = UserFactory(verified=True, full_name="Trần Thị Bình")
    birth = submit(citizen, procedure, result_delivery=ResultDelivery.ONLINE)
    received = submit(other, marriage, full_name="Trần Thị Bình")
    services.receive_dossier(dossier=received, actor=official)
    return {
        "official": official,
        "colleague": colleague,
        "citizen": citizen,
        "birth": birth,
        "received": Dossier.objects.get(pk=received.pk),
    }


def admin_main(page):
    return page.locator("main")


def do_action(page, shots, label, name, fill=None):
    """Press the action's button on the inspect page, fill its form, submit it, and
    come back to the inspect page with the success message."""
    click_and_wait(page, page.locator("footer").get_by_role("link", name=label, exact=True))
    expect(page.locator("h1")).to_contain_text(label)
    if fill:
        fill(page)
    shots(page, f"{name}-form")
    click_and_wait(page, admin_main(page).get_by_role("button", name=label, exact=True))
    expect(page.locator(".messages")).to_contain_text(label)
    shots(page, name)


def test_an_official_receives_assigns_asks_for_a_supplement_and_returns_the_result(
    live_server, open_page, shots, tmp_path, world
):
    birth, received = world["birth"], world["received"]
    page = open_page()

    # /admin/ sends to the portal's one login page, and back.
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/tai-khoan/login/\?next=/admin/"))
    log_in(page, OFFICIAL_EMAIL, OFFICIAL_PASSWORD, shots=shots)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    assert_stylesheets_load(page)  # Wagtail's admin styles, from the app's static files
    # The dashboard's queue: the dossier waiting to be received.
    expect(admin_main(page)).to_contain_text("Hồ sơ cần xử lý")
    expect(admin_main(page).get_by_role("link", name=birth.code)).to_be_visible()
    shots(page, "bang-dieu-khien")

    # "Hồ sơ" in the menu: both dossiers of the agency.
    click_and_wait(page, page.get_by_role("link", name="Hồ sơ", exact=True))
    expect(page).to_have_url(re.compile(r"/admin/forms_app/dossier/$"))
    listing = admin_main(page)
    expect(listing).to_contain_text(birth.code)
    expect(listing).to_contain_text(received.code)
    shots(page, "danh-sach-ho-so")

    # Filter: only the dossiers waiting to be received.
    click_and_wait(page, listing.get_by_role("link", name="Chờ tiếp nhận", exact=True))
    expect(page).to_have_url(re.compile(r"status=submitted"))
    expect(listing).to_contain_text(birth.code)
    expect(listing).not_to_contain_text(received.code)
    shots(page, "loc-cho-tiep-nhan")

    # Open it.
    # (modeladmin's "Inspect" button, "Kiểm tra" in Wagtail's Vietnamese).
    click_and_wait(page, listing.get_by_role("link", name=re.compile("^Kiểm tra")))
    expect(page).to_have_url(re.compile(rf"/admin/forms_app/dossier/inspect/{birth.pk}/$"))
    expect(admin_main(page)).to_contain_text(f"Hồ sơ {birth.code}")
    expect(admin_main(page)).to_contain_text("Chờ tiếp nhận")
    shots(page, "chi-tiet-ho-so")

    # Receive it, confirming the fee as the schedule says, written as an official
    # writes it ("50.000" is fifty thousand đồng).
    def confirm_fee(page):
        fee = admin_main(page).get_by_label("Lệ phí 1")
        expect(fee).to_have_value("50.000")

    do_action(page, shots, "Tiếp nhận", "tiep-nhan", confirm_fee)
    expect(admin_main(page)).to_contain_text("Đã tiếp nhận")
    birth.refresh_from_db()
    assert birth.status == DossierStatus.RECEIVED and birth.due_at is not None
    assert [line.amount for line in birth.fee_lines.all()] == [50000]

    # Assign it to a colleague.
    do_action(
        page,
        shots,
        "Phân công xử lý",
        "phan-cong",
        lambda page: (
            admin_main(page).get_by_label("Cán bộ xử lý").select_option(label=COLLEAGUE_NAME)
        ),
    )
    expect(admin_main(page)).to_contain_text("Đang xử lý")
    expect(admin_main(page)).to_contain_text(COLLEAGUE_NAME)

    # Ask for a supplement of the first component.
    component = birth.snapshot["components"][0]

    def ask(page):
        form = admin_main(page)
        form.get_by_label(re.compile(rf"^{re.escape(component['name'])}:?$")).check()
        form.get_by_label(f"Hướng dẫn cho “{component['name']}”").fill(
            "Bản chụp bị mờ, vui lòng chụp lại rõ nét."
        )
        form.get_by_label("Hướng dẫn chung").fill("Bổ sung trong hạn để tiếp tục giải quyết.")

    mail.outbox.clear()
    do_action(page, shots, "Yêu cầu bổ sung hồ sơ", "yeu-cau-bo-sung", ask)
    expect(admin_main(page)).to_contain_text("Yêu cầu bổ sung")
    expect(admin_main(page)).to_contain_text("Bản chụp bị mờ, vui lòng chụp lại rõ nét.")
    assert [m.to for m in mail.outbox] == [[birth.applicant_data["email"]]]

    # The citizen supplements (through the service the dossier page calls).
    services.submit_supplement(
        dossier=birth,
        actor=world["citizen"],
        uploads=[(component["id"], cleaned_pdf("giay-to-ro-net.pdf"))],
        answers={},
    )
    page.reload()
    expect(admin_main(page)).to_contain_text("Đã bổ sung")
    shots(page, "da-bo-sung")
    # The official opens the new file (served from private storage, to officials only).
    new_file = admin_main(page).get_by_role("link", name="giay-to-ro-net.pdf")
    response = page.request.get(new_file.get_attribute("href"))
    assert response.ok and response.body() == PDF_BYTES

    # Go on, then the result with its file.
    do_action(page, shots, "Tiếp tục xử lý", "tiep-tuc-xu-ly")
    expect(admin_main(page)).to_contain_text("Đang xử lý")
    result = pdf_bytes("Giấy khai sinh bản điện tử")
    result_file = tmp_path / "giay-khai-sinh.pdf"
    result_file.write_bytes(result)
    do_action(
        page,
        shots,
        "Có kết quả",
        "co-ket-qua",
        lambda page: (
            admin_main(page).get_by_label("Tệp kết quả giải quyết").set_input_files(result_file)
        ),
    )
    expect(admin_main(page)).to_contain_text("Đã có kết quả")
    expect(admin_main(page)).to_contain_text(sha256_of(result))
    assert DossierResult.objects.get(dossier=birth).sha256 == sha256_of(result)
    stored = admin_main(page).get_by_role("link", name="giay-khai-sinh.pdf")
    assert page.request.get(stored.get_attribute("href")).body() == result

    # Hand it over online, as the citizen chose.
    do_action(
        page,
        shots,
        "Trả kết quả",
        "tra-ket-qua",
        lambda page: (
            admin_main(page)
            .get_by_label("Hình thức đã trả kết quả")
            .select_option(value=ResultDelivery.ONLINE)
        ),
    )
    expect(admin_main(page)).to_contain_text("Đã trả kết quả")
    birth.refresh_from_db()
    assert birth.status == DossierStatus.COMPLETED and birth.completed_at is not None
    assert birth.snapshot["procedure"]["title"] == PROCEDURE_TITLE
