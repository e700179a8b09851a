"""Pages are found by their URL in a fixed number of queries, however deep they sit, and
the main menu follows what editors publish."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, get_page_models

from home.models import GuidePage, HomePage
from procedures.constants import AgencyLevel
from procedures.tests.factories import catalogue_root, home_page, make_agency, make_procedure

pytestmark = pytest.mark.django_db


def queries_to_get(client, url):
    client.get(url)  # warm the per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_a_procedure_five_levels_deep_costs_no_more_queries_than_one_at_two(client):
    """Wagtail's own routing asks two queries per level of the tree."""
    province = make_agency()
    district = make_agency("H.PH", "UBND huyện Phú Hòa", AgencyLevel.DISTRICT)
    commune = make_agency("X.HA", "UBND xã Hòa An", AgencyLevel.COMMUNE, parent=district)
    shallow = make_procedure(province, "Cấp Phiếu lý lịch tư pháp", "2.001417")
    deep = make_procedure(commune, "Đăng ký khai sinh", "1.001193")
    assert deep.depth > shallow.depth

    deep_queries = queries_to_get(client, deep.url)
    assert deep_queries == queries_to_get(client, shallow.url)
    assert deep_queries <= 12


def test_unknown_paths_and_drafts_are_not_found(client):
    agency = make_agency()
    procedure = make_procedure(agency)

    assert client.get(procedure.url + "khong-co/").status_code == 404
    assert client.get("/co-quan-thuc-hien/khong-co/").status_code == 404
    procedure.unpublish()
    assert client.get(procedure.url).status_code == 404


def test_a_renamed_or_moved_page_answers_at_its_new_url(client):
    agency = make_agency()
    other = make_agency("SKHDT", "Sở Kế hoạch và Đầu tư")
    procedure = make_procedure(agency)
    old_url = procedure.url

    procedure.slug = "dang-ky-khai-sinh"
    procedure.save_revision().publish()
    procedure.refresh_from_db()
    assert client.get(procedure.url).status_code == 200
    assert client.get(old_url).status_code == 404

    renamed_url = procedure.url
    procedure.move(other, pos="last-child")
    procedure.refresh_from_db()
    assert procedure.url.startswith(other.url)
    assert client.get(procedure.url).status_code == 200
    # Wagtail's redirects app points the old address at the new one.
    response = client.get(renamed_url)
    assert (response.status_code, response["Location"]) == (301, procedure.url)


def test_a_cached_route_that_outlived_its_page_is_not_trusted(client):
    """A cache kept across a database restore could name another page for a URL."""
    import hashlib

    from core.caching import cache_version, page_cache

    agency = make_agency()
    birth = make_procedure(agency)
    marriage = make_procedure(agency, "Đăng ký kết hôn", "1.000894")
    digest = hashlib.sha256(birth.url_path.encode()).hexdigest()
    page_cache().set(
        f"data:route:{digest}:{cache_version()}", (marriage.pk, marriage.content_type_id)
    )

    response = client.get(birth.url)
    assert response.status_code == 200
    assert '<h1 id="procedure-title">Đăng ký khai sinh</h1>' in response.content.decode()


def test_no_page_below_the_root_routes_on_its_own():
    """core.routing skips the levels between the root and the page: a page model with its
    own ``route`` (a RoutablePageMixin, say) would silently lose its sub-URLs."""
    own_routing = [
        model.__name__
        for model in get_page_models()
        if model is not HomePage and model.route is not Page.route
    ]
    assert own_routing == []


def test_every_page_model_reads_view_restrictions_through_the_cache():
    from core.restrictions import ViewRestrictionsMixin

    plain = [
        model.__name__
        for model in get_page_models()
        if model is not Page and not issubclass(model, ViewRestrictionsMixin)
    ]
    assert plain == []


def test_a_restricted_section_asks_for_login_as_soon_as_it_is_restricted(client):
    agency = make_agency()
    procedure = make_procedure(agency)
    assert client.get(procedure.url).status_code == 200

    restriction = PageViewRestriction.objects.create(page=agency, restriction_type="login")
    response = client.get(procedure.url)
    assert response.status_code == 302 and "next=" in response["Location"]

    restriction.delete()
    assert client.get(procedure.url).status_code == 200


def test_an_alias_keeps_the_restriction_of_its_source(client):
    home = home_page()
    guide = GuidePage(title="Hướng dẫn nội bộ", slug="noi-bo")
    home.add_child(instance=guide)
    guide.save_revision().publish()
    PageViewRestriction.objects.create(page=guide, restriction_type="login")
    alias = guide.create_alias(parent=home, update_slug="ban-sao")
    assert alias.live and not alias.get_view_restrictions().filter(page=alias).exists()
    response = client.get(alias.url)
    assert response.status_code == 302 and "next=" in response["Location"]


# The main menu ----------------------------------------------------------------------------
def menu_titles(client):
    page = BeautifulSoup(client.get("/").content.decode(), "html.parser")
    nav = page.find("nav", attrs={"aria-label": "Menu chính"})
    return [link.get_text(strip=True) for link in nav.find_all("a")]


def test_the_menu_shows_what_editors_publish_at_once(client):
    agencies, _search = catalogue_root()
    agencies.show_in_menus = True
    agencies.save_revision().publish()
    assert "Cơ quan thực hiện" in menu_titles(client)

    home_page().add_child(instance=GuidePage(title="Hỏi đáp", slug="hoi-dap", show_in_menus=True))
    GuidePage.objects.get(slug="hoi-dap").save_revision().publish()
    assert "Hỏi đáp" in menu_titles(client)

    agencies.unpublish()
    assert "Cơ quan thực hiện" not in menu_titles(client)


def test_a_private_page_stays_out_of_the_menu(client):
    agencies, _search = catalogue_root()
    agencies.show_in_menus = True
    agencies.save_revision().publish()
    assert "Cơ quan thực hiện" in menu_titles(client)

    PageViewRestriction.objects.create(page=agencies, restriction_type="login")
    assert "Cơ quan thực hiện" not in menu_titles(client)
