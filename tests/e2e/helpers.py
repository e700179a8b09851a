"""What the browser tests share: the browser's settings, screenshots, the test catalogue,
logging in, walking the submission wizard, and the accessibility check."""

import datetime
import hashlib
import os
import re
import shutil
from pathlib import Path

from playwright.sync_api import expect

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# Headless, and nothing that reaches for the network (the machine has none: without
# these flags Chromium stalls on its background services).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 15_000

SCREENSHOTS = Path(__file__).parent / "screenshots"

PASSWORD = "Khoai-Lang-2026"  # accounts.tests.factories.PASSWORD
OFFICIAL_PASSWORD = PASSWORD

AGENCY_TITLE = "Sở Tư pháp"
COMMUNE_TITLE = "UBND phường Điện Biên"
PROCEDURE_TITLE = "Đăng ký khai sinh"
FEE_TEXT = "50.000 đồng"

# Bytes that pass the upload checks as a PDF (the type is read from the bytes).
PDF_TEMPLATE = "%PDF-1.4\n% {label}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_bytes(label):
    return PDF_TEMPLATE.format(label=label).encode()


def write_pdf(folder, name, label=None):
    path = Path(folder) / name
    path.write_bytes(pdf_bytes(label or name))
    return path


def sha256_of(data):
    return hashlib.sha256(data).hexdigest()


class Screenshots:
    """Numbered full-page screenshots of one test, at a desktop's and a phone's width, in a
    folder of its own (emptied when the test starts, so the folder shows the last run
    only)."""

    def __init__(self, test_name):
        self.folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "-", test_name).strip("-")
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def __call__(self, page, name):
        """Shoot the page at each width of ``LAYOUT_WIDTHS`` (``NN-name.png`` at the
        window's own width, ``NN-name-360px.png`` for the phone), checking its layout at
        each (``at_each_width``)."""
        self.count += 1
        own_width = page.viewport_size["width"]
        paths = []
        for width in at_each_width(page):
            suffix = "" if width == own_width else f"-{width}px"
            path = self.folder / f"{self.count:02d}-{name}{suffix}.png"
            # Wagtail's admin scrolls inside a panel, not the page: a "full page" shot of
            # it is one screen. The window is made as tall as the tallest panel.
            height = page.evaluate(SCROLL_HEIGHT_JS)
            if page.viewport_size["height"] < height:
                page.set_viewport_size({"width": width, "height": min(height, 6000)})
            page.screenshot(path=str(path), full_page=True)
            paths.append(path)
        return paths[0]


SCROLL_HEIGHT_JS = """() => Math.max(
    document.documentElement.scrollHeight,
    ...Array.from(document.querySelectorAll("main, .content-wrapper, .w-main"),
                  (element) => element.scrollHeight)
)"""


# Layout ----------------------------------------------------------------------------------

# The widths every page the journeys visit is checked at: a phone and a desktop.
LAYOUT_WIDTHS = (1280, 360)
# Text longer than this may not be squeezed into a column narrower than this many
# characters (issue 14: file names printed one character per line).
MIN_CHARACTERS = 4

# What is wrong with the layout as it is now: the page wider than the window (and the
# elements that stick out of it), and text broken over several lines in a column
# narrower than MIN_CHARACTERS characters (half an em each). Text hidden from sight
# (display: none, visually hidden for screen readers) is not looked at.
LAYOUT_PROBLEMS_JS = r"""async (minCharacters) => {
    // A resize starts transitions (Wagtail's sidebar folds away): measure once they end,
    // or after a second for one that never does (paused, endless).
    const settled = Promise.all(document.getAnimations()
        .map((animation) => animation.finished.catch(() => null)));
    await Promise.race([settled, new Promise((done) => setTimeout(done, 1000))]);
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const problems = [];
    const root = document.scrollingElement || document.documentElement;
    const windowWidth = root.clientWidth;
    const describe = (element) => element.tagName.toLowerCase()
        + (element.id ? "#" + element.id : "")
        + Array.from(element.classList, (name) => "." + name).join("");
    const insideScroller = (element) => {
        for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== "visible") return true;
        }
        return false;
    };
    const visuallyHidden = (element) => {
        for (let up = element; up && up !== document.body; up = up.parentElement) {
            const style = getComputedStyle(up);
            if (style.visibility !== "visible") return true;
            if (style.clip !== "auto" && style.clip !== "") return true;
            if (style.clipPath !== "none") return true;
            const box = up.getBoundingClientRect();
            if (style.overflow !== "visible" && (box.width <= 1 || box.height <= 1)) return true;
        }
        return false;
    };
    if (root.scrollWidth > windowWidth + 1) {
        const wide = [];
        for (const element of document.body.querySelectorAll("*")) {
            const box = element.getBoundingClientRect();
            if (box.width && box.right > windowWidth + 1 && !insideScroller(element)) {
                const span = `${Math.round(box.left)}–${Math.round(box.right)} px`;
                wide.push(`${describe(element)} (${span})`);
            }
        }
        problems.push(`the page is ${root.scrollWidth} px wide in a ${windowWidth} px window; `
            + `sticking out: ${wide.slice(0, 6).join(", ")}`);
    }
    const skipped = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "OPTION", "TEXTAREA"]);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent.replace(/\s+/g, " ").trim();
        const element = node.parentElement;
        if (text.length <= minCharacters || skipped.has(element.tagName)) continue;
        range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        if (!box.width || !box.height) continue;
        const lines = range.getClientRects().length;
        const characterWidth = parseFloat(getComputedStyle(element).fontSize) / 2;
        if (lines > 1 && box.width < minCharacters * characterWidth && !visuallyHidden(element)) {
            problems.push(`"${text.slice(0, 40)}" (${describe(element)}) is broken over `
                + `${lines} lines in a column ${Math.round(box.width)} px wide`);
        }
    }
    return problems;
}"""


def check_layout(page):
    """Fail if the page, at the window's current width, overflows or squeezes text."""
    problems = page.evaluate(LAYOUT_PROBLEMS_JS, MIN_CHARACTERS)
    if problems:
        # What the guard saw, for whoever reads the failure.
        width = page.viewport_size["width"]
        name = re.sub(r"\W+", "-", page.url)
        path = SCREENSHOTS / "layout-failures" / f"{name}-{width}px.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        raise AssertionError(
            f"layout of {page.url} at {width} px (see {path}):\n  " + "\n  ".join(problems)
        )


def at_each_width(page):
    """Put the window at each width of ``LAYOUT_WIDTHS`` in turn (its own first), check
    the layout there (``check_layout``) and yield the width; the window gets its own size
    back afterwards, whatever happened."""
    viewport = page.viewport_size
    widths = [viewport["width"], *(w for w in LAYOUT_WIDTHS if w != viewport["width"])]
    try:
        for width in widths:
            page.set_viewport_size({"width": width, "height": viewport["height"]})
            check_layout(page)
            yield width
    finally:
        page.set_viewport_size(viewport)


def assert_layout(page):
    """``check_layout`` at every width of LAYOUT_WIDTHS, then back to the window's."""
    for _width in at_each_width(page):
        pass


# The catalogue ---------------------------------------------------------------------------


# The date the citizen types on the "Thông tin tờ khai" step, and the day it is.
BIRTH_DATE_TYPED = "20/11/2026"


COMPONENT_NAMES = [
    "Tờ khai đăng ký khai sinh theo mẫu (Thông tư số 04/2020/TT-BTP)",
    "Văn bản ủy quyền theo quy định của pháp luật trong trường hợp ủy quyền thực hiện việc "
    "đăng ký khai sinh (người được ủy quyền là ông, bà, người thân thích khác của người ủy "
    "quyền thì được miễn chứng thực văn bản ủy quyền)",
]
# The files a citizen attaches: named as a phone or a scanner names them.
ATTACHMENT_NAME = "{n:02d}-ban-scan-giay-to-cua-cong-dan-nguyen-van-an-thang-12-2026.pdf"


def build_catalogue():
    """A province in miniature, built with the project's factories (a transactional test
    starts from an empty database): Sở Tư pháp and a commune, both carrying out
    "Đăng ký khai sinh" at level 4 with one fee, two components and three questions of
    its own (one a date), so that the wizard shows all six of its steps."""
    from procedures.constants import AgencyLevel
    from procedures.models import ProcedureFormField
    from procedures.tests.factories import home_page, make_agency, make_procedure

    home_page()
    agency = make_agency(code="STP", title=AGENCY_TITLE)
    commune = make_agency(code="DB", title=COMMUNE_TITLE, level=AgencyLevel.COMMUNE)
    procedure = make_procedure(agency, title=PROCEDURE_TITLE, level=4, fees=1, components=2)
    # Names as long as a real procedure's: the review step once squeezed the files
    # attached to such components into a column one character wide.
    components = list(procedure.dossier_components.all())
    for component, name in zip(components, COMPONENT_NAMES, strict=True):
        component.name = name
    procedure.dossier_components = components
    procedure.executing_agencies = [agency, commune]
    procedure.form_fields = [
        ProcedureFormField(
            label="Họ tên người được khai sinh", field_type="singleline", required=True
        ),
        ProcedureFormField(
            label="Nơi sinh", field_type="dropdown", choices="Bệnh viện\nTại nhà", required=True
        ),
        ProcedureFormField(label="Ngày, tháng, năm sinh", field_type="date", required=True),
    ]
    procedure.save_revision().publish()
    # A fresh instance: the one above keeps the relations it was given in memory.
    return agency, commune, type(procedure).objects.get(pk=procedure.pk)


# Pages -------------------------------------------------------------------------------------


def main_text(page):
    """The main content's text, whitespace collapsed."""
    return " ".join(page.locator("main").inner_text().split())


def assert_stylesheets_load(page):
    """Every stylesheet the page links to is served (the live server serves static files
    as in development: the app's own and Wagtail's) and has been applied."""
    hrefs = page.eval_on_selector_all(
        "link[rel=stylesheet]", "links => links.map(link => link.href)"
    )
    assert hrefs, f"no stylesheet on {page.url}"
    for href in hrefs:
        response = page.request.get(href)
        assert response.ok, f"{href}: {response.status}"
        assert response.headers["content-type"].startswith("text/css"), href
    applied = page.evaluate(
        "() => Array.from(document.styleSheets).filter(sheet => sheet.href)"
        ".every(sheet => sheet.cssRules.length > 0)"
    )
    assert applied, f"a stylesheet of {page.url} came empty"


def click_and_wait(page, locator):
    """Click something that loads a new page, wait until it has loaded, and check its
    layout at a phone's width and a desktop's (every page a journey reaches by a click)."""
    with page.expect_navigation(wait_until="load"):
        locator.click()
    assert_layout(page)


def log_in(page, email, password=PASSWORD, shots=None):
    """Log in on the portal's login page (staying on it if a redirect brought the
    browser there, so that its ``next`` is kept)."""
    if "/tai-khoan/login/" not in page.url:
        page.goto("/tai-khoan/login/")
    if shots:
        shots(page, "dang-nhap")
    form = page.locator("main form")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    click_and_wait(page, form.get_by_role("button", name="Đăng nhập"))


def log_in_by_cookie(context, user, live_server):
    """A logged-in session for ``user`` without going through the login form (the
    journeys test the form; the accessibility checks only need to be in)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


# The submission wizard -------------------------------------------------------------------

WIZARD_STEPS = [
    "co-quan",
    "tiep-nhan-ho-so",
    "to-khai",
    "thanh-phan-ho-so",
    "nhan-ket-qua",
    "xac-nhan",
]
STEP_URL = re.compile(r"/nop-ho-so/\d+/([\w-]+)/$")


def current_step(page):
    match = STEP_URL.search(page.url)
    return match.group(1) if match else None


def fill_step(page, step, files_folder, *, agency_title=AGENCY_TITLE, delivery="Nhận trực tuyến"):
    """Fill one step of the wizard the way a citizen does (without pressing on)."""
    if step == "co-quan":
        page.get_by_label(agency_title).check()
    elif step == "tiep-nhan-ho-so":
        # Pre-filled from the profile where it has the data; the rest is typed in.
        values = {
            "date_of_birth": "02/01/1990",  # as a Vietnamese citizen types it
            "address": "Số 1 Lê Lợi, phường Điện Biên, TP Thanh Hóa",
        }
        for name, value in values.items():
            field = page.locator(f"input[name='tiep-nhan-ho-so-{name}']")
            if not field.input_value():
                field.fill(value)
    elif step == "to-khai":
        page.get_by_label("Họ tên người được khai sinh").fill("Nguyễn Văn Bé")
        page.get_by_label("Nơi sinh").select_option("Bệnh viện")
        # Typed as a Vietnamese parent types it: day first.
        page.get_by_label("Ngày, tháng, năm sinh").fill(BIRTH_DATE_TYPED)
    elif step == "thanh-phan-ho-so":
        inputs = page.locator("input[type=file]")
        for n in range(inputs.count()):
            inputs.nth(n).set_input_files(
                write_pdf(files_folder, ATTACHMENT_NAME.format(n=n + 1), f"Giấy tờ số {n + 1}")
            )
    elif step == "nhan-ket-qua":
        page.get_by_label(delivery).check()
    elif step == "xac-nhan":
        page.get_by_label("Tôi xin cam đoan những thông tin khai trên là đúng sự thật").check()


def walk_wizard(page, files_folder, *, until=None, on_step=None, **fill_options):
    """From the wizard's page, fill each step and press on, up to step ``until`` (not
    filled) or to the end ("Gửi đi"). ``on_step(page, step)`` is called on each step as
    it is first shown. Returns the steps seen."""
    seen = []
    while True:
        step = current_step(page)
        assert step in WIZARD_STEPS, f"not a wizard step: {page.url}"
        assert step not in seen, f"the wizard came back to {step}: {main_text(page)[:400]}"
        seen.append(step)
        expect(page.locator(".wizard__progress")).to_have_text(
            re.compile(rf"Bước {len(seen)}/\d+")
        )
        if on_step:
            on_step(page, step)
        if step == until:
            return seen
        fill_step(page, step, files_folder, **fill_options)
        button = "Gửi đi" if step == "xac-nhan" else "Tiếp tục"
        click_and_wait(page, page.locator("#wizard-form").get_by_role("button", name=button))
        if step == "xac-nhan":
            return seen


def start_wizard(page, procedure_title=PROCEDURE_TITLE, agency_title=AGENCY_TITLE):
    """ "Nộp hồ sơ trực tuyến" in the menu → the agency → "Đăng ký trực tuyến"."""
    page.goto("/")
    click_and_wait(
        page,
        page.get_by_role("navigation", name="Menu chính").get_by_role(
            "link", name="Nộp hồ sơ trực tuyến"
        ),
    )
    click_and_wait(page, page.locator("main").get_by_role("link", name=agency_title))
    click_and_wait(page, page.get_by_role("link", name=f"Đăng ký trực tuyến – {procedure_title}"))


# Accessibility -----------------------------------------------------------------------------

BLOCKING_IMPACTS = ("serious", "critical")


def blocking_violations(page):
    """axe-core's violations of impact serious or critical on the page as it is now.

    axe-playwright-python injects the axe.min.js it ships (no network)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:300]}")
            summary = node.get("failureSummary") or ""
            for detail in summary.splitlines():
                lines.append(f"       {detail.strip()}")
    return "\n".join(lines)


def assert_accessible(page, what):
    violations = blocking_violations(page)
    assert not violations, (
        f"axe-core: {len(violations)} serious/critical violation(s) on {what} "
        f"({page.url}):\n{describe_violations(violations)}"
    )


def reply_by():
    """A reply-by date for a supplement request: a week from today, local time."""
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=7)
