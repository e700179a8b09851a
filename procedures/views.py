"""Views of the catalogue that are not pages of their own."""

from core.pagination import page_with_total

from .forms import ProcedureSearchForm
from .selectors import search_procedures

RESULTS_PER_PAGE = 20
# What procedures/procedure_result.html shows of each result (url_path for its link).
RESULT_FIELDS = ("title", "url_path", "code", "level", "field__name")


def search_context(request):
    """Context for /thu-tuc/: the form, one page of results, and the query string that
    keeps the filters while paging."""
    form = ProcedureSearchForm(request.GET)
    filters = form.filters()
    page = page_with_total(
        search_procedures(**filters),
        request.GET.get("page"),
        RESULTS_PER_PAGE,
        fields=RESULT_FIELDS,
    )
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "search_form": form,
        "query": filters["query"],
        "results_page": page,
        "querystring": params.urlencode(),
    }
