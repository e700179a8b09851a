from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản")


class PortalUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user management, with forms for a user that has one full name.

    Wagtail's own forms expect ``first_name`` and ``last_name``; Vietnamese names are
    written whole, so staff are created and edited with ``full_name`` instead.
    """

    user_viewset = "accounts.viewsets.PortalUserViewSet"
