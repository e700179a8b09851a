"""StreamField blocks of a procedure page: its steps and its ways of submission."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .constants import SubmissionMethod


class StepBlock(blocks.StructBlock):
    """One step of the procedure (trình tự thực hiện), in order."""

    title = blocks.CharBlock(label=_("Bước"), max_length=200)
    description = blocks.TextBlock(label=_("Nội dung"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Bước thực hiện")
        template = "procedures/blocks/step.html"


class SubmissionMethodValue(blocks.StructValue):
    def method_label(self):
        return dict(SubmissionMethod.choices).get(self.get("method"), self.get("method"))


class SubmissionMethodBlock(blocks.StructBlock):
    """A row of the submission-methods table: how, how long, how much, and notes."""

    method = blocks.ChoiceBlock(choices=SubmissionMethod.choices, label=_("Hình thức nộp"))
    processing_time = blocks.CharBlock(label=_("Thời hạn giải quyết"), max_length=200)
    fee = blocks.CharBlock(label=_("Phí, lệ phí"), max_length=200, required=False)
    description = blocks.TextBlock(label=_("Mô tả"), required=False)

    class Meta:
        icon = "table"
        label = _("Cách thức thực hiện")
        value_class = SubmissionMethodValue
