"""Extending a dossier's deadline: once, while its clock runs, to a later working day,
with the reason the citizen is told (workflow.py says how every action runs)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.formatting import format_date
from core.queueing import enqueue_on_commit

from ..constants import EventKind
from ..models import (
    Dossier,
    DossierEvent,
)
from ..tasks import notify_applicant
from ..working_days import close_of_office, is_working_day
from .workflow import (
    CLOCK_RUNNING,
    check_official,
)


def extension_refusal(dossier):
    """Why the appointment of ``dossier`` cannot be moved now, or None when it can.

    The one-stop-shop rules allow an agency that cannot settle a dossier in time to
    apologise and give a new appointment ("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    before the appointment has passed, and once: "việc hẹn lại ngày trả kết quả được
    thực hiện không quá một lần" (Nghị định 61/2018/NĐ-CP Điều 19 as amended by Nghị
    định 107/2021/NĐ-CP; since 01/07/2025 Nghị định 118/2025/NĐ-CP). The wording and the
    article could not be checked against the official texts (README, "Working days").

    The admin asks this to offer the button or not; ``extend_deadline`` asks it again
    under the row lock, so of two officials extending at once the second is refused.
    """
    if dossier.status not in CLOCK_RUNNING or not dossier.due_at:
        return _("Chỉ gia hạn được hồ sơ đang trong thời hạn giải quyết.")
    if dossier.extended_from is not None:
        return _(
            "Hồ sơ đã được hẹn lại ngày trả kết quả một lần (ngày hẹn trước đó: %(date)s). "
            "Theo quy định, việc hẹn lại ngày trả kết quả chỉ được thực hiện một lần."
        ) % {"date": format_date(dossier.extended_from)}
    if timezone.now() > dossier.due_at:
        return _(
            "Đã quá ngày hẹn trả kết quả (%(date)s): chỉ hẹn lại được trước khi hết ngày hẹn."
        ) % {"date": format_date(dossier.due_at)}
    return None


def _refuse_at(field, message):
    """Bad input for one field of the form: the message shows at that field."""
    raise ValidationError({field: [message]})


@transaction.atomic
def extend_deadline(*, dossier, actor, new_due, reason):
    """A later appointment, with the reason, and the apology letter the law requires
    ("Phiếu xin lỗi và hẹn lại ngày trả kết quả") mailed to the citizen: at most once,
    and only before the appointment has passed (``extension_refusal``). The appointment
    it replaces is kept (``extended_from``). Refusals name the field they are about
    (``new_due``, ``reason``)."""
    check_official(actor, dossier)
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    refusal = extension_refusal(locked)
    if refusal is not None:
        _refuse_at("new_due", refusal)
    if not reason.strip():
        _refuse_at("reason", _("Vui lòng ghi rõ lý do gia hạn."))
    previous = timezone.localdate(locked.due_at)
    if not (new_due > previous and new_due >= timezone.localdate()):
        _refuse_at(
            "new_due",
            _("Ngày hẹn mới phải sau ngày hẹn hiện tại (%(date)s).")
            % {"date": format_date(previous)},
        )
    # The apology letter gives the citizen a day to come back: the office must be open.
    if not is_working_day(new_due):
        _refuse_at(
            "new_due",
            _("Ngày hẹn mới (%(date)s) không phải ngày làm việc.")
            % {"date": format_date(new_due)},
        )
    locked.extended_from = locked.due_at
    locked.due_at = close_of_office(new_due)
    locked._history_user = actor
    locked._change_reason = reason.strip()
    locked.save()
    DossierEvent.objects.create(
        dossier=locked,
        actor=actor,
        kind=EventKind.DEADLINE_EXTENDED,
        message=_("Hẹn lại ngày %(date)s: %(reason)s")
        % {"date": format_date(new_due), "reason": reason.strip()},
    )
    log(
        instance=locked,
        action="forms_app.dossier.extend_deadline",
        user=actor,
        data={"reason": reason},
    )
    enqueue_on_commit(
        notify_applicant,
        locked.pk,
        "deadline_extended",
        note=reason.strip(),
        apology=[previous.isoformat(), new_due.isoformat()],
    )
    return locked
