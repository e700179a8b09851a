"""What administrators record about the calendar the deadlines count on: the days the
government moves each year (days off, make-up working days) and the confirmation that a
year's calendar matches the government's decision.

The ``holidays`` package pinned with the portal knows the years it was released with;
for the others, and for the swaps the government decides each year, these records are
the deadlines' word (``working_days``).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..constants import CalendarDayKind
from ..models import CalendarDay, CalendarYear

# A decision moves a few days at a time (the Tết break is the longest, about ten days):
# a longer range is more likely a slip of the date than a decision.
MAX_RECORDED_RANGE_DAYS = 31


def _refuse_at(field, message):
    raise ValidationError({field: [message]})


@transaction.atomic
def record_calendar_days(*, actor, first, last, kind, note):
    """Record every day from ``first`` to ``last`` (inclusive) as ``kind`` (a day off,
    or a working day made up), with the decision as ``note``: a whole break of the
    government's decision in one go. A day already recorded takes the new kind and note
    (the later decision wins). Returns ``(created, updated)``.

    Needs the ``forms_app.add_calendarday`` and ``change_calendarday`` permissions."""
    if not (
        actor.has_perm("forms_app.add_calendarday")
        and actor.has_perm("forms_app.change_calendarday")
    ):
        raise PermissionDenied
    if kind not in CalendarDayKind.values:
        _refuse_at("kind", _("Vui lòng chọn loại ngày."))
    if last < first:
        _refuse_at("last", _("Ngày cuối không được trước ngày đầu."))
    if (last - first).days + 1 > MAX_RECORDED_RANGE_DAYS:
        _refuse_at(
            "last",
            _("Mỗi lần ghi nhận tối đa %(days)s ngày liên tiếp.")
            % {"days": MAX_RECORDED_RANGE_DAYS},
        )
    note = note.strip()
    if not note:
        _refuse_at("note", _("Vui lòng ghi văn bản làm căn cứ (số, ký hiệu văn bản)."))
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    existing = {
        row.date: row
        for row in CalendarDay.objects.select_for_update().filter(date__range=(first, last))
    }
    created = updated = 0
    for day in days:
        row = existing.get(day)
        if row is None:
            CalendarDay.objects.create(date=day, kind=kind, note=note)
            created += 1
        elif (row.kind, row.note) != (kind, note):
            row.kind, row.note = kind, note
            row.save(update_fields=["kind", "note"])
            updated += 1
    return created, updated


@transaction.atomic
def confirm_calendar_year(*, actor, year, decision):
    """Confirm that ``year``'s days off and make-up working days, as the deadlines count
    them, match the government's ``decision`` (its number and title). Confirming again
    replaces the decision (a later one, or a correction). Needs the
    ``forms_app.add_calendaryear`` permission."""
    if not actor.has_perm("forms_app.add_calendaryear"):
        raise PermissionDenied
    decision = decision.strip()
    if not decision:
        _refuse_at("decision", _("Vui lòng ghi số, ký hiệu văn bản công bố lịch nghỉ của năm."))
    this_year = timezone.localdate().year
    if not this_year - 1 <= year <= this_year + 2:
        _refuse_at(
            "year",
            _("Chỉ xác nhận lịch của các năm từ %(first)s đến %(last)s.")
            % {"first": this_year - 1, "last": this_year + 2},
        )
    confirmation, _created = CalendarYear.objects.update_or_create(
        year=year,
        defaults={"decision": decision, "confirmed_by": actor, "confirmed_at": timezone.now()},
    )
    return confirmation
