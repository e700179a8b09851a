"""What officials (and, for two steps, the citizen) do to a submitted dossier.

One function per action. Each locks the dossier row, checks that the action is allowed
from the status it is in *now* (so of two officials acting at once, the second is told
what happened instead of undoing it), records the actor and a reason in the history and
in Wagtail's audit log, and queues the citizen's e-mail with the change (it is sent
once the transaction has committed, by a background task).
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from core.queueing import enqueue_on_commit

from ..constants import ENDED_WITHOUT_RESULT, DossierStatus, EventKind, ResultDelivery
from ..finance.services import adjust_fees, refund_payments
from ..models import (
    Dossier,
    DossierEvent,
    DossierResult,
)
from ..selectors import is_official_of, officials_of
from ..tasks import notify_applicant
from ..working_days import due_at

# action: (statuses it may start from, status it leads to, what the audit log calls it)
ACTIONS = {
    "receive": (
        {DossierStatus.SUBMITTED},
        DossierStatus.RECEIVED,
        gettext_lazy("Tiếp nhận hồ sơ"),
    ),
    "reject": (
        {DossierStatus.SUBMITTED, DossierStatus.PROCESSING},
        DossierStatus.REJECTED,
        gettext_lazy("Từ chối hồ sơ"),
    ),
    "start_processing": (
        {DossierStatus.RECEIVED},
        DossierStatus.PROCESSING,
        gettext_lazy("Phân công xử lý"),
    ),
    # At the reception check (submitted: the clock has not started) or while processing.
    "request_supplement": (
        {DossierStatus.SUBMITTED, DossierStatus.PROCESSING},
        DossierStatus.SUPPLEMENT_REQUESTED,
        gettext_lazy("Yêu cầu bổ sung hồ sơ"),
    ),
    # The citizen answers a request made while processing: the clock resumes.
    "submit_supplement": (
        {DossierStatus.SUPPLEMENT_REQUESTED},
        DossierStatus.SUPPLEMENTED,
        gettext_lazy("Người nộp bổ sung hồ sơ"),
    ),
    # The citizen answers a request made at the reception check: back to the official
    # for "Tiếp nhận", where the clock starts.
    "submit_supplement_before_receipt": (
        {DossierStatus.SUPPLEMENT_REQUESTED},
        DossierStatus.SUBMITTED,
        gettext_lazy("Người nộp bổ sung hồ sơ, chờ tiếp nhận"),
    ),
    "resume_processing": (
        {DossierStatus.SUPPLEMENTED},
        DossierStatus.PROCESSING,
        gettext_lazy("Tiếp tục xử lý"),
    ),
    "mark_result_ready": (
        {DossierStatus.PROCESSING},
        DossierStatus.RESULT_READY,
        gettext_lazy("Có kết quả"),
    ),
    "complete": (
        {DossierStatus.RESULT_READY},
        DossierStatus.COMPLETED,
        gettext_lazy("Trả kết quả"),
    ),
    "withdraw": (
        {DossierStatus.SUBMITTED},
        DossierStatus.WITHDRAWN,
        gettext_lazy("Người nộp rút hồ sơ"),
    ),
}

# Every (from, to) pair the workflow allows; anything else is impossible.
TRANSITIONS = {(start, end) for starts, end, _label in ACTIONS.values() for start in starts}

# Statuses in which the deadline clock runs (and so may be extended).
CLOCK_RUNNING = {DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.SUPPLEMENTED}


class TransitionRefused(ValidationError):
    """The action does not apply to the dossier as it is now."""


def allowed_actions(dossier):
    """The actions the dossier's status allows, in the workflow's order."""
    return [name for name, (starts, _end, _label) in ACTIONS.items() if dossier.status in starts]


def require(condition, message):
    if not condition:
        raise ValidationError(message)


def check_official(actor, dossier):
    if not is_official_of(actor, dossier.agency):
        raise PermissionDenied


def check_owner(actor, dossier):
    if dossier.applicant_id != actor.pk:
        raise PermissionDenied


def lock(dossier, action):
    """The dossier's row, locked, if ``action`` applies to its status now; otherwise
    TransitionRefused, saying what the status is."""
    starts, _end, label = ACTIONS[action]
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.status not in starts:
        raise TransitionRefused(
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”: không thể %(action)s.")
            % {
                "code": locked.code,
                "status": locked.get_status_display(),
                "action": str(label).lower(),
            },
            code="wrong_status",
        )
    return locked


def transition(dossier, action, *, actor, note="", notify=True, **changes):
    """Lock, check, change, record; returns the dossier as saved. Must run inside the
    caller's transaction (every public function here is atomic)."""
    locked = lock(dossier, action)
    _starts, end, label = ACTIONS[action]
    if end in ENDED_WITHOUT_RESULT:
        # Nothing is owed any more: the appointment goes (the history keeps it), so no
        # page, e-mail or export shows one on a rejected or withdrawn dossier.
        changes = {**changes, "due_at": None, "days_left_when_paused": None}
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.status = end
    locked._history_user = actor
    locked._change_reason = note or str(label)
    locked.save()
    log(
        instance=locked,
        action=f"forms_app.dossier.{action}",
        user=actor,
        data={"status": end, "note": note},
    )
    if notify:
        # The note is the reason the rejection and withdrawal e-mails must give.
        enqueue_on_commit(notify_applicant, locked.pk, str(end), note=note)
    return locked


def processing_days(dossier):
    """The legal time limit, as the dossier was submitted against it."""
    return dossier.as_submitted.processing_time_days


def deadline_from(moment, days, agency):
    """When a clock starting or resuming at ``moment`` with ``days`` working days runs
    out, by the receiving agency's cut-off: ``working_days.due_at``, the one rule, for
    receipt online, receipt at the counter and the resumption after a supplement."""
    return due_at(moment, days, cutoff=agency.receipt_cutoff)


@transaction.atomic
def receive_dossier(*, dossier, actor, note="", fee_amounts=None, fee_reason="", fee_applies=None):
    """ "Tiếp nhận": the clock starts; the due date is the procedure's working days
    after the day the dossier counts as received (after the agency's cut-off or on a
    day off, the next working day: ``working_days.due_at``). The official confirms the
    fees here: which of the schedule's alternatives and conditional lines apply
    (``fee_applies``: fee line id → bool) and the amounts (``fee_amounts``: fee line id
    → đồng), with ``fee_reason`` where an amount is changed (a reduction or an
    exemption). See ``finance.services.adjust_fees``."""
    check_official(actor, dossier)
    now = timezone.now()
    dossier = transition(
        dossier,
        "receive",
        actor=actor,
        note=note,
        received_at=now,
        due_at=deadline_from(now, processing_days(dossier), dossier.agency),
    )
    adjust_fees(
        dossier,
        actor=actor,
        amounts=fee_amounts or {},
        reason=fee_reason,
        applies=fee_applies or {},
    )
    return dossier


@transaction.atomic
def reject_dossier(*, dossier, actor, reason):
    """ "Từ chối": always with the reason the citizen is told. The dossier keeps no
    appointment (``ENDED_WITHOUT_RESULT``): no result is owed any more."""
    check_official(actor, dossier)
    require(reason.strip(), _("Vui lòng ghi rõ lý do từ chối."))
    dossier = transition(
        dossier, "reject", actor=actor, note=reason.strip(), completed_at=timezone.now()
    )
    refund_payments(
        dossier, actor=actor, reason=_("Hồ sơ bị từ chối: %(reason)s") % {"reason": reason.strip()}
    )
    return dossier


@transaction.atomic
def start_processing(*, dossier, actor, assignee, note=""):
    """Hand the received dossier to one official of the agency."""
    check_official(actor, dossier)
    require(
        officials_of(dossier.agency).filter(pk=assignee.pk).exists(),
        _("Cán bộ được phân công phải thuộc cơ quan tiếp nhận hồ sơ."),
    )
    dossier = transition(dossier, "start_processing", actor=actor, note=note, assigned_to=assignee)
    DossierEvent.objects.create(
        dossier=dossier,
        actor=actor,
        kind=EventKind.ASSIGNED,
        message=assignee.full_name or assignee.email,
    )
    return dossier


@transaction.atomic
def resume_processing(*, dossier, actor, note=""):
    check_official(actor, dossier)
    return transition(dossier, "resume_processing", actor=actor, note=note)


@transaction.atomic
def mark_result_ready(*, dossier, actor, result, note="", tracking_number=""):
    """ "Có kết quả", with the result document (``result``: a CleanedUpload) kept in
    private storage with its SHA-256. A result going by post needs the tracking number,
    which the citizen then sees."""
    check_official(actor, dossier)
    tracking_number = tracking_number.strip()
    require(result is not None, _("Vui lòng đính kèm tệp kết quả giải quyết."))
    require(
        tracking_number or dossier.result_delivery != ResultDelivery.POSTAL,
        _("Người nộp nhận kết quả qua bưu điện: vui lòng ghi mã bưu gửi."),
    )
    dossier = transition(dossier, "mark_result_ready", actor=actor, note=note)
    record = DossierResult(
        dossier=dossier,
        original_name=result.name,
        content_type=result.content_type,
        size=result.size,
        sha256=_sha256(result.content),
        uploaded_by=actor,
        tracking_number=tracking_number,
    )
    # Written before its row: if the row cannot be saved the file is removed here, and
    # if the transaction rolls back later, purge_drafts sweeps it as a stray file.
    record.file.save(result.name, result.content, save=False)
    try:
        record._history_user = actor
        record.save()
    except Exception:
        record.file.storage.delete(record.file.name)
        raise
    if tracking_number:
        DossierEvent.objects.create(
            dossier=dossier,
            actor=actor,
            kind=EventKind.RESULT_POSTED,
            message=_("Mã bưu gửi: %(number)s") % {"number": tracking_number},
        )
    return dossier


def _sha256(content):
    digest = hashlib.sha256()
    content.seek(0)
    for chunk in iter(lambda: content.read(64 * 1024), b""):
        digest.update(chunk)
    content.seek(0)
    return digest.hexdigest()


@transaction.atomic
def complete_dossier(*, dossier, actor, handover, note=""):
    """ "Trả kết quả": how the result was handed over (``handover``: a ResultDelivery),
    recorded on the result, with the details in ``note``."""
    check_official(actor, dossier)
    require(
        handover in ResultDelivery.values,
        _("Vui lòng chọn hình thức đã trả kết quả."),
    )
    require(
        handover != ResultDelivery.ONLINE or dossier.result_delivery == ResultDelivery.ONLINE,
        _("Người nộp không đăng ký nhận kết quả trực tuyến."),
    )
    now = timezone.now()
    label = ResultDelivery(handover).label
    dossier = transition(
        dossier,
        "complete",
        actor=actor,
        note=f"{label}. {note.strip()}" if note.strip() else str(label),
        completed_at=now,
    )
    result = DossierResult.objects.filter(dossier=dossier).first()
    if result is not None:
        result.handed_over_via = handover
        result.handed_over_at = now
        result._history_user = actor
        result.save()
    return dossier


@transaction.atomic
def withdraw_dossier(*, dossier, actor, reason=""):
    """The citizen takes back a dossier the agency has not received yet. Repeating the
    withdrawal changes nothing."""
    check_owner(actor, dossier)
    if Dossier.objects.filter(pk=dossier.pk, status=DossierStatus.WITHDRAWN).exists():
        return dossier
    dossier = transition(
        dossier, "withdraw", actor=actor, note=reason, completed_at=timezone.now()
    )
    refund_payments(dossier, actor=actor, reason=_("Người nộp rút hồ sơ"))
    return dossier
