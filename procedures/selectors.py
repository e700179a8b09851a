"""Reads of the catalogue that need care: search, and what the lists show."""

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Length

from portal.caching import cached_per_version

from .fields import MultipleChoiceField
from .models import AgencyPage, ProcedureField, ProcedurePage
from .text import fold, query_terms

MAX_QUERY_LENGTH = 200


def live_procedures():
    return ProcedurePage.objects.live().public()


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
    return procedures.annotate(rank=rank).order_by("-rank", Length("title"), "title")


def agencies_for_filter():
    """Agencies offered in the search filter, alphabetically (ordering by tree path would
    make SQLite walk the whole page table)."""
    return AgencyPage.objects.live().public().order_by("title").only("title")


def fields_for_filter():
    return ProcedureField.objects.order_by("name")


def filter_choices():
    """The agency and field options of the search filter, as (pk, name) pairs.

    Every search page lists them and only editors change them, so they are read once per
    version of the catalogue (``portal.caching.cached_per_version``), not on each search.
    """

    def build():
        return {
            "agency": list(agencies_for_filter().values_list("pk", "title")),
            "field": list(fields_for_filter().values_list("pk", "name")),
        }

    return cached_per_version("procedure-filter-choices", build)
