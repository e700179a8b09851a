"""The main menu: the home page's children that editors mark "Show in menus"."""

from wagtail.models import Site


def main_menu(request):
    site = Site.find_for_request(request)
    if site is None:
        return {"menu_pages": []}
    return {"menu_pages": site.root_page.get_children().live().public().in_menu()}
