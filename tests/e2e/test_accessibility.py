"""Accessibility of the citizen's pages: axe-core (the copy axe-playwright-python ships,
injected into the page: nothing is fetched) must find no violation of impact "serious"
or "critical" on the home page, the search, a procedure page, every step of the
submission wizard, "Hồ sơ cá nhân", a dossier page, and the sign-up and login pages."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from forms_app import services
from forms_app.constants import ResultDelivery
from forms_app.tests.officials import make_official, submit
from tests.e2e.helpers import (
    PROCEDURE_TITLE,
    WIZARD_STEPS,
    assert_accessible,
    blocking_violations,
    build_catalogue,
    click_and_wait,
    log_in_by_cookie,
    reply_by,
    start_wizard,
    walk_wizard,
)

pytestmark = pytest.mark.usefixtures("transactional_db", "sandbox_payments")


@pytest.fixture
def world():
    agency, _commune, procedure = build_catalogue()
    citizen = UserFactory(verified=True, full_name="Nguyễn Văn An")
    return {"agency": agency, "procedure": procedure, "citizen": citizen}


def dossier_waiting_for_a_supplement(world):
    """A dossier received (fee confirmed, so payable), assigned, and asked for a
    supplement: its page shows the most (fees, the pay button, the supplement form)."""
    official = make_official(world["agency"], "can.bo.stp@example.vn")
    dossier = submit(world["citizen"], world["procedure"], result_delivery=ResultDelivery.ONLINE)
    services.receive_dossier(dossier=dossier, actor=official)
    services.start_processing(dossier=dossier, actor=official, assignee=official)
    component = dossier.snapshot["components"][0]
    services.request_supplement(
        dossier=dossier,
        actor=official,
        items=[{"component_id": component["id"], "guidance": "Chụp lại rõ nét."}],
        note="Bổ sung trong hạn.",
        reply_by=reply_by(),
    )
    return dossier


# The pages anyone sees: name → how to get there.
PUBLIC_PAGES = {
    "trang-chu": lambda page, world: page.goto("/"),
    "tim-kiem": lambda page, world: page.goto("/thu-tuc/?q=khai sinh"),
    "thu-tuc": lambda page, world: page.goto(world["procedure"].url),
    "dang-ky": lambda page, world: page.goto("/tai-khoan/signup/"),
    "dang-nhap": lambda page, world: page.goto("/tai-khoan/login/"),
}


@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_public_pages_have_no_serious_violations(name, live_server, open_page, shots, world):
    page = open_page()
    response = PUBLIC_PAGES[name](page, world)
    assert response.ok, f"{name}: {response.status}"
    if name in ("tim-kiem", "thu-tuc"):
        expect(page.locator("main")).to_contain_text(PROCEDURE_TITLE)
    shots(page, name)
    assert_accessible(page, name)


@pytest.mark.parametrize("step", WIZARD_STEPS)
def test_every_wizard_step_has_no_serious_violations(
    step, live_server, open_page, shots, tmp_path, world
):
    page = open_page()
    log_in_by_cookie(page.context, world["citizen"], live_server)
    start_wizard(page)
    walk_wizard(page, tmp_path, until=step)
    shots(page, step)
    assert_accessible(page, f"wizard step {step}")


def test_a_wizard_step_with_errors_has_no_serious_violations(
    live_server, open_page, shots, tmp_path, world
):
    """Errors are where forms usually fail people: "Tiếp tục" on the components step
    with nothing attached."""
    page = open_page()
    log_in_by_cookie(page.context, world["citizen"], live_server)
    start_wizard(page)
    walk_wizard(page, tmp_path, until="thanh-phan-ho-so")
    click_and_wait(page, page.locator("#wizard-form").get_by_role("button", name="Tiếp tục"))
    expect(page.locator(".errorlist").first).to_be_visible()
    shots(page, "thanh-phan-ho-so-loi")
    assert_accessible(page, "wizard step thanh-phan-ho-so with errors")


def test_personal_dossiers_list_has_no_serious_violations(live_server, open_page, shots, world):
    dossier = dossier_waiting_for_a_supplement(world)
    page = open_page()
    log_in_by_cookie(page.context, world["citizen"], live_server)
    page.goto("/ho-so/")
    expect(page.locator("main")).to_contain_text(dossier.code)
    shots(page, "ho-so-ca-nhan")
    assert_accessible(page, "Hồ sơ cá nhân")


def test_a_dossier_page_has_no_serious_violations(live_server, open_page, shots, world):
    dossier = dossier_waiting_for_a_supplement(world)
    page = open_page()
    log_in_by_cookie(page.context, world["citizen"], live_server)
    page.goto(f"/ho-so/{dossier.code}/")
    expect(page.get_by_role("button", name="Gửi bổ sung")).to_be_visible()
    expect(page.get_by_role("button", name="Thanh toán trực tuyến 50.000 đồng")).to_be_visible()
    shots(page, "ho-so")
    assert_accessible(page, f"the dossier page of {dossier.code}")


def test_the_check_itself_finds_violations(live_server, open_page):
    """The check can fail: axe-core runs in the page and reports what it should."""
    page = open_page()
    page.goto("/")
    page.set_content(
        '<html><body><main><img src="/static/img/favicon.svg"><input type="text">'
        "<button></button></main></body></html>"
    )
    found = {violation["id"] for violation in blocking_violations(page)}
    assert {"image-alt", "label", "button-name"} <= found, found


# The numbers of the wizard's step list ("1. Cơ quan tiếp nhận  2. Tiếp nhận hồ sơ …"), as
# far as the previous step's name is from the next one's number, in pixels.
STEP_LIST_SPACING_JS = """() => {
    const items = Array.from(document.querySelectorAll(".wizard-steps > li"));
    return items.slice(1).map((item, n) => {
        const previous = items[n].getBoundingClientRect();
        const box = item.getBoundingClientRect();
        const style = getComputedStyle(item);
        let marker = 0;
        if (style.listStylePosition === "outside" && style.listStyleType !== "none") {
            // An outside marker ("2. ") is drawn left of the item's box, in its font.
            const probe = document.createElement("span");
            probe.style.font = style.font;
            probe.style.whiteSpace = "pre";
            probe.style.position = "absolute";
            probe.textContent = `${n + 2}. `;
            document.body.append(probe);
            marker = probe.getBoundingClientRect().width;
            probe.remove();
        }
        const sameLine = Math.abs(box.top - previous.top) < 2;
        const space = box.left - marker - previous.right;
        return {step: item.textContent.trim(), sameLine, space};
    });
}"""


def test_the_wizard_step_list_keeps_each_number_with_its_step(
    live_server, open_page, shots, world
):
    page = open_page()
    log_in_by_cookie(page.context, world["citizen"], live_server)
    page.goto(f"/nop-ho-so/{world['procedure'].pk}/xac-nhan/")
    expect(page.locator(".wizard-steps > li")).to_have_count(6)
    cramped = []
    for width in (1280, 375):  # a desktop, and a phone where the list wraps
        page.set_viewport_size({"width": width, "height": 900})
        shots(page, f"danh-sach-buoc-{width}px")
        cramped += [
            f"{item['step']} ({width}px): {item['space']:.1f}px"
            for item in page.evaluate(STEP_LIST_SPACING_JS)
            if item["sameLine"] and item["space"] < 6
        ]
    assert not cramped, f"step numbers run into the previous step's name: {cramped}"
