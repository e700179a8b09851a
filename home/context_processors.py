"""The main menu: the home page's children that editors mark "Show in menus"."""

from dataclasses import dataclass

from django.utils.translation import get_language
from wagtail.models import Site

from portal.caching import cache_version, page_cache

# The menu is on every page of the site; it changes only when a page is saved, which
# replaces the cache version (portal.caching), so it can be kept long.
MENU_SECONDS = 60 * 60


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str


def main_menu(request):
    """The menu entries of the request's site, read from the database once per version
    of the page tree instead of twice on every page (the pages, then their view
    restrictions)."""
    site = Site.find_for_request(request)
    if site is None:
        return {"menu_pages": []}
    key = f"menu:{site.pk}:{get_language()}:{cache_version()}"
    items = page_cache().get(key)
    if items is None:
        pages = site.root_page.get_children().live().public().in_menu()
        items = [MenuItem(page.title, page.get_url(request)) for page in pages]
        page_cache().set(key, items, MENU_SECONDS)
    return {"menu_pages": items}
