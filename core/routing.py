"""Finding the page a URL names in one query instead of one query per level of the tree.

Wagtail's ``Page.route`` walks the tree from the site's root: for each part of the path it
asks the database for the child with that slug, then for that child's specific page. A
procedure sits five levels deep (home › agencies › district › commune › procedure), so
reaching it cost ten queries before anything was rendered. Wagtail keeps every page's
``url_path`` (``/home/co-quan-thuc-hien/…/dang-ky-khai-sinh/``) up to date on save and on
move, and ``home.0006`` indexes it, so the page can be found directly; which page sits
at a path is also kept per version of the page tree, like the menu.

The site's root page (``HomePage``) takes the whole remaining path at once. Nothing is
lost by skipping the levels in between: Wagtail's own walk does not look at whether they
are live either, and no page model of the portal below the root overrides ``route``
(``home/tests/test_routing.py`` fails if one starts to, as its own routing would then be
skipped). A path that names no page falls back to Wagtail's walk, which answers 404.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from core.caching import cached_per_version


def page_at(url_path):
    """(pk, content type id) of the page at ``url_path``, or None.

    Kept per version of the page tree (``core.caching.cached_per_version``): moving,
    renaming or publishing a page replaces the version. Misses are asked again each time,
    so made-up URLs fill nothing.
    """
    digest = hashlib.sha256(url_path.encode()).hexdigest()

    def lookup():
        return Page.objects.filter(url_path=url_path).values_list("pk", "content_type_id").first()

    return cached_per_version(f"route:{digest}", lookup)


class DirectRouteMixin:
    """For the site's root page: route any path below it with a lookup by ``url_path``.

    A page model may name the foreign keys its template reads on every view in
    ``route_select_related``; they are fetched in the same query as the page.
    """

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        url_path = self.url_path + "/".join(path_components) + "/"
        found = page_at(url_path)
        if found is None:
            return super().route(request, path_components)
        pk, content_type_id = found
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        related = getattr(model, "route_select_related", ()) if model else ()
        page = model and model._default_manager.select_related(*related).filter(pk=pk).first()
        if page is None or page.url_path != url_path:
            # Deleted or moved meanwhile, its model removed from the code, or a cache that
            # outlived its database (a restored backup): Wagtail's walk decides.
            return super().route(request, path_components)
        return page.route(request, [])
