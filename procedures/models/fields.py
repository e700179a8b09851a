"""Fields (lĩnh vực) that group procedures: Hộ tịch, Đất đai, Thành lập doanh nghiệp…"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from ..text import procedure_search_text


class ProcedureField(index.Indexed, models.Model):
    """A field of state management, as the national procedure database names them."""

    name = models.CharField(_("tên lĩnh vực"), max_length=150, unique=True)
    code = models.CharField(
        _("mã lĩnh vực"),
        max_length=30,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9_.-]+$", _("Mã chỉ gồm chữ in hoa không dấu, chữ số, '.', '-', '_'.")
            )
        ],
    )

    panels = [FieldPanel("name"), FieldPanel("code")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """A renamed field is found by its new name at once: the procedures' folded
        search text (which includes the field's name) is refreshed with it."""
        super().save(*args, **kwargs)
        pages = list(self.procedures.only("title", "code", "search_text"))
        for page in pages:
            page.search_text = procedure_search_text(page.title, page.code, self.name)
        self.procedures.model.objects.bulk_update(pages, ["search_text"], batch_size=500)
