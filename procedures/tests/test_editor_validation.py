"""Bad input in the page editor comes back as the same form with a Vietnamese message,
and nothing reaches the database: not the page, not a revision, not the live record."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import Page, Revision

from accounts.tests.factories import UserFactory
from procedures.constants import AgencyLevel
from procedures.models import AgencyPage, ProcedureFee, ProcedurePage

from .admin_forms import get_form_data
from .factories import catalogue_root, make_agency, make_field, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def webmaster_client(client):
    client.force_login(UserFactory(email="webmaster@example.vn", is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def stp():
    return make_agency("STP", "Sở Tư pháp")


@pytest.fixture
def skhdt():
    return make_agency("SKHDT", "Sở Kế hoạch và Đầu tư")


@pytest.fixture
def procedure(stp):
    return make_procedure(stp, "Đăng ký khai sinh", "1.001193")


@pytest.fixture
def other_procedure(skhdt):
    return make_procedure(
        skhdt,
        "Đăng ký thành lập doanh nghiệp tư nhân",
        "2.001610",
        field=make_field("DOANH_NGHIEP", "Thành lập và hoạt động của doanh nghiệp"),
    )


def snapshot():
    """Everything a rejected form must leave as it was."""
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "procedures": sorted(
            ProcedurePage.objects.values_list(
                "pk", "title", "code", "processing_time_days", "has_unpublished_changes"
            )
        ),
        "fees": sorted(ProcedureFee.objects.values_list("page_id", "name", "amount")),
        "agencies": sorted(
            AgencyPage.objects.values_list("pk", "title", "code", "level", "path", "live")
        ),
    }


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.id])


def add_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=["procedures", model, parent.id])


def assert_rejected(response, message, before, field=None, formset=None):
    """The editor is shown again, with ``message`` by the offending field."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert 'id="page-edit-form"' in html
    assert message in html, f"{message!r} not on the page"
    form = response.context["form"]
    if formset:
        errors = [
            str(error) for error in form.formsets[formset].errors for error in error.values()
        ]
    else:
        errors = [str(error) for error in form.errors.get(field, [])]
    assert any(message in error for error in errors), (message, form.errors)
    assert snapshot() == before


def post(client, url, data, action="action-publish"):
    """Publish, or with ``action=None`` save a draft (the button without a name)."""
    return client.post(url, {**data, action: action} if action else data)


# Procedures ------------------------------------------------------------------------------


def test_a_duplicate_procedure_code_is_refused_on_edit(
    webmaster_client, procedure, other_procedure
):
    data = get_form_data(webmaster_client, edit_url(other_procedure))
    data["code"] = procedure.code
    before = snapshot()
    for action in ("action-publish", None):
        response = post(webmaster_client, edit_url(other_procedure), data, action)
        assert_rejected(response, "đã tồn tại", before, field="code")
    assert ProcedurePage.objects.get(pk=other_procedure.pk).code == "2.001610"


def new_procedure_data(client, agency, **changes):
    data = get_form_data(client, add_url("procedurepage", agency))
    data.update(
        title="Đăng ký lại khai sinh",
        slug="dang-ky-lai-khai-sinh",
        code="1.004884",
        level="2",
        field=str(make_field().pk),
        applicant_types="citizen",
    )
    data.update(changes)
    return data


def test_a_duplicate_procedure_code_is_refused_on_add(webmaster_client, stp, procedure):
    data = new_procedure_data(webmaster_client, stp, code=procedure.code)
    before = snapshot()
    response = post(webmaster_client, add_url("procedurepage", stp), data)
    assert_rejected(response, "đã tồn tại", before, field="code")
    assert not ProcedurePage.objects.filter(slug="dang-ky-lai-khai-sinh").exists()


@pytest.mark.parametrize("code", ["1001193", "1.1193", "A.001193", "1.0011934", "123.001193"])
def test_a_procedure_code_must_look_like_the_national_one(webmaster_client, procedure, code):
    data = get_form_data(webmaster_client, edit_url(procedure))
    data["code"] = code
    before = snapshot()
    response = post(webmaster_client, edit_url(procedure), data)
    assert_rejected(response, "Mã thủ tục có dạng 1.001193", before, field="code")


def test_a_new_procedure_with_a_malformed_code_is_not_created(webmaster_client, stp):
    data = new_procedure_data(webmaster_client, stp, code="1-004884")
    before = snapshot()
    response = post(webmaster_client, add_url("procedurepage", stp), data)
    assert_rejected(response, "Mã thủ tục có dạng 1.001193", before, field="code")


def test_a_fee_cannot_be_negative(webmaster_client, procedure):
    data = get_form_data(webmaster_client, edit_url(procedure))
    assert data["fees-0-amount"] == "50.000"
    data["fees-0-amount"] = "-50.000"
    before = snapshot()
    response = post(webmaster_client, edit_url(procedure), data)
    assert_rejected(
        response, "Số tiền không hợp lệ: nhập số đồng, ví dụ 50.000.", before, formset="fees"
    )
    assert list(procedure.fees.values_list("amount", flat=True)) == [50000]


def test_a_new_fee_cannot_be_negative(webmaster_client, stp):
    data = new_procedure_data(
        webmaster_client,
        stp,
        **{
            "fees-TOTAL_FORMS": "1",
            "fees-0-name": "Lệ phí",
            "fees-0-amount": "-1",
            "fees-0-note": "",
            "fees-0-id": "",
            "fees-0-ORDER": "1",
            "fees-0-DELETE": "",
        },
    )
    before = snapshot()
    response = post(webmaster_client, add_url("procedurepage", stp), data)
    assert_rejected(
        response, "Số tiền không hợp lệ: nhập số đồng, ví dụ 50.000.", before, formset="fees"
    )


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("-1", "Đảm bảo giá trị này lớn hơn hoặc bằng với 0"),
        ("-3", "Đảm bảo giá trị này lớn hơn hoặc bằng với"),
        ("366", "Đảm bảo giá trị này là nhỏ hơn hoặc bằng với 365"),
    ],
)
def test_processing_time_is_zero_to_365_days(webmaster_client, procedure, days, message):
    data = get_form_data(webmaster_client, edit_url(procedure))
    data["processing_time_days"] = days
    before = snapshot()
    response = post(webmaster_client, edit_url(procedure), data)
    assert_rejected(response, message, before, field="processing_time_days")
    assert ProcedurePage.objects.get(pk=procedure.pk).processing_time_days == 3


def test_a_procedure_filed_under_an_agency_is_executed_by_it_by_default(webmaster_client, stp):
    data = new_procedure_data(webmaster_client, stp)
    data.pop("executing_agencies", None)
    response = post(webmaster_client, add_url("procedurepage", stp), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    page = ProcedurePage.objects.get(code="1.004884")
    assert page.live
    assert page.get_parent().pk == stp.pk
    assert list(page.executing_agencies.all()) == [stp]
    assert list(page.get_latest_revision().as_object().executing_agencies.all()) == [stp]
    assert page in stp.procedures()


def test_a_draft_filed_under_an_agency_is_executed_by_it_by_default(webmaster_client, stp):
    data = new_procedure_data(webmaster_client, stp)
    data.pop("executing_agencies", None)
    response = post(webmaster_client, add_url("procedurepage", stp), data, action=None)
    assert response.status_code == 302, response.content.decode()[:3000]

    page = ProcedurePage.objects.get(code="1.004884")
    assert not page.live
    assert list(page.get_latest_revision().as_object().executing_agencies.all()) == [stp]


def test_chosen_executing_agencies_are_kept(webmaster_client, stp, skhdt):
    data = new_procedure_data(webmaster_client, stp, executing_agencies=[str(skhdt.pk)])
    response = post(webmaster_client, add_url("procedurepage", stp), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = ProcedurePage.objects.get(code="1.004884")
    assert list(page.executing_agencies.all()) == [skhdt]


# Agencies --------------------------------------------------------------------------------


def new_agency_data(client, parent, **changes):
    data = get_form_data(client, add_url("agencypage", parent))
    data.update(title="Sở Nội vụ", slug="so-noi-vu", code="SNV", level=AgencyLevel.PROVINCE)
    data.update(changes)
    return data


def test_an_agency_code_is_unique_on_add(webmaster_client, stp):
    index = catalogue_root()[0]
    data = new_agency_data(webmaster_client, index, code="STP")
    before = snapshot()
    response = post(webmaster_client, add_url("agencypage", index), data)
    assert_rejected(response, "đã tồn tại", before, field="code")
    assert not AgencyPage.objects.filter(slug="so-noi-vu").exists()


def test_an_agency_code_is_unique_on_edit(webmaster_client, stp, skhdt):
    data = get_form_data(webmaster_client, edit_url(skhdt))
    data["code"] = "STP"
    before = snapshot()
    response = post(webmaster_client, edit_url(skhdt), data)
    assert_rejected(response, "đã tồn tại", before, field="code")
    assert AgencyPage.objects.get(pk=skhdt.pk).code == "SKHDT"


def test_a_commune_cannot_sit_directly_under_the_agency_list(webmaster_client, stp):
    index = catalogue_root()[0]
    data = new_agency_data(
        webmaster_client,
        index,
        title="UBND xã Hòa An",
        slug="ubnd-xa-hoa-an",
        code="HPH.HA",
        level=AgencyLevel.COMMUNE,
    )
    before = snapshot()
    response = post(webmaster_client, add_url("agencypage", index), data)
    assert_rejected(
        response, "Cơ quan cấp xã phải nằm dưới một cơ quan cấp huyện.", before, field="level"
    )


def test_a_commune_cannot_sit_under_a_department(webmaster_client, stp):
    data = new_agency_data(
        webmaster_client,
        stp,
        title="UBND xã Hòa An",
        slug="ubnd-xa-hoa-an",
        code="HPH.HA",
        level=AgencyLevel.COMMUNE,
    )
    before = snapshot()
    response = post(webmaster_client, add_url("agencypage", stp), data)
    assert_rejected(
        response, "Cơ quan cấp xã phải nằm dưới một cơ quan cấp huyện.", before, field="level"
    )


@pytest.mark.parametrize("level", [AgencyLevel.PROVINCE, AgencyLevel.DISTRICT])
def test_a_province_or_district_agency_cannot_sit_under_another_agency(
    webmaster_client, stp, level
):
    data = new_agency_data(webmaster_client, stp, level=level)
    before = snapshot()
    response = post(webmaster_client, add_url("agencypage", stp), data)
    assert_rejected(
        response,
        "Cơ quan cấp tỉnh, cấp huyện nằm ngay dưới trang “Cơ quan thực hiện”.",
        before,
        field="level",
    )


def test_a_department_cannot_be_moved_down_to_commune_level_by_editing(webmaster_client, stp):
    data = get_form_data(webmaster_client, edit_url(stp))
    data["level"] = AgencyLevel.COMMUNE
    before = snapshot()
    response = post(webmaster_client, edit_url(stp), data)
    assert_rejected(
        response, "Cơ quan cấp xã phải nằm dưới một cơ quan cấp huyện.", before, field="level"
    )


def test_a_well_placed_commune_is_created(webmaster_client):
    district = make_agency("HPH", "UBND huyện Phú Hòa", AgencyLevel.DISTRICT)
    data = new_agency_data(
        webmaster_client,
        district,
        title="UBND xã Hòa An",
        slug="ubnd-xa-hoa-an",
        code="HPH.HA",
        level=AgencyLevel.COMMUNE,
    )
    response = post(webmaster_client, add_url("agencypage", district), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    commune = AgencyPage.objects.get(code="HPH.HA")
    assert commune.live
    assert commune.get_parent().pk == district.pk


# Fee schedules: alternatives, conditional lines, paying with the submission -------------


@pytest.fixture
def birth(stp):
    from .factories import BIRTH_FEES

    return make_procedure(stp, "Đăng ký khai sinh", "1.001193", fees=BIRTH_FEES)


def fee_rows(page):
    return list(page.fees.values_list("name", "amount", "condition", "alternative_group"))


def test_a_schedule_with_alternatives_cannot_be_paid_with_the_submission(webmaster_client, birth):
    data = get_form_data(webmaster_client, edit_url(birth))
    assert data["fees-0-condition"] == "alternative"
    data["pay_on_submission"] = "on"
    before = snapshot()
    for action in ("action-publish", None):
        response = post(webmaster_client, edit_url(birth), data, action)
        assert_rejected(
            response,
            "Không thể thu phí, lệ phí ngay khi nộp hồ sơ",
            before,
            field="pay_on_submission",
        )
    assert ProcedurePage.objects.get(pk=birth.pk).pay_on_submission is False


def test_making_a_fee_conditional_on_a_procedure_paid_with_the_submission_is_refused(
    webmaster_client, stp
):
    page = make_procedure(stp, "Cấp Giấy phép lái xe quốc tế", "1.002820", pay_on_submission=True)
    data = get_form_data(webmaster_client, edit_url(page))
    data["fees-0-condition"] = "conditional"
    data["fees-0-note"] = "Khi cấp lại do mất."
    before = snapshot()
    response = post(webmaster_client, edit_url(page), data)
    assert_rejected(
        response, "Không thể thu phí, lệ phí ngay khi nộp hồ sơ", before, field="pay_on_submission"
    )
    assert fee_rows(page) == [("Lệ phí 1", 50000, "always", None)]


def test_an_alternative_alone_in_its_group_is_refused(webmaster_client, birth):
    data = get_form_data(webmaster_client, edit_url(birth))
    data["fees-1-alternative_group"] = "2"
    before = snapshot()
    response = post(webmaster_client, edit_url(birth), data)
    assert_rejected(response, "là mức thay thế duy nhất của nhóm", before, formset="fees")


def test_a_conditional_fee_needs_its_case_in_the_note(webmaster_client, procedure):
    data = get_form_data(webmaster_client, edit_url(procedure))
    data["fees-0-condition"] = "conditional"
    data["fees-0-note"] = "  "
    before = snapshot()
    response = post(webmaster_client, edit_url(procedure), data)
    assert_rejected(response, "cần ghi chú nêu rõ trường hợp phải nộp", before, formset="fees")
    assert fee_rows(procedure) == [("Lệ phí 1", 50000, "always", None)]


def test_only_alternatives_have_a_group(webmaster_client, procedure):
    data = get_form_data(webmaster_client, edit_url(procedure))
    data["fees-0-alternative_group"] = "1"
    before = snapshot()
    response = post(webmaster_client, edit_url(procedure), data)
    assert_rejected(response, "Chỉ các mức thay thế nhau mới có nhóm", before, formset="fees")


def test_an_editor_marks_fees_as_alternatives_and_the_page_shows_the_choice(
    webmaster_client, client, stp
):
    page = make_procedure(stp, "Đăng ký khai sinh", "1.001193", fees=2)
    data = get_form_data(webmaster_client, edit_url(page))
    data.update(
        {
            "fees-0-condition": "alternative",
            "fees-1-condition": "alternative",
            "fees-1-note": "Khi đăng ký quá hạn.",
        }
    )
    response = post(webmaster_client, edit_url(page), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    page = ProcedurePage.objects.get(pk=page.pk)
    assert fee_rows(page) == [
        ("Lệ phí 1", 50000, "alternative", 1),
        ("Lệ phí 2", 100000, "alternative", 1),
    ]
    html = client.get(page.url).content.decode()
    assert "Lệ phí 1: 50.000 đồng hoặc Lệ phí 2: 100.000 đồng" in html


def test_a_procedure_settled_within_the_day_is_entered_as_zero_days(webmaster_client, procedure):
    data = get_form_data(webmaster_client, edit_url(procedure))
    data["processing_time_days"] = "0"
    response = post(webmaster_client, edit_url(procedure), data)
    assert response.status_code == 302
    assert ProcedurePage.objects.get(pk=procedure.pk).processing_time_days == 0


# Agencies: the afternoon cut-off ---------------------------------------------------------


def test_the_webmaster_sets_an_agencys_cutoff(webmaster_client, stp):
    data = get_form_data(webmaster_client, edit_url(stp))
    assert data["receipt_cutoff"] == "15:00"
    data["receipt_cutoff"] = "16:30"
    response = post(webmaster_client, edit_url(stp), data)
    assert response.status_code == 302
    assert AgencyPage.objects.get(pk=stp.pk).receipt_cutoff == datetime.time(16, 30)


@pytest.mark.parametrize("cutoff", ["06:30", "17:30", "23:00"])
def test_a_cutoff_outside_office_hours_is_refused(webmaster_client, stp, cutoff):
    data = get_form_data(webmaster_client, edit_url(stp))
    data["receipt_cutoff"] = cutoff
    before = snapshot()
    response = post(webmaster_client, edit_url(stp), data)
    assert_rejected(
        response,
        "Giờ chốt tiếp nhận phải trong giờ làm việc, từ 07:00 đến 17:00.",
        before,
        field="receipt_cutoff",
    )
    assert AgencyPage.objects.get(pk=stp.pk).receipt_cutoff == datetime.time(15, 0)


def test_a_fee_typed_with_dots_is_saved_in_thousands_of_dong(webmaster_client, procedure):
    """An editor copies "5.000" from the procedure's record: five thousand đồng, not 5."""
    data = get_form_data(webmaster_client, edit_url(procedure))
    assert data["fees-0-amount"] == "50.000"
    data["fees-0-amount"] = "5.000"
    response = post(webmaster_client, edit_url(procedure), data, "action-publish")
    assert response.status_code == 302
    assert ProcedurePage.objects.get(pk=procedure.pk).fees.get().amount == 5000


def test_a_fee_that_is_not_whole_dong_is_refused(webmaster_client, procedure):
    data = get_form_data(webmaster_client, edit_url(procedure))
    data["fees-0-amount"] = "5.000,50"
    before = snapshot()
    response = post(webmaster_client, edit_url(procedure), data)
    assert_rejected(
        response, "Số tiền không hợp lệ: nhập số đồng, ví dụ 50.000.", before, formset="fees"
    )
