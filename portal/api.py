"""The portal's API URLs: Wagtail API v2 and v3, with the project's routers added to v3
before its URLs are read (django-ninja refuses routers added later), and client errors
for two requests that Wagtail 8.0.1's v3 answers with a 500: a pagination offset beyond
what the database stores, and deleting a page the portal's dossiers protect."""

from functools import wraps

from django.db.models import ProtectedError
from django.urls import path
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ValidationError as PydanticValidationError
from wagtail.api.v3.errors import problem_response
from wagtail.api.v3.urls import api as api_v3

from procedures.api import api_router
from procedures.api import router as procedures_router

api_v3.add_router("/procedures/", procedures_router)


@api_v3.exception_handler(ProtectedError)
def protected_error(request, exc):
    """Deleting a procedure or an agency that citizens' dossiers refer to: the dossiers
    keep it (``on_delete=PROTECT``), as the admin says when the same is tried there."""
    return problem_response(
        status=409,
        detail=_("Không thể xóa: %(count)s hồ sơ của người dân đang tham chiếu đến trang này.")
        % {"count": len(exc.protected_objects)},
    )


# The largest offset the database takes (LIMIT/OFFSET are signed 64-bit integers).
DB_BIGINT_MAX = 2**63 - 1


class DatabaseOffset(Schema):
    """Wagtail's ``offset`` parameter, bounded as ``procedures.api.BoundedPagination``
    bounds the portal's own, but at what the database takes."""

    offset: int = Field(default=0, ge=0, le=DB_BIGINT_MAX)


def bounded_pagination(view):
    """Validate ``offset`` against ``DatabaseOffset`` before Wagtail's view runs.

    Wagtail 8.0.1's paginator bounds it only from below and the database's refusal of a
    larger one became a 500; its routers fix their paginator when they are imported, so
    the bound goes around their views. The answer is the 422 problem the API gives for
    any other invalid parameter.
    """

    @wraps(view)
    def bounded(request, *args, **kwargs):
        if "offset" in request.GET:
            try:
                DatabaseOffset.model_validate({"offset": request.GET["offset"]})
            except PydanticValidationError as error:
                return problem_response(
                    status=422,
                    detail="Validation failed",
                    errors=[
                        {**problem, "loc": ["query", *problem["loc"]]}
                        for problem in error.errors(include_url=False, include_input=False)
                    ],
                )
        return view(request, *args, **kwargs)

    return bounded


v3_patterns, v3_app_name, v3_namespace = api_v3.urls
for pattern in v3_patterns:
    pattern.callback = bounded_pagination(pattern.callback)

urlpatterns = [
    path("api/v2/", api_router.urls),
    path("api/v3/", (v3_patterns, v3_app_name, v3_namespace)),
]
