"""The home page: the root of the portal's page tree."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.documents.models import AbstractDocument
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from core.restrictions import ViewRestrictionsMixin
from core.routing import DirectRouteMixin


class HomePage(DirectRouteMixin, ViewRestrictionsMixin, Page):
    """The portal's front page: what the portal offers and where to start.

    Agencies, the procedure catalogue and the guides hang below it as they arrive. As
    the site's root it finds any page below it in one query (``core.routing``).
    """

    intro = models.TextField(
        _("lời giới thiệu"),
        blank=True,
        help_text=_("Một hai câu giới thiệu cổng dịch vụ công, hiện dưới tiêu đề."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("featured_procedures", heading=_("Thủ tục phổ biến"), label=_("thủ tục")),
    ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured_procedures"] = self.featured_procedures.select_related("page")
        return context

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "procedures.AgencyIndexPage",
        "procedures.ProcedureIndexPage",
        "home.GuidePage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("trang chủ")


class FeaturedProcedure(Orderable):
    """A procedure editors put on the home page under "Thủ tục phổ biến".

    Linked as a plain page (chooser limited to procedures) so that ``home`` needs nothing
    from the ``procedures`` app, which builds on it.
    """

    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_procedures")
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("thủ tục")
    )

    panels = [PageChooserPanel("page", "procedures.ProcedurePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("thủ tục phổ biến")
        verbose_name_plural = _("thủ tục phổ biến")


class GuidePage(ViewRestrictionsMixin, Page):
    """ "Hướng dẫn": an editable guide for citizens (what online services are, how to
    register, submit and follow a dossier). Guides nest: a "Hướng dẫn" page lists its
    children."""

    intro = models.TextField(_("tóm tắt"), blank=True)
    body = RichTextField(_("nội dung"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["home.HomePage", "home.GuidePage"]
    subpage_types = ["home.GuidePage"]

    class Meta:
        verbose_name = _("trang hướng dẫn")


def document_upload_to(document, filename):
    """A folder of its own per document, so the file keeps the name it was uploaded with.

    Wagtail serves a document under its stored name; with one shared folder a second
    "to-khai.docx" would be renamed "to-khai_a1B2c3d.docx" on disk and reach citizens so.
    """
    return f"documents/{uuid.uuid4().hex[:16]}/{filename}"


class PortalDocument(AbstractDocument):
    """The portal's Wagtail document: public form templates (mẫu đơn, tờ khai).

    Citizens' own files never go here: they live in private storage (``forms_app``).
    """

    file = models.FileField(upload_to=document_upload_to, max_length=255, verbose_name=_("tệp"))

    admin_form_fields = ("title", "file", "collection", "tags")

    class Meta(AbstractDocument.Meta):
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
