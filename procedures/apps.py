from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    """Agencies and administrative procedures: service levels 1 and 2."""

    name = "procedures"
    verbose_name = _("Thủ tục hành chính")
    # Its pages and snippets show on public pages: saving one empties the page cache.
    shows_on_public_pages = True

    def ready(self):
        from .models import ProcedureIndexPage
        from .views import search_context

        ProcedureIndexPage.search_context = staticmethod(search_context)
