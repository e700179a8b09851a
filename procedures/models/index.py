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

    # What the search adds to the page's context: ``procedures.views.search_context``,
    # set by ``ProceduresConfig.ready``. The view reads through the selectors, which
    # import the models, so the model must not import the view.
    search_context = None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.search_context(request))
        return context
