"""The days the government moves each year, and which years an official has checked
against the decision (the working-day deadlines read both)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.formatting import format_date

from ..constants import (
    CalendarDayKind,
)


class CalendarDay(models.Model):
    """A day the government moved this year: an extra day off, or a weekend day worked
    in exchange. Counted by the working-day deadlines on top of the public holidays of
    the ``holidays`` package."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại ngày"), max_length=20, choices=CalendarDayKind.choices)
    note = models.CharField(_("căn cứ, ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["-date"]

    def __str__(self):
        return f"{format_date(self.date)} – {self.get_kind_display()}"


class CalendarYear(models.Model):
    """A year whose days off and make-up working days an administrator has checked
    against the government's decision for that year (Tết, the swapped days) and
    completed with ``CalendarDay`` rows: its deadlines can be trusted.

    The pinned ``holidays`` package knows only the years it was released with; the
    government announces next year's Tết and swaps in the autumn. From 1 October the
    admin warns while next year has no confirmation
    (``working_days.year_to_confirm``)."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    decision = models.CharField(
        _("văn bản công bố lịch nghỉ"),
        max_length=255,
        help_text=_(
            "Số, ký hiệu và trích yếu của văn bản công bố lịch nghỉ lễ, Tết của năm, ví dụ "
            "“Thông báo số …/TB-BNV về lịch nghỉ Tết Âm lịch và Quốc khánh năm 2027”."
        ),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("ngày xác nhận"))

    class Meta:
        verbose_name = _("lịch nghỉ đã xác nhận của năm")
        verbose_name_plural = _("lịch nghỉ đã xác nhận theo năm")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.decision}"
