"""The content API: Wagtail API v2 at /api/v2/ (every contract field, filters, search as
on /thu-tuc/) and the project's router on API v3 at /api/v3/procedures/."""

import datetime
import re

import pytest
from django.contrib.staticfiles import finders

from procedures.constants import AgencyLevel
from procedures.models import ProcedurePage
from procedures.models.procedures import LegalBasis

from .factories import SIMILAR_TITLES, make_agency, make_document, make_field, make_procedure

pytestmark = pytest.mark.django_db

PAGES = "/api/v2/pages/"
PROCEDURES = {"type": "procedures.ProcedurePage", "fields": "*"}
V3 = "/api/v3/procedures/"


@pytest.fixture
def catalogue():
    justice = make_agency("STP", "Sở Tư pháp")
    justice.address = "12 Lê Lợi, TP. Thanh Hóa"
    justice.phone = "0237 3852 000"
    justice.email = "stp@thanhhoa.gov.vn"
    justice.working_hours = "Thứ Hai – Thứ Sáu, 7:00 – 17:00"
    justice.introduction = "<p>Sở Tư pháp tỉnh.</p>"
    justice.save_revision().publish()
    commune = make_agency("HPH.HA", "UBND xã Hòa An", AgencyLevel.PROVINCE)
    template = make_document()
    birth = make_procedure(
        commune,
        "Đăng ký khai sinh",
        "1.001193",
        level=4,
        template=template,
        components=2,
        fees=2,
        requirements="<p>Trong thời hạn 60 ngày kể từ ngày sinh.</p>",
        applicant_types=["citizen", "organisation"],
    )
    # Carried out by the commune and, for this test, by Sở Tư pháp too.
    birth.executing_agencies = [commune, justice]
    birth.legal_basis = [
        LegalBasis(
            number="60/2014/QH13",
            title="Luật Hộ tịch",
            issuer="Quốc hội",
            issued_on=datetime.date(2014, 11, 20),
        )
    ]
    birth.save_revision().publish()
    for title, code in SIMILAR_TITLES:
        make_procedure(commune, title, code, level=3)
    criminal = make_procedure(
        justice,
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "2.001417",
        level=4,
        field=make_field("LLTP", "Lý lịch tư pháp"),
    )
    return {
        "justice": justice,
        "commune": commune,
        "birth": ProcedurePage.objects.get(pk=birth.pk),
        "criminal": criminal,
        "template": template,
    }


def api(client, url=PAGES, **params):
    response = client.get(url, {**PROCEDURES, **params} if url == PAGES else params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def codes(client, **params):
    return [item["code"] for item in api(client, **params)["items"]]


def titles(client, **params):
    return [item["title"] for item in api(client, **params)["items"]]


def site_titles(client, query):
    response = client.get("/thu-tuc/", {"q": query})
    assert response.status_code == 200
    return [procedure.title for procedure in response.context["results_page"]]


# Every contract field ---------------------------------------------------------------------
def test_procedures_carry_every_contract_field(client, catalogue):
    items = api(client)["items"]
    assert len(items) == 1 + len(SIMILAR_TITLES) + 1
    contract = {
        "code",
        "level",
        "field",
        "applicant_types",
        "steps",
        "submission_methods",
        "dossier_components",
        "processing_time_days",
        "fees",
        "result",
        "legal_basis",
        "requirements",
        "executing_agencies",
    }
    for item in items:
        assert contract <= set(item), contract - set(item)

    birth = next(item for item in items if item["code"] == "1.001193")
    page = catalogue["birth"]
    assert birth["id"] == page.pk
    assert birth["title"] == "Đăng ký khai sinh"
    assert birth["level"] == 4
    assert birth["field"] == {"id": page.field_id, "name": "Hộ tịch", "code": "HO_TICH"}
    assert birth["applicant_types"] == ["citizen", "organisation"]
    assert [step["type"] for step in birth["steps"]] == ["step"]
    assert birth["steps"][0]["value"] == {
        "title": "Bước 1: Nộp hồ sơ",
        "description": "Nộp tại bộ phận một cửa.",
    }
    assert birth["submission_methods"][0]["value"] == {
        "method": "direct",
        "processing_time": "01 ngày",
        "fee": "Miễn",
        "description": "",
    }
    first, second = birth["dossier_components"]
    assert (first["name"], first["originals"], first["copies"], first["required"]) == (
        "Giấy tờ số 1",
        1,
        0,
        True,
    )
    assert second["template"] is None
    assert first["template"]["title"] == "Tờ khai đăng ký khai sinh"
    assert birth["processing_time_days"] == 3
    assert [(fee["name"], fee["amount"]) for fee in birth["fees"]] == [
        ("Lệ phí 1", 50000),
        ("Lệ phí 2", 100000),
    ]
    assert all(isinstance(fee["amount"], int) for fee in birth["fees"])
    assert birth["result"] == "Giấy khai sinh"
    assert birth["legal_basis"] == [
        {
            "number": "60/2014/QH13",
            "title": "Luật Hộ tịch",
            "issuer": "Quốc hội",
            "issued_on": "2014-11-20",
        }
    ]
    assert "Trong thời hạn 60 ngày" in birth["requirements"]
    assert sorted(agency["code"] for agency in birth["executing_agencies"]) == ["HPH.HA", "STP"]
    justice = next(a for a in birth["executing_agencies"] if a["code"] == "STP")
    assert justice == {
        "id": catalogue["justice"].pk,
        "title": "Sở Tư pháp",
        "code": "STP",
        "level": "province",
    }


def test_a_template_download_url_is_absolute_and_downloads(client, catalogue):
    birth = api(client, code="1.001193")["items"][0]
    template = birth["dossier_components"][0]["template"]
    url = template["download_url"]
    assert url.startswith("http://testserver/")
    assert template["filename"].endswith(".docx")
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == b"PK\x03\x04 demo form"


def test_the_detail_view_has_the_same_fields(client, catalogue):
    detail = client.get(f"{PAGES}{catalogue['birth'].pk}/").json()
    assert detail["code"] == "1.001193"
    assert detail["dossier_components"][0]["template"]["download_url"].startswith("http://")
    assert detail["executing_agencies"]


def test_agencies_carry_their_contract_fields(client, catalogue):
    response = client.get(PAGES, {"type": "procedures.AgencyPage", "fields": "*"})
    assert response.status_code == 200
    items = {item["code"]: item for item in response.json()["items"]}
    assert set(items) == {"STP", "HPH.HA"}
    justice = items["STP"]
    assert justice["level"] == "province"
    assert justice["address"] == "12 Lê Lợi, TP. Thanh Hóa"
    assert justice["phone"] == "0237 3852 000"
    assert justice["email"] == "stp@thanhhoa.gov.vn"
    assert justice["working_hours"] == "Thứ Hai – Thứ Sáu, 7:00 – 17:00"
    assert "Sở Tư pháp tỉnh." in justice["introduction"]


# Filters ----------------------------------------------------------------------------------
def test_filters_narrow_the_list(client, catalogue):
    assert sorted(codes(client, level=4)) == ["1.001193", "2.001417"]
    assert codes(client, level=3) and "1.001193" not in codes(client, level=3)
    field = catalogue["criminal"].field
    assert codes(client, field=field.pk) == ["2.001417"]
    # Sở Tư pháp files the criminal record procedure and carries out the birth registration.
    assert sorted(codes(client, agency="STP")) == ["1.001193", "2.001417"]
    assert sorted(codes(client, agency="stp")) == ["1.001193", "2.001417"]
    assert sorted(codes(client, agency=catalogue["justice"].pk)) == ["1.001193", "2.001417"]
    commune = catalogue["commune"]
    assert len(codes(client, agency=commune.pk)) == 1 + len(SIMILAR_TITLES)
    assert codes(client, agency="HPH.HA", level=4) == ["1.001193"]


@pytest.mark.parametrize("value", ["UNKNOWN", "999999", "²", "9" * 30, " ", "1.5", "NO\x00SUCH"])
def test_an_unknown_agency_answers_400(client, catalogue, value):
    response = client.get(PAGES, {**PROCEDURES, "agency": value})
    assert response.status_code == 400
    assert "message" in response.json()


@pytest.mark.parametrize("params", [{"level": "nine"}, {"field": "x"}])
def test_bad_filter_values_answer_400(client, catalogue, params):
    assert client.get(PAGES, {**PROCEDURES, **params}).status_code == 400


# Search -----------------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "khai sinh"])
def test_search_lists_the_best_match_first_as_on_the_site(client, catalogue, query):
    found = titles(client, search=query)
    assert found[0] == "Đăng ký khai sinh"
    assert found == site_titles(client, query)
    assert "Đăng ký kết hôn" not in found


def test_search_finds_a_code_and_combines_with_filters(client, catalogue):
    assert codes(client, search="1.001193") == ["1.001193"]
    assert codes(client, search="khai sinh", level=4) == ["1.001193"]
    assert codes(client, search="khai sinh", agency="STP") == ["1.001193"]


def test_search_with_an_order_answers_400(client, catalogue):
    response = client.get(PAGES, {**PROCEDURES, "search": "khai sinh", "order": "title"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "x" * 5000,
        "khai sinh " * 500,
        "' OR 1=1; DROP TABLE wagtailcore_page; --",
        '"khai sinh"',
        "%_%",
        "\\",
    ],
)
def test_any_search_answers_200(client, catalogue, query):
    response = client.get(PAGES, {**PROCEDURES, "search": query})
    assert response.status_code == 200
    assert isinstance(response.json()["items"], list)


# Drafts -----------------------------------------------------------------------------------
def test_drafts_and_unpublished_procedures_never_appear(client, catalogue):
    commune = catalogue["commune"]
    draft = ProcedurePage(
        title="Đăng ký khai sinh lưu động",
        slug="khai-sinh-luu-dong",
        code="1.009999",
        level=4,
        field=make_field(),
        applicant_types=["citizen"],
        live=False,
    )
    commune.add_child(instance=draft)
    draft.save_revision()
    withdrawn = make_procedure(commune, "Đăng ký khai sinh thử nghiệm", "1.008888")
    withdrawn.unpublish()
    # A live page with an unpublished change shows what is published.
    birth = catalogue["birth"]
    birth.title = "Đăng ký khai sinh (bản nháp)"
    birth.save_revision()

    for params in ({}, {"search": "khai sinh"}, {"level": 4}, {"agency": "HPH.HA"}):
        found = api(client, **params)["items"]
        assert not {"1.009999", "1.008888"} & {item["code"] for item in found}, params
        assert "Đăng ký khai sinh (bản nháp)" not in [item["title"] for item in found]
    assert client.get(f"{PAGES}{draft.pk}/").status_code == 404
    assert client.get(f"{PAGES}{withdrawn.pk}/").status_code == 404
    assert client.get(f"{PAGES}{birth.pk}/").json()["title"] == "Đăng ký khai sinh"
    v3 = client.get(V3, {"q": "khai sinh"}).json()["items"]
    assert not {"1.009999", "1.008888"} & {item["code"] for item in v3}
    assert client.get(f"{V3}1.009999/").status_code == 404
    assert client.get(f"{V3}1.008888/").status_code == 404


# API v3 -----------------------------------------------------------------------------------
def test_the_openapi_schema_describes_the_procedures_router(client):
    response = client.get("/api/v3/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "/api/v3/procedures/" in response.json()["paths"]
    assert "/api/v3/procedures/{code}/" in response.json()["paths"]


def test_the_docs_load_their_scripts_from_our_static_files(client):
    response = client.get("/api/v3/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset


def test_v3_search_ranks_as_the_site_with_absolute_urls(client, catalogue):
    response = client.get(V3, {"q": "khai sinh"})
    assert response.status_code == 200
    data = response.json()
    found = [item["title"] for item in data["items"]]
    assert found[0] == "Đăng ký khai sinh"
    assert found == site_titles(client, "khai sinh")
    assert data["count"] == len(found)
    birth = catalogue["birth"]
    first = data["items"][0]
    assert first["code"] == "1.001193"
    assert first["id"] == birth.pk
    assert first["level"] == 4
    assert first["field"] == "Hộ tịch"
    for item in data["items"]:
        assert item["url"].startswith("http://testserver/"), item
    assert first["url"] == f"http://testserver{birth.url}"
    assert client.get(first["url"]).status_code == 200


def test_v3_filters_and_long_queries(client, catalogue):
    assert [
        item["code"] for item in client.get(V3, {"q": "khai sinh", "level": 4}).json()["items"]
    ] == ["1.001193"]
    field = catalogue["criminal"].field
    assert [item["code"] for item in client.get(V3, {"field": field.pk}).json()["items"]] == [
        "2.001417"
    ]
    assert client.get(V3, {"q": "x" * 5000}).status_code == 200
    assert client.get(V3, {"q": "' OR 1=1; --"}).status_code == 200


def test_v3_procedure_by_code(client, catalogue):
    response = client.get(f"{V3}1.001193/")
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == "1.001193"
    assert data["title"] == "Đăng ký khai sinh"
    assert data["url"] == f"http://testserver{catalogue['birth'].url}"


@pytest.mark.parametrize("code", ["9.999999", "khong-co", "1.001193x"])
def test_v3_unknown_code_answers_404(client, catalogue, code):
    assert client.get(f"{V3}{code}/").status_code == 404


@pytest.mark.parametrize("query", ["khai\x00sinh", "1.001193\x00"])
def test_a_nul_byte_in_a_search_is_ignored_on_every_database(client, catalogue, query):
    assert client.get(PAGES, {**PROCEDURES, "search": query}).status_code == 200
    assert client.get("/api/v3/procedures/", {"q": query}).status_code == 200


def test_the_list_costs_the_same_queries_for_5_and_20_procedures(client, catalogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agency = make_agency("SXD", "Sở Xây dựng")
    for n in range(20):
        make_procedure(agency, f"Cấp giấy phép số {n}", f"4.{n:06d}", components=3, fees=2)

    def queries(limit):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(PAGES, {**PROCEDURES, "fields": "*", "limit": limit})
        assert len(response.json()["items"]) == limit
        return len(captured)

    queries(5)  # warm the site-root cache
    assert queries(5) == queries(20)


def test_fees_say_how_they_are_owed(client):
    from .factories import RECORD_FEES

    make_procedure(make_agency(), "Cấp Phiếu lý lịch tư pháp", "2.000488", fees=RECORD_FEES)
    [item] = api(client)["items"]
    assert [
        (fee["name"], fee["amount"], fee["condition"], fee["condition_display"], fee["group"])
        for fee in item["fees"]
    ] == [
        (
            "Phí cung cấp thông tin lý lịch tư pháp",
            200000,
            "alternative",
            "Một trong các mức thay thế nhau",
            1,
        ),
        (
            "Phí cung cấp thông tin lý lịch tư pháp (sinh viên, người có công)",
            100000,
            "alternative",
            "Một trong các mức thay thế nhau",
            1,
        ),
        (
            "Phí cấp từ Phiếu thứ 3 trở đi",
            5000,
            "conditional",
            "Tùy trường hợp (nêu trong ghi chú)",
            None,
        ),
    ]
    assert item["fees"][2]["note"] == "Khi đề nghị cấp trên 02 Phiếu trong một lần yêu cầu."
