"""Reads of the catalogue that need care: search, and what the lists show."""

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Length
from wagtail.models import PageViewRestriction

from core.caching import cached_per_version

from .model_fields import MultipleChoiceField
from .models import AgencyPage, ProcedureField, ProcedurePage
from .text import fold, query_terms

MAX_QUERY_LENGTH = 200


def live_procedures():
    """Live procedures outside any private section: Wagtail's ``live().public()``.

    ``public()`` reads every view restriction from the database each time it is called,
    once per search; the sections are kept per catalogue version instead (a saved or
    deleted restriction replaces the version, see ``core.caching``).
    """
    private = Q(pk__in=[])  # as in Wagtail: no private section excludes nothing
    for path, depth in private_sections():
        private |= Q(path__startswith=path, depth__gte=depth)
    return ProcedurePage.objects.live().exclude(private)


def private_sections():
    """(path, depth) of every page with a view restriction: it and its descendants."""

    def build():
        return list(PageViewRestriction.objects.values_list("page__path", "page__depth"))

    return cached_per_version("private-sections", build)


def search_procedures(query="", *, agency=None, field=None, level=None, applicant_type=None):
    """Live procedures matching ``query`` and the filters, best match first.

    Matching is on folded text (``procedures.text.fold``): case, diacritics and đ/Đ are
    ignored, each query word must begin a word of the title, code or field, and the code
    is searchable as written. Ranking happens in the database, so a page of results costs
    one bounded query whatever the catalogue's size:

    4  the code itself ("1.001193")
    3  the title is exactly the query ("dang ky khai sinh" → "Đăng ký khai sinh")
    2  the title contains the query as a phrase
    1  the title contains every word
    then shorter titles first (the closest to what was typed), then alphabetical.
    """
    procedures = live_procedures().select_related("field")
    if agency is not None:
        procedures = procedures.filter(
            Q(path__startswith=agency.path, depth=agency.depth + 1)
            | Q(
                pk__in=ProcedurePage.executing_agencies.through.objects.filter(
                    agencypage=agency
                ).values("procedurepage")
            )
        )
    if field is not None:
        procedures = procedures.filter(field=field)
    if level:
        procedures = procedures.filter(level=level)
    if applicant_type:
        procedures = procedures.filter(
            applicant_types__contains=MultipleChoiceField.contains(applicant_type)
        )

    # NUL cannot travel to PostgreSQL in a string parameter; it is no letter anyway.
    query = (query or "").replace("\x00", "")[:MAX_QUERY_LENGTH]
    terms = query_terms(query)
    if not terms:
        return procedures.order_by("field__name", "title")
    for term in terms:
        procedures = procedures.filter(search_text__contains=f" {term}")

    phrase = fold(query)
    rank = Case(
        When(code=query.strip(), then=Value(4)),
        When(search_title=phrase, then=Value(3)),
        When(search_title__contains=phrase, then=Value(2)),
        When(
            Q(*[Q(search_title__contains=f" {term}") for term in terms]),
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    # alias(), not annotate(): the rank orders the rows; selecting it too made Django hash
    # the whole expression while compiling (a few milliseconds per search).
    return procedures.alias(rank=rank).order_by("-rank", Length("title"), "title")


def agencies_for_filter():
    """Agencies offered in the search filter, alphabetically (ordering by tree path would
    make SQLite walk the whole page table)."""
    return AgencyPage.objects.live().public().order_by("title").only("title")


def fields_for_filter():
    return ProcedureField.objects.order_by("name")


def filter_choices():
    """The agency and field options of the search filter, as (pk, name) pairs.

    Every search page lists them and only editors change them, so they are read once per
    version of the catalogue (``core.caching.cached_per_version``), not on each search.
    """

    def build():
        return {
            "agency": list(agencies_for_filter().values_list("pk", "title")),
            "field": list(fields_for_filter().values_list("pk", "name")),
        }

    return cached_per_version("procedure-filter-choices", build)
