from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Trang chủ")

    def ready(self):
        # The page cache's invalidation (portal has no app config of its own: it holds
        # no models), connected here with the home page it mostly concerns.
        from portal.caching import connect_invalidation

        connect_invalidation()
