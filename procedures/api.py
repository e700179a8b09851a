"""The public content API.

Wagtail API v2 at /api/v2/ (pages, documents), with procedure search that matches
exactly as /thu-tuc/ does and filters by field, level and agency; and the project's own
router on Wagtail API v3 (django-ninja) at /api/v3/procedures/.
"""

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination
from wagtail.documents.api.v2.views import DocumentsAPIViewSet

from .models import AgencyPage, ProcedurePage
from .selectors import search_procedures


class ProcedureSearchFilter(SearchFilter):
    """``?search=`` on procedures uses the portal's own matching and ranking (folded
    Vietnamese, code, best match first); other page types keep Wagtail's search."""

    def filter_queryset(self, request, queryset, view):
        query = request.GET.get("search")
        if query is None or not issubclass(queryset.model, ProcedurePage):
            return super().filter_queryset(request, queryset, view)
        if "order" in request.GET:
            raise BadRequestError("ordering with a search query is not supported")
        return search_procedures(query).filter(pk__in=queryset.values("pk"))


class AgencyFilter(BaseFilterBackend):
    """``?agency=<code or page id>``: procedures that agency carries out."""

    def filter_queryset(self, request, queryset, view):
        value = request.GET.get("agency")
        if value is None or not issubclass(queryset.model, ProcedurePage):
            return queryset
        value = value.replace("\x00", "").strip()
        if value.isascii() and value.isdigit() and len(value) <= 18:
            lookup = {"pk": int(value)}
        else:
            lookup = {"code": value.upper()}
        agency = AgencyPage.objects.filter(**lookup).first()
        if agency is None:
            raise BadRequestError(f"no agency '{value}'")
        return search_procedures(agency=agency).filter(pk__in=queryset.values("pk"))


class PortalPagesAPIViewSet(PagesAPIViewSet):
    filter_backends = [
        AgencyFilter,
        *[backend for backend in PagesAPIViewSet.filter_backends if backend is not SearchFilter],
        ProcedureSearchFilter,
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters | {"agency"}

    def get_queryset(self):
        """Procedures come with their inline records in a fixed number of queries."""
        queryset = super().get_queryset()
        if issubclass(queryset.model, ProcedurePage):
            queryset = queryset.select_related("field", "locale").prefetch_related(
                "dossier_components__template", "fees", "legal_basis", "executing_agencies"
            )
        return queryset


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PortalPagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)


# API v3 (django-ninja) -------------------------------------------------------------------
router = Router(tags=["procedures"])


class ProcedureSummary(Schema):
    id: int
    code: str
    title: str
    level: int
    field: str | None
    url: str

    @staticmethod
    def resolve_field(procedure):
        return procedure.field.name if procedure.field_id else None

    @staticmethod
    def resolve_url(procedure, context):
        return context["request"].build_absolute_uri(procedure.url)


# Larger numbers than a database integer are refused with a 422, not sent to the database
# (where SQLite cannot bind them and PostgreSQL's bigint overflows: a 500).
DB_INT_MAX = 2**31 - 1


class BoundedPagination(WagtailLimitOffsetPagination):
    """Wagtail's limit/offset pagination with the offset bounded."""

    class Input(WagtailLimitOffsetPagination.Input):
        offset: int = Field(default=0, ge=0, le=DB_INT_MAX)


@router.get(
    "/", response=list[ProcedureSummary], summary="Search procedures", url_name="procedures_search"
)
@paginate(BoundedPagination)
def list_procedures(
    request,
    q: str = "",
    level: int | None = None,
    field: int | None = Query(None, ge=1, le=DB_INT_MAX),
):
    """Live procedures, matched and ranked as on /thu-tuc/ (diacritics optional)."""
    return search_procedures(q, level=level, field=field)


@router.get(
    "/{code}/",
    response=ProcedureSummary,
    summary="Procedure by code",
    url_name="procedures_detail",
)
def get_procedure(request, code: str):
    procedure = search_procedures().filter(code=code).first()
    if procedure is None:
        raise Http404
    return procedure
