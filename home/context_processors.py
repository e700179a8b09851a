"""The main menu: the home page's children that editors mark "Show in menus"."""

from dataclasses import dataclass

from django.utils.translation import get_language
from wagtail.models import Site

from core.caching import cached_per_version


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

    def build():
        pages = site.root_page.get_children().live().public().in_menu()
        return [MenuItem(page.title, page.get_url(request)) for page in pages]

    return {"menu_pages": cached_per_version(f"menu:{site.pk}:{get_language()}", build)}
