"""Site-wide plain views."""

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    """``200 ok`` when the database answers; ``503`` otherwise, so a load balancer takes
    this server out of rotation."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@cache_control(max_age=86400, public=True)
@require_safe
def favicon(request):
    """``/favicon.ico``: browsers, crawlers and audits ask for it whatever a page declares
    (Lighthouse counted its 404). It leads to the static icon, under the hashed name
    production gives it; not permanently, so that a new icon is seen within a day."""
    return HttpResponseRedirect(static("img/favicon.ico"))
