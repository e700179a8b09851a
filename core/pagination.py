"""A page of results and their total from one pass over the matches, for ranked lists.

Django's ``Paginator`` asks the database twice: ``COUNT(*)`` for the number of pages, then
the rows of the page. When the ordering already has to read every matching row (the
catalogue search ranks all its matches before taking twenty), the count can ride along
with that pass as ``COUNT(*) OVER ()``. The pass selects only primary keys: a window
keeps every row it counts until the sort is done, and whole page rows (titles, JSON
steps, summaries) made it slower than the two queries it replaced. The twenty rows are
then read by primary key.

Where an index delivers the first rows of the ordering without reading the rest (a
citizen's dossiers by date), the window would force reading them all: use Django's
``Paginator`` there.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

TOTAL = "_window_total"


def page_with_total(queryset, number, per_page, *, fields=None):
    """Django's ``Page`` ``number`` of ``queryset`` (the first page for anything that is not
    a page number, the last for a number past the end, as ``Paginator.get_page`` does).

    ``fields``, when given, are all the rows load (``QuerySet.only``): a list shows a few
    columns of wide rows, and building whole Wagtail pages cost more than finding them.
    """
    try:
        number = max(int(number), 1)
    except (TypeError, ValueError):
        number = 1
    keys = queryset.annotate(**{TOTAL: Window(Count("pk"))}).values_list("pk", TOTAL)
    found = list(keys[(number - 1) * per_page : number * per_page])
    if found:
        total = found[0][1]
    else:  # past the end (or nothing matches): find the last page, then read it
        total = queryset.count()
        number = max((total + per_page - 1) // per_page, 1)
        found = list(keys[(number - 1) * per_page : number * per_page]) if total else []
    order = {pk: position for position, (pk, _total) in enumerate(found)}
    # In the order found: asking the database to rank twenty rows again costs more.
    rows = queryset.filter(pk__in=order).order_by()
    if fields is not None:
        rows = rows.only(*fields)
    rows = sorted(rows, key=lambda row: order[row.pk])
    paginator = Paginator(queryset, per_page)
    paginator.count = total  # a cached_property: the COUNT(*) is never asked
    return Page(rows, number, paginator)
