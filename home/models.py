"""The home page: the root of the portal's page tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """The portal's front page: what the portal offers and where to start.

    Agencies, the procedure catalogue and the guides hang below it as they arrive.
    """

    intro = models.TextField(
        _("lời giới thiệu"),
        blank=True,
        help_text=_("Một hai câu giới thiệu cổng dịch vụ công, hiện dưới tiêu đề."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("trang chủ")
