from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Trang chủ")
    # Its pages and models show on public pages: saving one empties the page cache.
    shows_on_public_pages = True
