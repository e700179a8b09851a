"""The page cache (core/caching.py): anonymous visitors get Wagtail pages from the cache
without a query, publishing shows at once, nobody logged in ever gets or fills a cached
page, and personal pages tell browsers and proxies to keep nothing."""

import os
import re
import time
import uuid

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from forms_app.tests.officials import submit
from procedures.tests.factories import (
    catalogue_root,
    make_agency,
    make_document,
    make_field,
    make_procedure,
)

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    """The test settings turn the page cache off; here it is what is tested."""
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def procedure():
    catalogue_root()
    return make_procedure(make_agency(), title="Đăng ký khai sinh", code="1.001193")


def page(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response


def html(response):
    return response.content.decode()


def without_tokens(response):
    return TOKEN.sub("", html(response))


def cache_control(response):
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}


# Anonymous visitors ---------------------------------------------------------------------
def test_a_procedure_page_is_served_from_the_cache_without_a_query(
    client, procedure, django_assert_num_queries
):
    first = page(client, procedure.url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = page(client, procedure.url)
    assert second["X-Page-Cache"] == "hit"
    assert without_tokens(second) == without_tokens(first)
    assert "Đăng ký khai sinh" in html(second)
    # Served from the cache, the page still carries every header of the site.
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert second[header] == first[header]
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize(
    "url",
    ["/", "/thu-tuc/", "/thu-tuc/?q=khai+sinh", "/co-quan-thuc-hien/", "/co-quan-thuc-hien/stp/"],
)
def test_home_agencies_and_search_are_cached_too(client, procedure, url):
    assert page(client, url)["X-Page-Cache"] == "miss"
    assert page(client, url)["X-Page-Cache"] == "hit"


def test_each_search_is_cached_under_its_own_query(client, procedure):
    make_procedure(procedure.get_parent().specific, title="Đăng ký kết hôn", code="1.000894")
    page(client, "/thu-tuc/?q=khai+sinh")
    marriage = page(client, "/thu-tuc/?q=ket+hon")
    assert marriage["X-Page-Cache"] == "miss"
    assert "Đăng ký kết hôn" in html(marriage)
    assert "Đăng ký khai sinh" not in html(marriage)


def test_searches_are_kept_briefly_and_pages_longer(client, procedure, settings, monkeypatch):
    """Anyone can invent queries: pages with a query string expire sooner."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_QUERY_SECONDS = 60
    for url in ("/thu-tuc/", "/thu-tuc/?q=khai+sinh"):
        page(client, url)
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    assert page(client, "/thu-tuc/")["X-Page-Cache"] == "hit"
    assert page(client, "/thu-tuc/?q=khai+sinh")["X-Page-Cache"] == "miss"


def test_publishing_a_change_shows_on_the_next_anonymous_visit(client, procedure):
    page(client, procedure.url)
    page(client, "/thu-tuc/?q=khai+sinh")
    procedure.title = "Đăng ký khai sinh (sửa đổi 2026)"
    procedure.save_revision().publish()

    changed = page(client, procedure.url)
    assert changed["X-Page-Cache"] == "miss"
    assert "Đăng ký khai sinh (sửa đổi 2026)" in html(changed)
    assert "Đăng ký khai sinh (sửa đổi 2026)" in html(page(client, "/thu-tuc/?q=khai+sinh"))


def test_a_new_procedure_shows_in_a_cached_search_at_once(client, procedure):
    assert "Đăng ký lại khai sinh" not in html(page(client, "/thu-tuc/?q=khai+sinh"))
    make_procedure(procedure.get_parent().specific, title="Đăng ký lại khai sinh", code="1.004884")
    assert "Đăng ký lại khai sinh" in html(page(client, "/thu-tuc/?q=khai+sinh"))


def test_an_unpublished_page_is_gone_at_once(client, procedure):
    page(client, procedure.url)
    procedure.unpublish()
    assert client.get(procedure.url).status_code == 404


def test_a_draft_saved_but_not_published_is_not_shown(client, procedure):
    page(client, procedure.url)
    procedure.title = "Bản nháp chưa xuất bản"
    procedure.save_revision()
    assert "Bản nháp chưa xuất bản" not in html(page(client, procedure.url))


def test_renaming_a_field_snippet_shows_on_the_procedure_page(client, procedure):
    page(client, procedure.url)
    field = make_field()
    field.name = "Hộ tịch (đổi tên)"
    field.save()
    assert "Hộ tịch (đổi tên)" in html(page(client, procedure.url))


def test_renaming_a_template_document_shows_on_the_procedure_page(client):
    catalogue_root()
    document = make_document(title="Tờ khai cũ")
    procedure = make_procedure(make_agency(), template=document)
    assert "Tờ khai cũ" in html(page(client, procedure.url))
    document.title = "Tờ khai mới"
    document.save()
    assert "Tờ khai mới" in html(page(client, procedure.url))


def test_a_preview_is_never_the_cached_page_nor_cached(client, procedure):
    """Wagtail renders previews through the middleware with a "dummy" request for the
    page's own URL and site host, without cookies when no editor's request is given: the
    editor must see the draft, and visitors never."""
    visitor = {"HTTP_HOST": "localhost"}  # the default site's host, as the preview uses
    page(client, procedure.url, **visitor)
    assert page(client, procedure.url, **visitor)["X-Page-Cache"] == "hit"
    procedure.title = "Tiêu đề đang xem trước"
    preview = procedure.make_preview_request()
    assert "Tiêu đề đang xem trước" in preview.content.decode()
    assert "Tiêu đề đang xem trước" not in html(page(client, procedure.url, **visitor))


def test_each_language_is_cached_apart(client, procedure):
    page(client, "/")
    client.cookies["django_language"] = "en"
    english = page(client, "/")
    assert english["X-Page-Cache"] == "miss"
    assert english["Content-Language"] == "en"
    assert '<html lang="en">' in html(english)
    del client.cookies["django_language"]
    assert '<html lang="vi">' in html(page(client, "/"))


def test_each_host_is_cached_apart(client, procedure):
    page(client, "/", HTTP_HOST="localhost")
    assert page(client, "/", HTTP_HOST="testserver")["X-Page-Cache"] == "miss"


def test_every_visitor_gets_a_csrf_token_of_their_own_that_works(procedure):
    """The language switcher (a POST form) is on every page: a page from the cache must
    carry the new visitor's token, never the first visitor's."""
    first = Client(enforce_csrf_checks=True)
    first_token = TOKEN.search(html(page(first, "/"))).group(1)

    second = Client(enforce_csrf_checks=True)
    served = page(second, "/")
    assert served["X-Page-Cache"] == "hit"
    second_token = TOKEN.search(html(served)).group(1)
    assert second_token != first_token
    assert "csrftoken" in served.cookies  # the new visitor's cookie, set as usual
    switched = second.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": second_token}
    )
    assert switched.status_code == 302
    assert switched.cookies["django_language"].value == "en"


def test_a_pending_message_is_shown_not_skipped(client, procedure):
    """After logging out, the home page says so: a visitor with a message waiting is
    not served the page stored for everybody."""
    page(client, "/")
    client.force_login(UserFactory(verified=True))
    response = client.post(reverse("account_logout"), follow=True)
    assert "Bạn đã đăng xuất." in html(response)


# Logged-in users ------------------------------------------------------------------------
def test_a_logged_in_user_never_gets_nor_fills_the_cache(client, procedure):
    page(client, procedure.url)  # stored for anonymous visitors
    user = UserFactory(verified=True, full_name="Lê Thị Riêng Tư")
    client.force_login(user)
    mine = page(client, procedure.url)
    assert "X-Page-Cache" not in mine
    assert "Lê Thị Riêng Tư" in html(mine)
    assert {"private", "no-store"} <= cache_control(mine)

    client.logout()
    caches["pages"].clear()
    client.force_login(user)
    page(client, procedure.url)  # a logged-in visit to an empty cache stores nothing
    client.logout()
    anonymous = page(client, procedure.url)
    assert anonymous["X-Page-Cache"] == "miss"
    assert "Lê Thị Riêng Tư" not in html(anonymous)


def test_anonymous_pages_are_not_marked_private(client, procedure):
    assert "private" not in cache_control(page(client, procedure.url))


# Personal pages: Cache-Control: private, no-store -----------------------------------------
def test_dossier_account_and_payment_pages_say_no_store(client, procedure):
    citizen = UserFactory(verified=True)
    dossier = submit(citizen, procedure)
    anonymous_urls = [
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("dossiers:lookup"),
        reverse("dossiers:choose_agency"),
        reverse("dossiers:list"),  # the redirect to the login page
        reverse("payments:return"),
        reverse("payments:ipn"),
    ]
    for url in anonymous_urls:
        response = client.get(url)
        assert {"private", "no-store"} <= cache_control(response), url
    client.force_login(citizen)
    for url in [
        reverse("dossiers:list"),
        reverse("dossiers:detail", args=[dossier.code]),
        reverse("dossiers:acknowledgement", args=[dossier.code]),
        reverse("account_profile"),
        reverse("account_email"),
        reverse("account_change_password"),
        "/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= cache_control(response), url


def test_the_admin_says_no_store(client):
    admin = UserFactory(verified=True, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


# With Redis (REDIS_URL), as several app servers share it ---------------------------------
def redis_url():
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        return None
    return url


@pytest.mark.skipif(redis_url() is None, reason="no Redis answers at REDIS_URL")
def test_the_cache_works_the_same_on_redis(client, procedure, settings, django_assert_num_queries):
    prefix = f"portal-test-{uuid.uuid4().hex}"
    backend = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {
        "default": {"BACKEND": backend, "LOCATION": redis_url(), "KEY_PREFIX": prefix},
        "pages": {"BACKEND": backend, "LOCATION": redis_url(), "KEY_PREFIX": f"{prefix}-p"},
    }
    try:
        assert page(client, procedure.url)["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            assert page(client, procedure.url)["X-Page-Cache"] == "hit"
        procedure.title = "Đăng ký khai sinh – bản mới"
        procedure.save_revision().publish()
        assert "Đăng ký khai sinh – bản mới" in html(page(client, procedure.url))
    finally:
        import redis

        connection = redis.Redis.from_url(redis_url())
        for key in connection.scan_iter(f"{prefix}*"):
            connection.delete(key)
