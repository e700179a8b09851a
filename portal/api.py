"""The portal's API URLs: Wagtail API v2 and v3, with the project's routers added to v3
before its URLs are read (django-ninja refuses routers added later), and the answer v3
gives to an error of the portal's data model that Wagtail's handlers leave as a 500."""

from django.db.models import ProtectedError
from django.urls import path
from django.utils.translation import gettext as _
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


urlpatterns = [
    path("api/v2/", api_router.urls),
    path("api/v3/", api_v3.urls),
]
