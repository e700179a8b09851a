"""Root URLs: accounts under /tai-khoan/, payments under /thanh-toan/, the Wagtail admin, and
Wagtail's page tree last."""

from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views

urlpatterns = [
    path("healthz", home_views.healthz, name="healthz"),
    path("favicon.ico", home_views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/", include("accounts.urls")),
    path("tai-khoan/", include("allauth.urls")),
    # Wagtail's own login page would let an attacker try passwords beside allauth's
    # failed-login limits: the admin logs in on the portal's one login page instead.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="admin_login_redirect",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("portal.api")),
    path("", include("forms_app.urls")),
    path("thanh-toan/", include("payments.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
