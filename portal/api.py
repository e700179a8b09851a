"""The portal's API URLs: Wagtail API v2 and v3, with the project's routers added to v3
before its URLs are read (django-ninja refuses routers added later)."""

from django.urls import path
from wagtail.api.v3.urls import api as api_v3

from procedures.api import api_router
from procedures.api import router as procedures_router

api_v3.add_router("/procedures/", procedures_router)

urlpatterns = [
    path("api/v2/", api_router.urls),
    path("api/v3/", api_v3.urls),
]
