"""The pages every visitor sees: the home page, the header, the error pages, the language."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def soup_of(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def account_nav(page):
    nav = page.find("nav", attrs={"aria-label": "Tài khoản"})
    assert nav is not None, "no <nav aria-label='Tài khoản'> in the header"
    return nav


def html_lang(response):
    return soup_of(response).find("html")["lang"]


# The home page ----------------------------------------------------------------------------
def test_home_page_renders_in_vietnamese(client):
    response = client.get("/")

    assert response.status_code == 200
    page = soup_of(response)
    assert page.find("html")["lang"] == "vi"
    assert page.find("h1").get_text(strip=True) == "Cổng Dịch vụ công"
    assert "Cổng Dịch vụ công" in page.find("title").get_text()


def test_home_page_is_usable_on_a_phone_and_with_a_keyboard(client):
    page = soup_of(client.get("/"))

    viewport = page.find("meta", attrs={"name": "viewport"})
    assert viewport is not None
    assert "width=device-width" in viewport["content"]
    skip_link = page.find("a", href="#main")
    assert skip_link is not None
    assert skip_link.get_text(strip=True)
    assert page.find("main", id="main") is not None


def test_anonymous_header_offers_login_and_signup(client):
    nav = account_nav(soup_of(client.get("/")))

    links = {a.get_text(strip=True): a["href"] for a in nav.find_all("a")}
    assert links["Đăng nhập"] == reverse("account_login")
    assert links["Đăng ký"] == reverse("account_signup")
    assert nav.find("form") is None  # no logout form for somebody not logged in


def test_logged_in_header_shows_the_citizen_and_logout(client):
    citizen = UserFactory(full_name="Lê Thị Cúc")
    client.force_login(citizen)

    page = soup_of(client.get("/"))
    nav = account_nav(page)

    assert "Lê Thị Cúc" in nav.get_text()
    links = {a.get_text(strip=True): a["href"] for a in nav.find_all("a")}
    assert links["Hồ sơ cá nhân"] == reverse("dossiers:list")
    assert "Đăng nhập" not in links
    assert "Đăng ký" not in links
    form = nav.find("form")
    assert form is not None
    assert form["method"].lower() == "post"
    assert form["action"] == reverse("account_logout")
    assert form.find("button").get_text(strip=True) == "Đăng xuất"
    # Nowhere on the page is the citizen invited to log in again.
    assert not page.find("a", href=reverse("account_login"))


def test_logout_form_logs_the_citizen_out(client):
    client.force_login(UserFactory())
    page = soup_of(client.get("/"))
    action = account_nav(page).find("form")["action"]

    response = client.post(action)

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert account_nav(soup_of(client.get("/"))).find("a", href=reverse("account_login"))


# Static files ----------------------------------------------------------------------------
def test_stylesheets_and_scripts_are_served_locally(client):
    page = soup_of(client.get("/"))

    stylesheets = [link["href"] for link in page.find_all("link", href=True)]
    assert "/static/css/portal.css" in stylesheets
    external = [
        url
        for url in stylesheets + [script["src"] for script in page.find_all("script", src=True)]
        if url.startswith(("http://", "https://", "//"))
    ]
    assert external == []


# Error pages -----------------------------------------------------------------------------
def test_unknown_url_gets_the_vietnamese_404_page(client):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    page = soup_of(response)
    assert page.find("html")["lang"] == "vi"
    assert page.find("h1").get_text(strip=True) == "Không tìm thấy trang"
    assert page.find("a", href="/") is not None


def test_server_error_page_is_vietnamese(rf):
    # The middleware activates Vietnamese for every request before a view can fail.
    with translation.override("vi"):
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    content = response.content.decode()
    assert "Hệ thống đang gặp sự cố" in content
    assert '<html lang="vi">' in content


# Language --------------------------------------------------------------------------------
def test_browser_language_does_not_switch_to_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.status_code == 200
    assert html_lang(response) == "vi"


def test_language_cookie_switches_to_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/")

    assert response.status_code == 200
    assert html_lang(response) == "en"


def test_unknown_language_cookie_falls_back_to_vietnamese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    assert html_lang(client.get("/")) == "vi"


def test_language_switcher_sets_the_cookie(client, settings):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert html_lang(client.get(response.url)) == "en"

    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert html_lang(client.get("/")) == "vi"
