"""The procedure index at /thu-tuc/: search and browse the whole catalogue."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from core.restrictions import ViewRestrictionsMixin


class ProcedureIndexPage(ViewRestrictionsMixin, Page):
    """ "Thủ tục hành chính": one search box and filters over every live procedure."""

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("tra cứu thủ tục")

    def get_context(self, request, *args, **kwargs):
        from ..views import search_context

        context = super().get_context(request, *args, **kwargs)
        context.update(search_context(request))
        return context
