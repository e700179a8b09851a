"""Caching: whole pages for anonymous visitors, and nothing personal anywhere.

**Why a middleware of our own.** Wagtail 8 has no full-page cache of its own (its
``wagtail.contrib.frontend_cache`` purges a CDN or proxy in front of the site, which the
province does not run, and ``{% wagtailcache %}`` caches template fragments, which still
leaves the page routing and the menu to query). ``wagtail-cache`` 3.0, the maintained
package, declares ``wagtail<8.0``. Django's own cache middleware keys on every cookie
(``Vary: Cookie``), so with the CSRF token of the language switcher on every page it
would store one copy per visitor. So:

``PageCacheMiddleware`` stores Wagtail pages (``wagtail.views.serve`` only: home,
agencies, procedures, guides and the search at ``/thu-tuc/?q=…``) rendered for anonymous
visitors, in the ``pages`` cache, keyed by scheme, host (the Wagtail site), language
(the ``django_language`` cookie), path and query string. It stays out of the way of:

- any method but GET, and any request carrying a session cookie (a logged-in user, or
  anyone with something in their session), a messages cookie or an Authorization header;
- responses that are not a plain 200 HTML page, that set a cookie other than the CSRF one,
  that say ``private``/``no-store``/``no-cache`` (Wagtail says so for pages with view
  restrictions, and for previews), that vary on anything but Cookie, or that used a CSP
  nonce;
- Wagtail's previews, which run a "dummy" request for the page's URL through the
  middleware: a draft is never stored, nor the live page shown in its place.

**CSRF tokens.** Every page has the language switcher, a POST form with Django's CSRF
token. A stored page keeps a placeholder instead of the token of the visitor it was
rendered for, and each visitor served from the cache gets a token of their own put back
(``get_token``: Django's CSRF middleware then sets their cookie as usual). The middleware
sits after the CSRF middleware for this reason.

**Invalidation.** Keys carry a version kept in the ``default`` cache (shared by every
app server through Redis when ``REDIS_URL`` is set). Publishing, unpublishing, moving or
deleting a page, saving any page, site, locale, view restriction, document or image, and
saving any model of the ``home`` and ``procedures`` apps (snippets such as the fields of
procedures, the featured procedures), replaces the version at once and again after the
transaction commits (so a page read before the commit and stored after it is not kept).
A missing version (a cache cleared, a key evicted) is simply a new one. Entries also
expire after ``PAGE_CACHE_SECONDS`` (0 turns the cache off), pages with a query string
(searches) after ``PAGE_CACHE_QUERY_SECONDS``: anyone can invent queries, and with Redis
nothing culls entries before they expire.

``NoStoreMiddleware`` marks every response for a logged-in user, and every dossier,
payment, account and admin URL, ``Cache-Control: private, no-store`` (with Django's
``no-cache, must-revalidate, max-age=0`` and ``Expires``), so that no browser, proxy or
shared computer keeps a copy of personal pages.
"""

import functools
import hashlib
import re
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, get_resolver, reverse
from django.utils.cache import add_never_cache_headers, cc_delim_re

VERSION_KEY = "portal:page-cache-version"
CSRF_PLACEHOLDER = "__portal_csrf_token__"
# Django's {% csrf_token %} renders exactly this input; its value is a masked token.
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
# Headers set by the view that a stored page keeps (others are added afresh per response
# by the middleware outside this one: security headers, CSP, Content-Language, cookies).
KEPT_HEADERS = ("Content-Type", "Last-Modified", "ETag")


def page_cache():
    return caches["pages"]


def cache_version():
    """The current version of every cached page; a new random one when there is none."""
    version_cache = caches["default"]
    version = version_cache.get(VERSION_KEY)
    if version is None:
        version_cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = version_cache.get(VERSION_KEY)
    return version


def cached_per_version(name, build, seconds=60 * 60):
    """``build()``, kept in the ``pages`` cache until the page tree or catalogue changes.

    For what every page shows and only editors change (the menu, the search filters):
    the key carries the current version, which every save replaces (see above), so a
    long timeout never serves anything stale. ``build`` must return something picklable
    that does not depend on who asks; None is not kept (it is built again next time).
    """
    key = f"data:{name}:{cache_version()}"
    value = page_cache().get(key)
    if value is None:
        value = build()
        if value is not None:
            page_cache().set(key, value, seconds)
    return value


def invalidate_pages():
    """Forget every cached page: now, and again once the current transaction commits."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version():
    caches["default"].set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _serves_pages():
    from wagtail import views as wagtail_views

    return wagtail_views.serve


class PageCacheMiddleware:
    """Whole Wagtail pages for anonymous visitors, from the ``pages`` cache (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.serve = _serves_pages()

    def __call__(self, request):
        timeout = settings.PAGE_CACHE_SECONDS
        if not timeout or not self._cacheable_request(request):
            return self.get_response(request)
        key = self._key(request)
        stored = page_cache().get(key)
        if stored is not None:
            return self._replay(request, stored)
        response = self.get_response(request)
        if self._cacheable_response(request, response):
            if request.META.get("QUERY_STRING"):
                # Anyone can invent queries: keep them briefly, so that what they fill
                # stays bounded by how fast the server renders pages.
                timeout = min(timeout, settings.PAGE_CACHE_QUERY_SECONDS)
            page_cache().set(key, self._stored(response), timeout)
            response["X-Page-Cache"] = "miss"
        return response

    def _cacheable_request(self, request):
        if request.method != "GET" or getattr(request, "is_dummy", False):
            # (Wagtail's previews run a "dummy" request for the page's URL through the
            # middleware: a draft must never be stored, nor the live page shown for it.)
            return False
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return False
        if "HTTP_AUTHORIZATION" in request.META:
            return False
        try:
            match = get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
        except Resolver404:
            return False
        return match.func is self.serve

    def _key(self, request):
        parts = "\n".join(
            [
                request.scheme,
                request.get_host(),
                getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
                request.path,
                request.META.get("QUERY_STRING", ""),
            ]
        )
        digest = hashlib.sha256(parts.encode("utf-8", "surrogateescape")).hexdigest()
        return f"page:{cache_version()}:{digest}"

    def _cacheable_response(self, request, response):
        if response.status_code != 200 or response.streaming:
            return False
        if not response.get("Content-Type", "").startswith("text/html"):
            return False
        if getattr(request, "_csp_nonce", None) is not None:
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
        return vary <= {"cookie"}

    def _stored(self, response):
        content = response.content.decode(response.charset)
        return {
            "content": CSRF_INPUT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", content),
            "charset": response.charset,
            "headers": [(name, response[name]) for name in KEPT_HEADERS if name in response],
        }

    def _replay(self, request, stored):
        content = stored["content"]
        if CSRF_PLACEHOLDER in content:
            content = content.replace(CSRF_PLACEHOLDER, get_token(request))
        response = HttpResponse(content.encode(stored["charset"]), charset=stored["charset"])
        for name, value in stored["headers"]:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response


class NoStoreMiddleware:
    """``Cache-Control: private, no-store`` for logged-in users and personal URLs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._personal(request):
            add_never_cache_headers(response)
        return response

    def _personal(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        match = getattr(request, "resolver_match", None)
        if match is not None and personal_namespaces().intersection(match.namespaces):
            return True
        return request.path_info.startswith(_no_store_prefixes())


def _no_store_prefixes():
    """/tai-khoan/ (allauth's pages and the profile) and /admin/."""
    accounts = reverse("account_login").split("/")[1]
    return (f"/{accounts}/", reverse("wagtailadmin_home"))


# What apps declare ----------------------------------------------------------------------
# No app is named here: each says on its AppConfig what concerns the cache.


@functools.cache
def content_apps():
    """Labels of the apps whose models (pages, snippets, orderables, the document model)
    show on public pages: their AppConfig says ``shows_on_public_pages = True``."""
    return frozenset(
        config.label
        for config in apps.get_app_configs()
        if getattr(config, "shows_on_public_pages", False)
    )


@functools.cache
def personal_namespaces():
    """URL namespaces whose pages are personal, whoever asks: each app lists its own in
    ``personal_url_namespaces`` on its AppConfig."""
    return frozenset(
        namespace
        for config in apps.get_app_configs()
        for namespace in getattr(config, "personal_url_namespaces", ())
    )


# Invalidation -------------------------------------------------------------------------


def _page_content_changed(sender, instance=None, **kwargs):
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage, AbstractRendition
    from wagtail.models import Locale, Page, PageViewRestriction, Site

    if isinstance(instance, AbstractRendition):
        return  # made while a page renders: nothing on any page changed
    if sender._meta.app_label in content_apps() or isinstance(
        instance, (Page, Site, Locale, PageViewRestriction, AbstractDocument, AbstractImage)
    ):
        invalidate_pages()


def _page_event(sender, **kwargs):
    invalidate_pages()


def connect_invalidation():
    """Connect the receivers; called from ``core.apps.CoreConfig.ready``."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    for signal in (post_save, post_delete):
        signal.connect(_page_content_changed, dispatch_uid=f"portal-page-cache-{signal!r}")
    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(_page_event, dispatch_uid=f"portal-page-cache-{signal!r}")
