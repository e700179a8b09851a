"""A procedure page shows the whole national record, its templates from level 2, the
online-submission button from level 3, and costs the same queries whatever its size."""

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procedures.models import ProcedurePage

from .factories import make_agency, make_document, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return make_agency()


def render(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_every_part_of_the_record_is_published(client, agency):
    page = make_procedure(agency, template=make_document(), fees=2, components=3)
    html = render(client, page)
    for text in (
        "Đăng ký khai sinh",
        "Mã thủ tục",
        "1.001193",
        "Hộ tịch",  # field
        "Sở Tư pháp",  # executing agency
        "Công dân",  # applicant type
        "3 ngày làm việc",
        "Trình tự thực hiện",
        "Bước 1: Nộp hồ sơ",
        "Cách thức thực hiện",
        "Trực tiếp",
        "Thành phần hồ sơ",
        "Giấy tờ số 3",
        "Phí, lệ phí",
        "50.000 đồng",
        "100.000 đồng",
        "Kết quả thực hiện",
        "Giấy khai sinh",
        "Căn cứ pháp lý",
        "60/2014/QH13",
    ):
        assert text in html, text


def test_a_procedure_settled_within_the_day_says_so(client, agency):
    """ "Đăng ký khai sinh" is settled on the day of receipt (Luật Hộ tịch 2014, Điều
    16): its page says "Trong ngày làm việc", not "0 ngày làm việc"."""
    page = make_procedure(agency, processing_time_days=0)
    html = render(client, page)
    dd = BeautifulSoup(html, "html.parser").find("dt", string="Thời hạn giải quyết")
    assert dd.find_next_sibling("dd").get_text(strip=True) == "Trong ngày làm việc"
    assert "0 ngày làm việc" not in html


@pytest.mark.parametrize(("level", "downloadable"), [(1, False), (2, True), (3, True), (4, True)])
def test_templates_download_from_level_two(client, agency, level, downloadable):
    document = make_document()
    page = make_procedure(agency, level=level, template=document)
    assert (document.url in render(client, page)) is downloadable


def test_the_template_downloads_with_its_original_file_name(client, agency):
    document = make_document(filename="to-khai-dang-ky-khai-sinh.docx")
    make_procedure(agency, level=2, template=document)
    response = client.get(document.url)
    assert response.status_code == 200
    assert 'filename="to-khai-dang-ky-khai-sinh.docx"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"PK\x03\x04 demo form"


@pytest.mark.parametrize(("level", "online"), [(1, False), (2, False), (3, True), (4, True)])
def test_online_submission_button_from_level_three(client, agency, level, online):
    page = make_procedure(agency, level=level)
    soup = BeautifulSoup(render(client, page), "html.parser")
    button = soup.find("main").find("a", string="Nộp hồ sơ trực tuyến")
    assert (button is not None) is online
    if online:
        assert button["href"] == reverse("dossiers:start", args=[page.id])
        # The wizard asks an anonymous visitor to log in first, then comes back here.
        assert client.get(button["href"])["Location"].endswith(f"?next={button['href']}")


def test_structured_data_title_and_print_stylesheet(client, agency):
    page = make_procedure(agency, summary="Đăng ký việc sinh cho trẻ em.")
    soup = BeautifulSoup(render(client, page), "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "GovernmentService"
    assert data["name"] == "Đăng ký khai sinh"
    assert data["identifier"] == "1.001193"
    assert data["provider"][0]["name"] == "Sở Tư pháp"
    assert soup.title.string.startswith("Đăng ký khai sinh")
    assert (
        soup.find("meta", attrs={"name": "description"})["content"]
        == "Đăng ký việc sinh cho trẻ em."
    )
    assert soup.find("link", rel="stylesheet", media="print")


def test_structured_data_cannot_break_out_of_its_script(client, agency):
    page = make_procedure(agency, summary="</script><script>alert(1)</script>")
    html = render(client, page)
    assert "</script><script>alert(1)" not in html


def queries_to_render(client, page):
    with CaptureQueriesContext(connection) as captured:
        render(client, page)
    return len(captured)


def test_query_count_does_not_grow_with_components_and_fees(client, agency):
    document = make_document()
    small = make_procedure(
        agency, "Thủ tục nhỏ", "1.000001", components=2, fees=2, template=document
    )
    large = make_procedure(
        agency, "Thủ tục lớn", "1.000002", components=20, fees=20, template=document
    )
    # Warm the caches: site root paths, and the page each URL names (core.routing).
    queries_to_render(client, small)
    queries_to_render(client, large)
    assert queries_to_render(client, small) == queries_to_render(client, large)


def test_a_long_template_name_downloads_unchanged(client, agency):
    name = (
        "thong-bao-tam-ngung-kinh-doanh-tiep-tuc-kinh-doanh-truoc-thoi-han-"
        "da-thong-bao-cua-ho-kinh-doanh.docx"
    )
    document = make_document(title="Thông báo tạm ngừng kinh doanh", filename=name)
    make_procedure(agency, level=2, template=document)
    response = client.get(document.url)
    assert f'filename="{name}"' in response["Content-Disposition"]


def test_procedures_and_agencies_cannot_be_copied(client, agency):
    from accounts.tests.factories import UserFactory

    page = make_procedure(agency)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for source in (page, agency):
        response = client.get(reverse("wagtailadmin_pages:copy", args=[source.id]))
        assert response.status_code == 302
    assert ProcedurePage.objects.count() == 1


# Fees that are alternatives or conditional ---------------------------------------------


def text_of(html):
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def test_alternative_fees_are_shown_as_a_choice_never_as_a_total(client, agency):
    from .factories import BIRTH_FEES

    page = make_procedure(agency, fees=BIRTH_FEES)
    text = text_of(render(client, page))
    # The summary at the top: one rate or the other.
    assert (
        "Phí, lệ phí Lệ phí đăng ký khai sinh đúng hạn: Không thu phí hoặc "
        "Lệ phí đăng ký khai sinh quá hạn: 5.000 đồng"
    ) in text
    # The section: the group under its heading, "hoặc" before the second rate.
    assert (
        "Một trong các mức sau, tùy trường hợp áp dụng: Lệ phí đăng ký khai sinh đúng hạn: "
        "Không thu phí — Miễn lệ phí khi đăng ký trong 60 ngày kể từ ngày sinh. hoặc "
        "Lệ phí đăng ký khai sinh quá hạn: 5.000 đồng"
    ) in text
    assert "Tổng" not in text


def test_a_conditional_fee_is_marked_with_its_case(client, agency):
    from .factories import RECORD_FEES

    page = make_procedure(agency, fees=RECORD_FEES, title="Cấp Phiếu lý lịch tư pháp")
    text = text_of(render(client, page))
    assert (
        "Tùy trường hợp Phí cấp từ Phiếu thứ 3 trở đi: 5.000 đồng — "
        "Khi đề nghị cấp trên 02 Phiếu trong một lần yêu cầu." in text
    )
    assert (
        "Phí cung cấp thông tin lý lịch tư pháp: 200.000 đồng hoặc Phí cung cấp thông tin lý "
        "lịch tư pháp (sinh viên, người có công): 100.000 đồng; Phí cấp từ Phiếu thứ 3 trở đi: "
        "5.000 đồng (tùy trường hợp: Khi đề nghị cấp trên 02 Phiếu trong một lần yêu cầu.)"
    ) in text
    assert "305.000" not in text and "300.000" not in text and "Tổng" not in text


def test_alternatives_listed_apart_are_shown_together(client, agency):
    page = make_procedure(
        agency,
        fees=[
            {
                "name": "Phí thẩm định khu vực thành thị",
                "amount": 400000,
                "condition": "alternative",
            },
            {"name": "Lệ phí cấp giấy phép", "amount": 50000},
            {
                "name": "Phí thẩm định khu vực nông thôn",
                "amount": 200000,
                "condition": "alternative",
            },
        ],
    )
    text = text_of(render(client, page))
    assert (
        "Phí thẩm định khu vực thành thị: 400.000 đồng hoặc Phí thẩm định khu vực nông thôn: "
        "200.000 đồng; Lệ phí cấp giấy phép: 50.000 đồng"
    ) in text
