"""Reading a page's view restrictions only on sites that have some.

Before serving any page, Wagtail's ``check_view_restrictions`` hook calls
``Page.get_view_restrictions``, which costs two queries (the ancestors, to resolve
aliases, then their restrictions) on every view of every page. A provincial portal is
public and usually has no restricted section at all. Whether it has any is kept per
version of the page tree (saving or deleting a restriction replaces the version, see
``core.caching``); while there is none, no page can be restricted, alias or not.
"""

from wagtail.models import PageViewRestriction

from core.caching import cached_per_version


def restrictions_in_use():
    return cached_per_version("view-restrictions-in-use", PageViewRestriction.objects.exists)


class ViewRestrictionsMixin:
    """For every page model of the portal (``home/tests/test_routing.py`` checks)."""

    def get_view_restrictions(self):
        if not restrictions_in_use():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
