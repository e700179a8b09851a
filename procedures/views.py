"""Views of the catalogue that are not pages of their own."""

from django.core.paginator import Paginator

from .forms import ProcedureSearchForm
from .selectors import search_procedures

RESULTS_PER_PAGE = 20


def search_context(request):
    """Context for /thu-tuc/: the form, one page of results, and the query string that
    keeps the filters while paging."""
    form = ProcedureSearchForm(request.GET)
    filters = form.filters()
    page = Paginator(search_procedures(**filters), RESULTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "search_form": form,
        "query": filters["query"],
        "results_page": page,
        "querystring": params.urlencode(),
    }
