"""Each agency edits its own corner of the admin: its editors draft and submit, its
moderators approve and publish, its documents go to its own collection; the webmaster
edits everything."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Revision, TaskState, WorkflowState

from accounts.tests.factories import UserFactory
from home.models import PortalDocument
from procedures.demo import seed_agency_permissions, seed_tree
from procedures.models import ProcedureField, ProcedurePage

from .admin_forms import form_data, get_form_data
from .factories import make_field, make_procedure

pytestmark = pytest.mark.django_db

NEW_TITLE = "Đăng ký khai sinh (sửa đổi)"


@pytest.fixture
def catalogue():
    agencies = {agency.code: agency for agency in seed_tree()}
    stp, skhdt = agencies["STP"], agencies["SKHDT"]
    return {
        "stp": stp,
        "skhdt": skhdt,
        "stp_collection": seed_agency_permissions(stp),
        "skhdt_collection": seed_agency_permissions(skhdt),
        "stp_procedure": make_procedure(stp, "Đăng ký khai sinh", "1.001193"),
        "skhdt_procedure": make_procedure(
            skhdt,
            "Đăng ký thành lập doanh nghiệp tư nhân",
            "2.001610",
            field=make_field("DOANH_NGHIEP", "Thành lập và hoạt động của doanh nghiệp"),
        ),
    }


def member_of(group_name, email):
    user = UserFactory(email=email)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(catalogue):
    return member_of(f"{catalogue['stp'].title} – Biên tập viên", "bien.tap@stp.example.vn")


@pytest.fixture
def moderator(catalogue):
    return member_of(f"{catalogue['stp'].title} – Kiểm duyệt", "kiem.duyet@stp.example.vn")


@pytest.fixture
def webmaster():
    return UserFactory(email="webmaster@example.vn", is_superuser=True, is_staff=True)


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.id])


def live(page):
    return ProcedurePage.objects.get(pk=page.pk)


def in_progress(page):
    return WorkflowState.objects.for_instance(page).filter(status=WorkflowState.STATUS_IN_PROGRESS)


def assert_denied(response):
    """Wagtail answers a forbidden admin view with 403, or by sending the user back to the
    dashboard with "you do not have permission"."""
    if response.status_code == 403:
        return
    assert response.status_code == 302, response.status_code
    assert response.url == reverse("wagtailadmin_home")
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages, "no permission message"


def post_edit(client, page, action, **changes):
    data = get_form_data(client, edit_url(page))
    data.update(changes)
    if action:
        data[action] = action
    return client.post(edit_url(page), data)


def submit_change(client, page, title=NEW_TITLE):
    response = post_edit(client, page, "action-submit", title=title)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


# Editors -------------------------------------------------------------------------------


def test_an_editor_submits_a_change_to_their_agencys_procedure_for_moderation(
    client, catalogue, editor
):
    page = catalogue["stp_procedure"]
    live_revision = page.live_revision_id
    client.force_login(editor)
    assert client.get(edit_url(page)).status_code == 200

    submit_change(client, page)

    page = live(page)
    assert page.title == "Đăng ký khai sinh"  # the public page is unchanged…
    assert page.live_revision_id == live_revision
    assert page.has_unpublished_changes
    assert page.get_latest_revision().as_object().title == NEW_TITLE  # …the draft is saved
    state = in_progress(page).get()
    assert state.workflow.name == f"Duyệt thủ tục – {catalogue['stp'].title}"
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert state.requested_by == editor


def test_an_editor_cannot_publish(client, catalogue, editor):
    page = catalogue["stp_procedure"]
    live_revision = page.live_revision_id
    client.force_login(editor)

    # The editor is not offered the publish button…
    html = client.get(edit_url(page)).content.decode()
    assert not BeautifulSoup(html, "html.parser").find("button", attrs={"name": "action-publish"})
    # …and a hand-made "publish" is kept as a draft at most.
    response = post_edit(client, page, "action-publish", title=NEW_TITLE)
    assert response.status_code in (200, 302, 403)

    page = live(page)
    assert page.title == "Đăng ký khai sinh"
    assert page.live_revision_id == live_revision
    client.logout()
    assert NEW_TITLE not in client.get(page.url).content.decode()


def test_an_editor_cannot_touch_another_agencys_procedure(client, catalogue, editor):
    own, other = catalogue["stp_procedure"], catalogue["skhdt_procedure"]
    client.force_login(editor)
    data = get_form_data(client, edit_url(own))  # a well-formed POST, aimed at the other page
    data.update(title="Bị sửa trái phép", code=other.code, slug=other.slug)
    revisions = Revision.objects.count()

    assert_denied(client.get(edit_url(other)))
    for action in ("action-submit", "action-publish"):
        assert_denied(client.post(edit_url(other), {**data, action: action}))

    other = live(other)
    assert other.title == "Đăng ký thành lập doanh nghiệp tư nhân"
    assert not other.has_unpublished_changes
    assert Revision.objects.count() == revisions
    assert not in_progress(other).exists()


def test_an_editor_cannot_add_a_procedure_under_another_agency(client, catalogue, editor):
    stp, skhdt = catalogue["stp"], catalogue["skhdt"]
    client.force_login(editor)
    own_add = reverse("wagtailadmin_pages:add", args=["procedures", "procedurepage", stp.id])
    other_add = reverse("wagtailadmin_pages:add", args=["procedures", "procedurepage", skhdt.id])
    assert client.get(own_add).status_code == 200

    data = get_form_data(client, own_add)
    data.update(
        title="Thủ tục lạ",
        slug="thu-tuc-la",
        code="2.999999",
        field=str(catalogue["skhdt_procedure"].field_id),
        applicant_types="enterprise",
        **{"action-submit": "action-submit"},
    )
    before = ProcedurePage.objects.count()
    assert_denied(client.get(other_add))
    assert_denied(client.post(other_add, data))
    assert ProcedurePage.objects.count() == before
    assert not ProcedurePage.objects.filter(code="2.999999").exists()


# Moderators ----------------------------------------------------------------------------


def approve_url(page, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=[page.id, "approve", task_state.id])


def test_the_agencys_moderator_approves_and_the_change_goes_live(
    client, catalogue, editor, moderator
):
    page = catalogue["stp_procedure"]
    client.force_login(editor)
    submit_change(client, page)
    task_state = in_progress(page).get().current_task_state

    # The editor cannot approve their own submission.
    assert_denied(client.post(approve_url(page, task_state), {"comment": ""}))
    assert live(page).title == "Đăng ký khai sinh"

    client.force_login(moderator)
    response = client.post(approve_url(page, task_state), {"comment": "Đồng ý"})
    assert response.status_code == 302

    page = live(page)
    assert page.title == NEW_TITLE
    assert not page.has_unpublished_changes
    assert not in_progress(page).exists()
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.finished_by == moderator
    client.logout()
    assert NEW_TITLE in client.get(page.url).content.decode()


def test_another_agencys_moderator_cannot_approve(client, catalogue, editor):
    page = catalogue["stp_procedure"]
    client.force_login(editor)
    submit_change(client, page)
    task_state = in_progress(page).get().current_task_state

    client.force_login(
        member_of(f"{catalogue['skhdt'].title} – Kiểm duyệt", "kiem.duyet@skhdt.example.vn")
    )
    assert_denied(client.post(approve_url(page, task_state), {"comment": ""}))
    assert live(page).title == "Đăng ký khai sinh"
    assert in_progress(page).exists()


# Documents -----------------------------------------------------------------------------


def upload(client, collection, title):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": title,
            "collection": str(collection.id),
            "tags": "",
            "file": SimpleUploadedFile(
                "to-khai.docx",
                b"PK\x03\x04 demo form",
                content_type=(
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                ),
            ),
        },
    )


def test_an_editor_uploads_documents_only_to_their_agencys_collection(client, catalogue, editor):
    stp_collection, skhdt_collection = catalogue["stp_collection"], catalogue["skhdt_collection"]
    client.force_login(editor)
    response = client.get(reverse("wagtaildocs:add"))
    assert response.status_code == 200
    # With a single permitted collection Wagtail drops the chooser and files into it.
    form = response.context["form"]
    if "collection" in form.fields:
        assert list(form.fields["collection"].queryset) == [stp_collection]

    response = upload(client, stp_collection, "Tờ khai của Sở Tư pháp")
    assert response.status_code == 302
    assert PortalDocument.objects.get(title="Tờ khai của Sở Tư pháp").collection == stp_collection

    # Asking for the other agency's collection never puts a file there.
    response = upload(client, skhdt_collection, "Tờ khai lạc chỗ")
    assert response.status_code in (200, 302)
    assert not PortalDocument.objects.filter(collection=skhdt_collection).exists()
    misplaced = PortalDocument.objects.filter(title="Tờ khai lạc chỗ").first()
    assert misplaced is None or misplaced.collection == stp_collection


def test_an_editor_cannot_change_another_agencys_documents(client, catalogue, editor):
    document = PortalDocument.objects.create(
        title="Mẫu đăng ký doanh nghiệp",
        file=ContentFile(b"PK\x03\x04 demo form", name="mau-dang-ky.docx"),
        collection=catalogue["skhdt_collection"],
    )
    client.force_login(editor)
    edit = reverse("wagtaildocs:edit", args=[document.id])
    assert_denied(client.get(edit))
    assert_denied(client.post(edit, {"title": "Bị sửa trái phép"}))
    document.refresh_from_db()
    assert document.title == "Mẫu đăng ký doanh nghiệp"


# The webmaster ---------------------------------------------------------------------------


def test_the_webmaster_edits_every_agencys_procedures(client, catalogue, webmaster):
    client.force_login(webmaster)
    for key, title in (
        ("stp_procedure", "Thủ tục Sở Tư pháp"),
        ("skhdt_procedure", "Thủ tục KHĐT"),
    ):
        page = catalogue[key]
        assert client.get(edit_url(page)).status_code == 200
        response = post_edit(client, page, "action-publish", title=title)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert live(page).title == title


def test_the_webmaster_manages_procedure_fields(client, catalogue, webmaster, editor):
    field = ProcedureField.objects.get(code="HO_TICH")
    list_url = reverse("wagtailsnippets_procedures_procedurefield:list")
    edit_field_url = reverse("wagtailsnippets_procedures_procedurefield:edit", args=[field.pk])

    client.force_login(editor)  # fields are the webmaster's
    assert_denied(client.get(list_url))
    assert_denied(client.get(edit_field_url))

    client.force_login(webmaster)
    response = client.get(list_url)
    assert response.status_code == 200
    assert "Hộ tịch" in response.content.decode()
    data = form_data(client.get(edit_field_url).content.decode(), form_id="w-editor-form")
    data["name"] = "Hộ tịch, quốc tịch"
    assert client.post(edit_field_url, data).status_code == 302
    field.refresh_from_db()
    assert field.name == "Hộ tịch, quốc tịch"


def test_a_code_waiting_in_moderation_cannot_break_the_approval(
    client, catalogue, editor, moderator, webmaster
):
    """The editor's draft gives the procedure a new code; before it is approved the
    webmaster gives that code to another procedure. Uniqueness is only checked against
    live rows, so both forms pass and the approval's publish then fails in
    ``Page.full_clean`` with a ValidationError: a 500 for the moderator, and a submission
    that can never be approved."""
    page, other = catalogue["stp_procedure"], catalogue["skhdt_procedure"]
    client.force_login(editor)
    assert post_edit(client, page, "action-submit", code="1.000777").status_code == 302
    assert live(page).get_latest_revision().as_object().code == "1.000777"
    assert live(page).code == "1.001193"

    client.force_login(webmaster)
    post_edit(client, other, "action-publish", code="1.000777")  # should be refused

    client.force_login(moderator)
    client.raise_request_exception = False
    task_state = in_progress(page).get().current_task_state
    response = client.post(approve_url(page, task_state), {"comment": ""})
    assert response.status_code == 302, "approving a submitted draft answered a server error"
    assert ProcedurePage.objects.filter(code="1.000777").count() == 1


def test_an_editor_cannot_change_the_agency_code_or_level(client, catalogue, editor):
    client.force_login(editor)
    agency = catalogue["stp"]
    data = get_form_data(client, edit_url(agency))
    data.update(code="HACKED", level="commune", title=agency.title)
    client.post(edit_url(agency), {**data, "action-submit": "action-submit"})
    agency.refresh_from_db()
    latest = agency.get_latest_revision_as_object()
    assert (agency.code, agency.level) == ("STP", "province")
    assert (latest.code, latest.level) == ("STP", "province")


def test_an_editor_cannot_move_the_agencys_cutoff(client, catalogue, editor):
    """The cut-off moves every deadline of the agency: only webmasters change it."""
    client.force_login(editor)
    agency = catalogue["stp"]
    html = client.get(edit_url(agency)).content.decode()
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "receipt_cutoff"})
    assert field is not None and field.has_attr("disabled")
    data = get_form_data(client, edit_url(agency))
    data.update(receipt_cutoff="17:00", title=agency.title)
    client.post(edit_url(agency), {**data, "action-submit": "action-submit"})
    agency.refresh_from_db()
    assert agency.receipt_cutoff == datetime.time(15, 0)
    assert agency.get_latest_revision_as_object().receipt_cutoff == datetime.time(15, 0)
