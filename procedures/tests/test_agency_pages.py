"""Agency pages, the agency index, the guides and the home page, as a citizen finds them:
any procedure two clicks from home."""

import pytest
from bs4 import BeautifulSoup

from home.models import FeaturedProcedure, GuidePage, HomePage
from procedures.constants import AgencyLevel

from .factories import catalogue_root, make_agency, make_field, make_procedure, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    justice = make_agency("STP", "Sở Tư pháp")
    district = make_agency("HPH", "UBND huyện Phú Hòa", AgencyLevel.DISTRICT)
    commune = make_agency("HPH.HA", "UBND xã Hòa An", AgencyLevel.COMMUNE, parent=district)
    birth = make_procedure(commune, "Đăng ký khai sinh", "1.001193", level=4)
    record = make_procedure(
        justice,
        "Cấp Phiếu lý lịch tư pháp",
        "2.000488",
        level=2,
        field=make_field("LLTP", "Lý lịch tư pháp"),
    )
    marriage = make_procedure(justice, "Đăng ký kết hôn", "1.000894", level=3)
    return {
        "justice": justice,
        "district": district,
        "commune": commune,
        "birth": birth,
        "record": record,
        "marriage": marriage,
    }


def soup(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def links(page):
    return {a["href"] for a in page.find_all("a", href=True)}


def test_an_agency_lists_its_procedures_by_field_with_levels(client, province):
    page = soup(client, province["justice"].url)
    headings = [h3.get_text(strip=True) for h3 in page.select("#procedures-title ~ h3")]
    assert headings == ["Hộ tịch", "Lý lịch tư pháp"]
    results = {li.a.get_text(strip=True): li for li in page.select(".result")}
    assert set(results) == {"Cấp Phiếu lý lịch tư pháp", "Đăng ký kết hôn"}
    assert "Mức độ 2" in results["Cấp Phiếu lý lịch tư pháp"].get_text()
    assert "Mức độ 3" in results["Đăng ký kết hôn"].get_text()
    assert "Mã định danh" in page.get_text() and "STP" in page.get_text()


def test_the_agency_index_lists_departments_and_districts(client, province):
    index = catalogue_root()[0]
    page = soup(client, index.url)
    assert province["justice"].url in links(page)
    assert province["district"].url in links(page)


def test_every_procedure_is_two_clicks_from_home(client, province):
    home = soup(client, "/")
    for procedure in ("birth", "record", "marriage"):
        page = province[procedure]
        agency = page.get_parent().specific
        assert agency.url in links(home), agency.title
        assert page.url in links(soup(client, agency.url)), page.title


def test_the_home_page_offers_search_featured_procedures_and_account_links(client, province):
    home_page = HomePage.objects.get()
    home_page.featured_procedures = [FeaturedProcedure(page=province["birth"])]
    home_page.save_revision().publish()
    home = soup(client, "/")
    form = home.find("form", role="search")
    assert form["action"] == "/thu-tuc/"
    assert form.find("input", attrs={"name": "q"})
    featured = home.find("section", attrs={"aria-labelledby": "featured-title"})
    assert featured.find("a", string="Đăng ký khai sinh")["href"] == province["birth"].url
    assert {"/tai-khoan/signup/", "/tai-khoan/login/", "/ho-so/", "/tra-cuu-ho-so/"} <= links(home)


def test_guides_show_their_content_and_children(client):
    home = HomePage.objects.get()
    guides = publish(
        home, GuidePage(title="Hướng dẫn", slug="huong-dan", body="<p>Bốn mức độ.</p>")
    )
    publish(
        guides,
        GuidePage(title="Nộp hồ sơ trực tuyến", slug="nop-ho-so", body="<p>Bấm Gửi đi.</p>"),
    )
    page = soup(client, guides.url)
    assert "Bốn mức độ." in page.get_text()
    assert page.find("a", string="Nộp hồ sơ trực tuyến")
