"""The officials' back office in the Wagtail admin ("Hồ sơ"), through the test client:
each official sees and acts on their own agency's dossiers only, the workflow runs
through the admin forms, and the listing filters, searches and exports."""

import csv
import datetime
import io
import re
from types import SimpleNamespace
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from forms_app import services, working_days
from forms_app.backoffice.views import ACTION_VIEWS
from forms_app.constants import Channel, DossierStatus
from forms_app.models import Dossier
from forms_app.tests.officials import PDF_BYTES, cleaned_pdf, make_official, submit
from procedures.constants import DEFAULT_RECEIPT_CUTOFF as CUTOFF
from procedures.tests.factories import make_agency, make_field, make_procedure

pytestmark = pytest.mark.django_db

INDEX = "/admin/forms_app/dossier/"
HANDOVER = "Trả trực tiếp tại bộ phận một cửa"
GUIDANCE = "Nộp bản sao giấy chứng sinh có chứng thực"


@pytest.fixture
def world():
    stp = make_agency()
    skhdt = make_agency("SKHDT", "Sở Kế hoạch và Đầu tư")
    birth = make_procedure(stp, components=2, processing_time_days=15)
    business = make_procedure(
        skhdt,
        title="Đăng ký thành lập hộ kinh doanh",
        code="2.000720",
        field=make_field("HKD", "Thành lập và hoạt động của hộ kinh doanh"),
    )
    citizen = UserFactory(email="an@example.vn", verified=True)
    neighbour = UserFactory(email="mai@example.vn", verified=True, full_name="Hoàng Thị Mai")
    return SimpleNamespace(
        stp=stp,
        skhdt=skhdt,
        birth=birth,
        official=make_official(stp, "official.stp@example.vn", "Trần Thị Bình"),
        colleague=make_official(stp, "official2.stp@example.vn", "Lê Văn Cường"),
        skhdt_official=make_official(skhdt, "official.skhdt@example.vn", "Phạm Thị Dung"),
        superuser=UserFactory(
            email="admin@example.vn", verified=True, is_staff=True, is_superuser=True
        ),
        citizen=citizen,
        neighbour=neighbour,
        dossier=submit(citizen, birth),
        other=submit(neighbour, birth, full_name="Hoàng Thị Mai", cccd="001190000009", email=""),
        foreign=submit(citizen, business),
    )


def login(client, user):
    client.force_login(user)
    return client


def inspect_url(dossier):
    return reverse("forms_app_dossier_modeladmin_inspect", args=[dossier.pk])


def action_url(dossier, action):
    return reverse("forms_app_dossier_action", args=[dossier.pk, action])


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def listed_codes(client, **params):
    """The dossier codes the index shows for ``params``."""
    html = html_of(client.get(INDEX, params))
    return set(re.findall(r"\b(?:STP|SKHDT)-\d{6}-\d{4}\b", html))


def shown_actions(client, dossier):
    """The actions whose buttons the inspect page shows."""
    html = html_of(client.get(inspect_url(dossier)))
    prefix = re.escape(f"/admin/forms_app/dossier/{dossier.pk}/thao-tac/")
    return set(re.findall(prefix + r"([a-z_]+)/", html))


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def reload(dossier):
    return Dossier.objects.get(pk=dossier.pk)


# Who sees what ------------------------------------------------------------------------
def test_an_official_lists_only_their_agencys_dossiers(client, world):
    login(client, world.official)
    assert listed_codes(client) == {world.dossier.code, world.other.code}


def test_a_superuser_lists_every_dossier(client, world):
    login(client, world.superuser)
    assert listed_codes(client) == {world.dossier.code, world.other.code, world.foreign.code}


def test_drafts_are_never_listed(client, world):
    draft = Dossier.objects.create(
        procedure=world.birth,
        agency=world.stp,
        applicant=world.neighbour,
        status=DossierStatus.DRAFT,
    )
    login(client, world.superuser)
    html = html_of(client.get(INDEX))
    assert inspect_url(draft) not in html
    assert client.get(inspect_url(draft)).status_code == 404


@pytest.mark.parametrize("path", ["/admin/", INDEX])
def test_a_citizen_is_kept_out_of_the_admin(client, world, path):
    login(client, world.citizen)
    response = client.get(path)
    assert response.status_code == 403
    assert world.dossier.code not in response.content.decode()


def test_a_visitor_is_asked_to_log_in(client, world):
    response = client.get(inspect_url(world.dossier))
    assert response.status_code == 302
    assert "login" in response["Location"]


# The actions a submitted dossier allows: their forms open; the others send the official
# back to the dossier's page.
SUBMITTED_ACTIONS = {"receive", "reject", "request_supplement"}


def foreign_urls(dossier):
    """Every admin URL of a submitted ``dossier``, with the methods to try on it and
    what the dossier's own agency is answered on GET: a status, or the page it is
    redirected to. What exists for nobody is 404 to them too (see
    ``test_no_create_edit_or_delete_exists_even_for_a_superuser``); a POST goes to the
    view of the GET before it."""
    attachment = dossier.files.first()
    urls = [
        ("get", inspect_url(dossier), 200),
        ("get", reverse("forms_app_dossier_modeladmin_history", args=[dossier.pk]), 200),
        ("get", reverse("forms_app_dossier_file", args=[dossier.pk, attachment.pk]), 200),
        ("get", f"/admin/forms_app/dossier/edit/{dossier.pk}/", 404),
        ("post", f"/admin/forms_app/dossier/edit/{dossier.pk}/", None),
        ("get", f"/admin/forms_app/dossier/delete/{dossier.pk}/", 404),
        ("post", f"/admin/forms_app/dossier/delete/{dossier.pk}/", None),
        ("get", "/admin/forms_app/dossier/create/", 404),
        ("post", "/admin/forms_app/dossier/create/", None),
        ("get", action_url(dossier, "khong-co"), 404),
    ]
    for action in ACTION_VIEWS:
        opens = 200 if action in SUBMITTED_ACTIONS else inspect_url(dossier)
        urls += [
            ("get", action_url(dossier, action), opens),
            ("post", action_url(dossier, action), None),
        ]
    return urls


def answer(response):
    """A response as the official meets it: the page redirected to, or the status."""
    return response["Location"] if response.status_code == 302 else response.status_code


def test_another_agencys_dossier_is_not_found_anywhere(client, world):
    login(client, world.official)
    history = world.foreign.history.count()
    for method, url, _rightful in foreign_urls(world.foreign):
        response = getattr(client, method)(url, {"note": "x", "reason": "x"})
        assert response.status_code == 404, (method, url, response.status_code)
    foreign = reload(world.foreign)
    assert foreign.status == DossierStatus.SUBMITTED
    assert foreign.history.count() == history

    # The control: the dossier's own agency, at the same URLs (their POSTs would act).
    login(client, world.skhdt_official)
    for method, url, rightful in foreign_urls(world.foreign):
        if method == "get":
            assert answer(client.get(url, {"note": "x", "reason": "x"})) == rightful, url


def test_the_agencys_own_official_opens_the_dossier_and_its_files(client, world):
    login(client, world.skhdt_official)
    html = html_of(client.get(inspect_url(world.foreign)))
    assert world.foreign.code in html
    attachment = world.foreign.files.first()
    file_url = reverse("forms_app_dossier_file", args=[world.foreign.pk, attachment.pk])
    assert file_url in html
    response = client.get(file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert attachment.original_name in response["Content-Disposition"]
    history = client.get(reverse("forms_app_dossier_modeladmin_history", args=[world.foreign.pk]))
    assert history.status_code == 200


def test_no_create_edit_or_delete_exists_even_for_a_superuser(client, world):
    login(client, world.superuser)
    for path in (
        "/admin/forms_app/dossier/create/",
        f"/admin/forms_app/dossier/edit/{world.dossier.pk}/",
        f"/admin/forms_app/dossier/delete/{world.dossier.pk}/",
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path).status_code == 404, path
    html = html_of(client.get(INDEX))
    assert "/edit/" not in html
    assert "/delete/" not in html
    assert "/create/" not in html


# The workflow through the admin forms -------------------------------------------------
EXPECTED_BUTTONS = {
    DossierStatus.SUBMITTED: {"receive", "reject", "request_supplement"},
    DossierStatus.RECEIVED: {"start_processing", "extend_deadline"},
    DossierStatus.PROCESSING: {
        "request_supplement",
        "mark_result_ready",
        "reject",
        "extend_deadline",
    },
    DossierStatus.SUPPLEMENT_REQUESTED: set(),
    DossierStatus.SUPPLEMENTED: {"resume_processing", "extend_deadline"},
    DossierStatus.RESULT_READY: {"complete"},
    DossierStatus.COMPLETED: set(),
}


def confirmed_fees(dossier):
    """The receive form's fee inputs, left as the schedule has them."""
    return {f"fee_{line.pk}": line.amount for line in dossier.fee_lines.all()}


def act(client, dossier, action, data, status):
    """POST the action's form: back on the inspect page, with the success message."""
    response = client.post(action_url(dossier, action), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == inspect_url(dossier)
    assert any(dossier.code in message for message in messages_of(response))
    assert reload(dossier).status == status
    assert shown_actions(client, dossier) == EXPECTED_BUTTONS[status]


def test_an_official_takes_a_dossier_through_the_whole_workflow(client, world):
    login(client, world.official)
    dossier = world.dossier
    assert shown_actions(client, dossier) == EXPECTED_BUTTONS[DossierStatus.SUBMITTED]
    assert "Tiếp nhận" in html_of(client.get(action_url(dossier, "receive")))

    act(
        client, dossier, "receive", {"note": "", **confirmed_fees(dossier)}, DossierStatus.RECEIVED
    )
    received = reload(dossier)
    assert received.due_at == working_days.due_at(received.received_at, 15, cutoff=CUTOFF)

    form = html_of(client.get(action_url(dossier, "start_processing")))
    assert "Lê Văn Cường" in form
    assert "Phạm Thị Dung" not in form
    act(
        client,
        dossier,
        "start_processing",
        {"assignee": world.colleague.pk, "note": "Giao anh Cường"},
        DossierStatus.PROCESSING,
    )
    assert reload(dossier).assigned_to == world.colleague

    first = dossier.snapshot["components"][0]["id"]
    form = html_of(client.get(action_url(dossier, "request_supplement")))
    assert "Giấy tờ số 1" in form
    assert "confirm_repeat" not in form
    reply_by = timezone.localdate() + datetime.timedelta(days=10)
    act(
        client,
        dossier,
        "request_supplement",
        {
            f"component_{first}_asked": "on",
            f"component_{first}_guidance": GUIDANCE,
            "note": "Bổ sung trong 10 ngày",
            "reply_by": reply_by.isoformat(),
        },
        DossierStatus.SUPPLEMENT_REQUESTED,
    )
    [request] = reload(dossier).supplement_requests.all()
    assert [(item.label, item.guidance) for item in request.items.all()] == [
        ("Giấy tờ số 1", GUIDANCE)
    ]
    assert request.reply_by == reply_by
    html = html_of(client.get(inspect_url(dossier)))
    assert GUIDANCE in html
    assert "Tạm dừng" in html_of(client.get(INDEX))

    services.submit_supplement(
        dossier=dossier,
        actor=world.citizen,
        uploads=[(first, cleaned_pdf("ban-sao-co-chung-thuc.pdf"))],
        answers={},
    )
    assert shown_actions(client, dossier) == EXPECTED_BUTTONS[DossierStatus.SUPPLEMENTED]
    html = html_of(client.get(inspect_url(dossier)))
    assert "ban-sao-co-chung-thuc.pdf" in html
    assert "đã thay thế ngày" in html

    act(client, dossier, "resume_processing", {"note": ""}, DossierStatus.PROCESSING)
    result = SimpleUploadedFile("ket-qua.pdf", PDF_BYTES, "application/pdf")
    act(
        client,
        dossier,
        "mark_result_ready",
        {"note": "", "result": result},
        DossierStatus.RESULT_READY,
    )
    act(
        client,
        dossier,
        "complete",
        {"handover": "at_agency", "note": HANDOVER},
        DossierStatus.COMPLETED,
    )

    html = html_of(client.get(inspect_url(dossier)))
    for shown in ("Đã trả kết quả", HANDOVER, "Giao anh Cường", "Trần Thị Bình"):
        assert shown in html, shown
    history = html_of(
        client.get(reverse("forms_app_dossier_modeladmin_history", args=[dossier.pk]))
    )
    assert "Trả kết quả" in history


def test_a_form_error_is_shown_and_changes_nothing(client, world):
    login(client, world.official)
    response = client.post(action_url(world.dossier, "reject"), {"note": ""})
    assert response.status_code == 200
    assert reload(world.dossier).status == DossierStatus.SUBMITTED
    services.receive_dossier(dossier=world.dossier, actor=world.official)
    services.start_processing(dossier=world.dossier, actor=world.official, assignee=world.official)
    past = timezone.localdate() - datetime.timedelta(days=1)
    first = world.dossier.snapshot["components"][0]["id"]
    response = client.post(
        action_url(world.dossier, "request_supplement"),
        {
            f"component_{first}_asked": "on",
            f"component_{first}_guidance": GUIDANCE,
            "reply_by": past.isoformat(),
        },
    )
    html = html_of(response)
    assert "Hạn bổ sung không được ở quá khứ." in html
    assert reload(world.dossier).status == DossierStatus.PROCESSING
    assert not world.dossier.supplement_requests.exists()


def test_the_second_official_to_receive_is_told_and_changes_nothing(client, world):
    first = login(client, world.official)
    fees = confirmed_fees(world.dossier)
    response = first.post(action_url(world.dossier, "receive"), {"note": "", **fees})
    assert response.status_code == 302
    history = world.dossier.history.count()
    received = reload(world.dossier).received_at

    second = login(type(client)(), world.colleague)
    response = second.post(action_url(world.dossier, "receive"), {"note": "Tôi tiếp nhận", **fees})
    assert response.status_code == 302
    assert response["Location"] == inspect_url(world.dossier)
    [message] = messages_of(response)
    assert "Đã tiếp nhận" in message
    assert "không còn thực hiện được" in message
    dossier = reload(world.dossier)
    assert dossier.history.count() == history
    assert dossier.received_at == received
    follow = second.get(response["Location"])
    assert "không còn thực hiện được" in html_of(follow)


def test_an_official_overtaken_while_posting_is_told_and_changes_nothing(client, world):
    """The colleague receives the dossier between this official's page load and the
    service's row lock: the service refuses, the page says what happened."""
    stale = reload(world.dossier)
    services.receive_dossier(dossier=world.dossier, actor=world.colleague)
    history = world.dossier.history.count()
    login(client, world.official)
    with mock.patch("forms_app.backoffice.views.official_dossier", return_value=stale):
        response = client.post(action_url(world.dossier, "reject"), {"note": "Thiếu giấy tờ"})
    assert response.status_code == 302
    assert response["Location"] == inspect_url(world.dossier)
    [message] = messages_of(response)
    assert world.dossier.code in message
    assert "Đã tiếp nhận" in message
    assert "không thể từ chối hồ sơ" in message
    dossier = reload(world.dossier)
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.history.count() == history
    assert dossier.completed_at is None


def test_an_extension_through_the_admin_mails_the_apology_letter(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, world.official)
    services.receive_dossier(dossier=world.dossier, actor=world.official)
    new_due = working_days.add_working_days(timezone.localdate(reload(world.dossier).due_at), 5)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_url(world.dossier, "extend_deadline"),
            {"new_due": new_due.isoformat(), "reason": "Cần xác minh với UBND xã"},
        )
    assert response.status_code == 302
    assert timezone.localdate(reload(world.dossier).due_at) == new_due
    [message] = mailoutbox
    assert message.attachments[0][0] == f"phieu-xin-loi-{world.dossier.code}.pdf"


# Listing: filters, search, export -----------------------------------------------------
def test_the_status_filter(client, world):
    services.receive_dossier(dossier=world.dossier, actor=world.official)
    login(client, world.official)
    assert listed_codes(client, status="received") == {world.dossier.code}
    assert listed_codes(client, status="submitted") == {world.other.code}


def test_the_deadline_filter(client, world):
    now = timezone.now()
    services.receive_dossier(dossier=world.dossier, actor=world.official)
    services.receive_dossier(dossier=world.other, actor=world.official)
    Dossier.objects.filter(pk=world.dossier.pk).update(due_at=now - datetime.timedelta(days=2))
    soon = working_days.due_at(now, 1, cutoff=CUTOFF)
    Dossier.objects.filter(pk=world.other.pk).update(due_at=soon)
    login(client, world.official)
    assert listed_codes(client, thoi_han="overdue") == {world.dossier.code}
    assert listed_codes(client, thoi_han="due_soon") == {world.other.code}
    assert "Quá hạn" in html_of(client.get(INDEX, {"thoi_han": "overdue"}))
    # Far from its date, a dossier is neither.
    Dossier.objects.filter(pk=world.other.pk).update(
        due_at=working_days.due_at(now, 10, cutoff=CUTOFF)
    )
    assert listed_codes(client, thoi_han="due_soon") == set()


def test_the_field_filter(client, world):
    login(client, world.superuser)
    html = html_of(client.get(INDEX))
    assert "Thành lập và hoạt động của hộ kinh doanh" in html
    field = world.birth.field
    assert listed_codes(client, procedure__field__id__exact=field.pk) == {
        world.dossier.code,
        world.other.code,
    }


def test_the_procedure_filter_offers_only_the_officials_procedures(client, world):
    login(client, world.official)
    html = html_of(client.get(INDEX))

    assert "Đăng ký khai sinh" in html
    assert "Đăng ký thành lập hộ kinh doanh" not in html
    assert listed_codes(client, thu_tuc=world.birth.pk) == {world.dossier.code, world.other.code}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("code", "dossier"),
        ("Hoàng Thị Mai", "other"),
        ("001190000009", "other"),
        ("001090000001", "dossier"),
    ],
)
def test_search_by_code_applicant_name_and_cccd(client, world, term, expected):
    login(client, world.official)
    if term == "code":
        term = world.dossier.code
    assert listed_codes(client, q=term) == {getattr(world, expected).code}


def test_the_csv_export_holds_only_the_officials_agency(client, world):
    services.receive_dossier(dossier=world.dossier, actor=world.official)
    due = timezone.now() - datetime.timedelta(days=3)
    Dossier.objects.filter(pk=world.dossier.pk).update(due_at=due)
    received = timezone.localtime(reload(world.dossier).received_at)
    login(client, world.official)
    response = client.get(INDEX, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8-sig")
    heading, *rows = list(csv.reader(io.StringIO(content)))
    assert heading == [
        "Mã hồ sơ",
        "Thủ tục",
        "Người nộp",
        "Trạng thái",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Còn lại",
    ]
    by_code = {row[0]: row for row in rows}
    assert set(by_code) == {world.dossier.code, world.other.code}
    assert world.foreign.code not in content
    _code, title, name, status, received_on, due_on, deadline = by_code[world.dossier.code]
    assert (title, name, status) == ("Đăng ký khai sinh", "Nguyễn Văn An", "Đã tiếp nhận")
    assert received_on == f"{received:%d/%m/%Y %H:%M}"
    assert due_on == f"{timezone.localtime(due):%d/%m/%Y}"
    assert deadline.startswith("Quá hạn")
    assert "<" not in content
    assert by_code[world.other.code][2:4] == ["Hoàng Thị Mai", "Chờ tiếp nhận"]


FORMULA_NAMES = [
    '=HYPERLINK("http://evil.example","x")',
    "+84-cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
]


@pytest.mark.parametrize("name", FORMULA_NAMES)
def test_the_csv_export_never_hands_excel_a_formula(client, world, name):
    """OWASP "CSV Injection" (core/spreadsheets.py): what an applicant typed as a name is
    written as text, and the file opens in Excel in Vietnamese (UTF-8 with a BOM)."""
    dossier = submit(world.citizen, world.birth, full_name=name)
    login(client, world.official)
    response = client.get(INDEX, {"export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:10]
    rows = {row[0]: row for row in csv.reader(io.StringIO(raw.decode("utf-8-sig")))}
    assert rows[dossier.code][2] == "'" + name
    # Names that start with a letter are left as typed.
    assert rows[world.other.code][2] == "Hoàng Thị Mai"


def test_the_dashboard_shows_the_officials_queue(client, world):
    services.receive_dossier(dossier=world.dossier, actor=world.official)
    Dossier.objects.filter(pk=world.dossier.pk).update(
        due_at=timezone.now() - datetime.timedelta(days=3)
    )
    services.receive_dossier(dossier=world.foreign, actor=world.skhdt_official)
    Dossier.objects.filter(pk=world.foreign.pk).update(
        due_at=timezone.now() - datetime.timedelta(days=3)
    )
    login(client, world.official)
    html = html_of(client.get("/admin/"))
    assert "Hồ sơ cần xử lý" in html
    panel = html[html.index("Hồ sơ cần xử lý") :]
    overdue = panel[panel.index("Quá hạn") : panel.index("Sắp đến hạn")]
    assert world.dossier.code in overdue
    waiting = panel[panel.index("Chờ tiếp nhận") :]
    assert world.other.code in waiting
    assert world.foreign.code not in html


def test_the_dashboard_has_no_queue_for_other_staff(client, world):
    editor = UserFactory(email="bien.tap@example.vn", is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    login(client, editor)
    assert "Hồ sơ cần xử lý" not in html_of(client.get("/admin/"))
    assert client.get(INDEX).status_code in (302, 403)


# Dossiers received at the counter -----------------------------------------------------
KEY = "0b6f8f1e-5f9c-4a52-9a37-2f6c1d3e4a5b"  # the form's one-time key, as rendered


def test_an_official_registers_a_paper_dossier(client, world):
    login(client, world.official)
    url = reverse("forms_app_dossier_register")
    assert url == "/admin/forms_app/dossier/tiep-nhan-truc-tiep/"
    assert url in html_of(client.get(INDEX))
    form = html_of(client.get(url))
    assert "Đăng ký khai sinh" in form
    assert "Đăng ký thành lập hộ kinh doanh" not in form
    assert "Sở Kế hoạch và Đầu tư" not in form

    response = client.post(
        url,
        {
            "procedure": world.birth.pk,
            "agency": world.stp.pk,
            "full_name": "Lê Thị Bình",
            "cccd": "001190000002",
            "phone": "0987654321",
            "email": "",
            "address": "Thôn 2, xã Tân Phú",
            "note": "Nộp bản giấy",
            "key": KEY,
        },
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get(channel=Channel.COUNTER)
    assert response["Location"] == inspect_url(dossier)
    [message] = messages_of(response)
    assert dossier.code in message
    assert dossier.lookup_key in message
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.applicant is None
    assert dossier.code.startswith("STP-")
    html = html_of(client.get(inspect_url(dossier)))
    assert "Lê Thị Bình" in html
    assert "Trực tiếp tại bộ phận một cửa" in html
    assert listed_codes(client) >= {dossier.code}


def test_a_double_click_registers_one_paper_dossier(client, world):
    login(client, world.official)
    data = {
        "procedure": world.birth.pk,
        "agency": world.stp.pk,
        "full_name": "Lê Thị Bình",
        "key": KEY,
    }

    first = client.post(reverse("forms_app_dossier_register"), data)
    second = client.post(reverse("forms_app_dossier_register"), data)

    dossier = Dossier.objects.get(channel=Channel.COUNTER)
    assert first["Location"] == second["Location"] == inspect_url(dossier)


def test_registering_for_another_agency_is_refused(client, world):
    login(client, world.official)
    response = client.post(
        reverse("forms_app_dossier_register"),
        {
            "procedure": world.birth.pk,
            "agency": world.skhdt.pk,
            "full_name": "Lê Thị Bình",
            "key": KEY,
        },
    )
    assert response.status_code == 200
    assert not Dossier.objects.filter(channel=Channel.COUNTER).exists()


def test_a_citizen_cannot_register_a_counter_dossier(client, world):
    login(client, world.citizen)
    assert client.get(reverse("forms_app_dossier_register")).status_code == 403


def test_a_paper_dossier_goes_to_an_agency_carrying_out_its_procedure(client, world):
    login(client, world.superuser)
    response = client.post(
        reverse("forms_app_dossier_register"),
        {
            "procedure": world.birth.pk,
            "agency": world.skhdt.pk,
            "full_name": "Lê Thị Bình",
            "key": KEY,
        },
    )
    assert "Sở Kế hoạch và Đầu tư không thực hiện thủ tục" in html_of(response)
    assert not Dossier.objects.filter(channel=Channel.COUNTER).exists()


# Query strings an official could craft -------------------------------------------------
@pytest.mark.parametrize(
    "query",
    [
        "applicant__password__startswith=pbkdf2",
        "assigned_to__password__startswith=x",
        "applicant__dossiers__lookup_key__startswith=A",
    ],
)
def test_only_the_declared_filters_reach_the_database(client, world, query):
    login(client, world.official)

    response = client.get(f"{INDEX}?{query}")

    assert response.status_code == 400


@pytest.mark.parametrize("query", ["received_at__gte=abc", "procedure__field__id__exact=abc"])
def test_a_malformed_filter_value_is_a_400_not_a_500(client, world, query):
    login(client, world.official)

    assert client.get(f"{INDEX}?{query}").status_code == 400


def test_a_malformed_procedure_filter_lists_nothing(client, world):
    login(client, world.official)

    assert listed_codes(client, thu_tuc="abc") == set()


def test_officials_internal_notes_stay_in_the_admin(client, world):
    services.receive_dossier(
        dossier=world.dossier, actor=world.official, note="Nội bộ: kiểm tra lại giấy tờ"
    )
    login(client, world.official)
    assert "Nội bộ: kiểm tra lại giấy tờ" in html_of(client.get(inspect_url(world.dossier)))

    login(client, world.citizen)
    page = html_of(client.get(reverse("dossiers:detail", args=[world.dossier.code])))

    assert "Đã tiếp nhận" in page
    assert "Nội bộ: kiểm tra lại giấy tờ" not in page
    assert world.official.email not in page
