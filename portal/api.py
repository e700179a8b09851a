"""The portal's API URLs: Wagtail API v2 and v3, with the project's routers added to v3
before its URLs are read (django-ninja refuses routers added later), and client errors
for two requests that Wagtail 8.0.1's v3 answers with a 500: a pagination offset beyond
what the database stores, and deleting a page the portal's dossiers protect."""

from functools import wraps

from django.db.models import ProtectedError
from django.urls import path
from django.utils.translation import gettext as _
from pydantic import TypeAdapter
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


# The largest integer a database column or LIMIT/OFFSET takes (a signed 64-bit one).
DB_BIGINT_MAX = 2**63 - 1
PAGINATION = ("limit", "offset")
INTEGER = TypeAdapter(int)


def _beyond_the_database(value):
    """Whether ``value`` parses as the API parses an integer, to one too large to store.
    What does not parse is left to the API, which refuses it itself."""
    try:
        return INTEGER.validate_python(value) > DB_BIGINT_MAX
    except PydanticValidationError:
        return False


def bounded_pagination(view):
    """Refuse ``limit`` or ``offset`` beyond 64 bits with the 422 problem the API gives
    for any other invalid parameter; Wagtail's paginator bounds neither from above and
    the database's error became a 500."""

    @wraps(view)
    def bounded(request, *args, **kwargs):
        too_large = [
            name
            for name in PAGINATION
            if any(_beyond_the_database(value) for value in request.GET.getlist(name))
        ]
        if not too_large:
            return view(request, *args, **kwargs)
        message = _("Giá trị phải nhỏ hơn hoặc bằng %(max)s.") % {"max": DB_BIGINT_MAX}
        return problem_response(
            status=422,
            detail="Validation failed",
            errors=[
                {"type": "less_than_equal", "loc": ["query", name], "msg": message}
                for name in too_large
            ],
        )

    return bounded


v3_patterns, v3_app_name, v3_namespace = api_v3.urls
for pattern in v3_patterns:
    pattern.callback = bounded_pagination(pattern.callback)

urlpatterns = [
    path("api/v2/", api_router.urls),
    path("api/v3/", (v3_patterns, v3_app_name, v3_namespace)),
]
