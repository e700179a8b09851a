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

from core.formatting import format_date
from core.queueing import enqueue_on_commit

from ..codes import allocate_dossier_code, new_lookup_key
from ..constants import ENDED_WITHOUT_RESULT, Channel, DossierStatus, EventKind, ResultDelivery
from ..finance.services import adjust_fees, copy_fee_schedule, refund_payments
from ..models import (
    Dossier,
    DossierEvent,
    DossierFile,
    DossierResult,
    SupplementItem,
    SupplementRequest,
)
from ..selectors import is_official_of, officials_of
from ..snapshot import procedure_snapshot
from ..tasks import notify_applicant
from ..working_days import close_of_office, due_at, is_working_day, working_days_between
from .submission import store_files

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


def _require(condition, message):
    if not condition:
        raise ValidationError(message)


def _check_official(actor, dossier):
    if not is_official_of(actor, dossier.agency):
        raise PermissionDenied


def _check_owner(actor, dossier):
    if dossier.applicant_id != actor.pk:
        raise PermissionDenied


def _lock(dossier, action):
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


def _transition(dossier, action, *, actor, note="", notify=True, **changes):
    """Lock, check, change, record; returns the dossier as saved. Must run inside the
    caller's transaction (every public function here is atomic)."""
    locked = _lock(dossier, action)
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
    return dossier.snapshot.get("procedure", {}).get(
        "processing_time_days", dossier.procedure.processing_time_days
    )


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
    _check_official(actor, dossier)
    now = timezone.now()
    dossier = _transition(
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
    _check_official(actor, dossier)
    _require(reason.strip(), _("Vui lòng ghi rõ lý do từ chối."))
    dossier = _transition(
        dossier, "reject", actor=actor, note=reason.strip(), completed_at=timezone.now()
    )
    refund_payments(
        dossier, actor=actor, reason=_("Hồ sơ bị từ chối: %(reason)s") % {"reason": reason.strip()}
    )
    return dossier


@transaction.atomic
def start_processing(*, dossier, actor, assignee, note=""):
    """Hand the received dossier to one official of the agency."""
    _check_official(actor, dossier)
    _require(
        officials_of(dossier.agency).filter(pk=assignee.pk).exists(),
        _("Cán bộ được phân công phải thuộc cơ quan tiếp nhận hồ sơ."),
    )
    dossier = _transition(
        dossier, "start_processing", actor=actor, note=note, assigned_to=assignee
    )
    DossierEvent.objects.create(
        dossier=dossier,
        actor=actor,
        kind=EventKind.ASSIGNED,
        message=assignee.full_name or assignee.email,
    )
    return dossier


@transaction.atomic
def request_supplement(*, dossier, actor, items, note, reply_by, confirm_repeat=False):
    """ "Yêu cầu bổ sung": the items to correct, each with its guidance.

    ``items`` are dicts with ``guidance`` and either ``component_id`` or ``field_name``
    of the dossier's own snapshot. Two moments, as the one-stop-shop rules have them
    (Nghị định 61/2018/NĐ-CP Điều 19 as amended by Nghị định 107/2021/NĐ-CP, with the
    "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", form 02 of Thông tư 01/2018/TT-VPCP;
    since 01/07/2025 Nghị định 118/2025/NĐ-CP and Thông tư 03/2025/TT-VPCP; the article
    could not be checked against the official texts, README "Working days"):

    - at the reception check (status submitted): the dossier is not received, no clock
      runs and none is kept; once supplemented it comes back for "Tiếp nhận";
    - while processing: the deadline clock stops, keeping the working days left.

    The citizen is guided once, completely, at each of these moments: a second request
    at the same moment needs ``confirm_repeat``.
    """
    _check_official(actor, dossier)
    # The moment is the one the dossier is in now, under the lock.
    dossier = _lock(dossier, "request_supplement")
    at_reception = dossier.status == DossierStatus.SUBMITTED
    _require(items, _("Vui lòng chọn ít nhất một nội dung cần bổ sung."))
    _require(reply_by >= timezone.localdate(), _("Hạn bổ sung không được ở quá khứ."))
    components = {c["id"]: c["name"] for c in dossier.snapshot.get("components", [])}
    fields = {f["name"]: f["label"] for f in dossier.snapshot.get("form_fields", [])}
    rows = []
    for item in items:
        guidance = (item.get("guidance") or "").strip()
        _require(guidance, _("Vui lòng ghi hướng dẫn cho từng nội dung cần bổ sung."))
        if item.get("component_id") in components:
            label = components[item["component_id"]]
            rows.append(
                SupplementItem(component_id=item["component_id"], label=label, guidance=guidance)
            )
        elif item.get("field_name") in fields:
            label = fields[item["field_name"]]
            rows.append(
                SupplementItem(field_name=item["field_name"], label=label, guidance=guidance)
            )
        else:
            raise ValidationError(_("Nội dung cần bổ sung không thuộc hồ sơ này."))
    _require(
        confirm_repeat
        or not dossier.supplement_requests.filter(at_reception=at_reception).exists(),
        _(
            "Hồ sơ này đã được yêu cầu bổ sung một lần. Theo quy định chỉ yêu cầu bổ sung "
            "một lần; hãy xác nhận nếu vẫn cần yêu cầu lần nữa."
        ),
    )
    today = timezone.localdate()
    left = (
        working_days_between(today, timezone.localdate(dossier.due_at)) if dossier.due_at else None
    )
    dossier = _transition(
        dossier,
        "request_supplement",
        actor=actor,
        note=note,
        notify=False,
        days_left_when_paused=left,
    )
    request = SupplementRequest.objects.create(
        dossier=dossier,
        requested_by=actor,
        note=note,
        reply_by=reply_by,
        at_reception=at_reception,
    )
    for row in rows:
        row.request = request
    SupplementItem.objects.bulk_create(rows)
    enqueue_on_commit(notify_applicant, dossier.pk, str(dossier.status), supplement_id=request.pk)
    return dossier


def open_supplement_request(dossier):
    """The request the citizen is answering now, if any."""
    return (
        dossier.supplement_requests.filter(answered_at__isnull=True)
        .order_by("-requested_at")
        .first()
    )


@transaction.atomic
def submit_supplement(*, dossier, actor, uploads, answers):
    """The citizen answers the request: new files for exactly the components asked
    (``uploads``: ``(component_id, CleanedUpload)`` pairs; the files they replace stay,
    marked replaced) and new answers for exactly the fields asked.

    A dossier asked at the reception check goes back to the official for "Tiếp nhận"
    (status submitted): its clock never ran and starts only then. Otherwise the clock
    resumes with the working days that were left, counted like a receipt: handed in
    after the agency's cut-off or on a day off, from the next working day."""
    _check_owner(actor, dossier)
    # Status first, under the lock: a dossier not waiting for a supplement is refused
    # like any other wrong-status action (not "no open request"), and a repeated
    # submission waits here instead of writing its files a second time.
    dossier = _lock(dossier, "submit_supplement")
    request = open_supplement_request(dossier)
    _require(request is not None, _("Hồ sơ không có yêu cầu bổ sung nào đang chờ."))
    items = list(request.items.all())
    asked_components = {item.component_id for item in items if item.component_id}
    asked_fields = {item.field_name for item in items if item.field_name}
    given = {component_id for component_id, _upload in uploads}
    _require(
        given <= asked_components and set(answers) <= asked_fields,
        _("Chỉ bổ sung những nội dung cơ quan yêu cầu."),
    )
    missing = [
        item.label for item in items if item.component_id and item.component_id not in given
    ]
    missing += [item.label for item in items if item.field_name and item.field_name not in answers]
    _require(
        not missing, _("Còn thiếu nội dung bổ sung: %(names)s.") % {"names": "; ".join(missing)}
    )
    now = timezone.now()
    names = {c["id"]: c["name"] for c in dossier.snapshot.get("components", [])}
    for replaced in DossierFile.objects.filter(
        dossier=dossier, component_id__in=given, replaced_at__isnull=True
    ):
        replaced.replaced_at = now
        replaced._change_reason = _("Thay thế khi bổ sung hồ sơ")
        replaced.save()
    store_files(
        dossier,
        [(component_id, names.get(component_id, ""), upload) for component_id, upload in uploads],
        supplement=request,
        reason=_("Bổ sung hồ sơ"),
    )
    request.answered_at = now
    request.save()
    changes = {"form_data": {**dossier.form_data, **answers}}
    if dossier.received_at is None:
        return _transition(dossier, "submit_supplement_before_receipt", actor=actor, **changes)
    if dossier.days_left_when_paused is not None:
        changes["due_at"] = deadline_from(now, dossier.days_left_when_paused, dossier.agency)
        changes["days_left_when_paused"] = None
    return _transition(dossier, "submit_supplement", actor=actor, **changes)


@transaction.atomic
def resume_processing(*, dossier, actor, note=""):
    _check_official(actor, dossier)
    return _transition(dossier, "resume_processing", actor=actor, note=note)


@transaction.atomic
def mark_result_ready(*, dossier, actor, result, note="", tracking_number=""):
    """ "Có kết quả", with the result document (``result``: a CleanedUpload) kept in
    private storage with its SHA-256. A result going by post needs the tracking number,
    which the citizen then sees."""
    _check_official(actor, dossier)
    tracking_number = tracking_number.strip()
    _require(result is not None, _("Vui lòng đính kèm tệp kết quả giải quyết."))
    _require(
        tracking_number or dossier.result_delivery != ResultDelivery.POSTAL,
        _("Người nộp nhận kết quả qua bưu điện: vui lòng ghi mã bưu gửi."),
    )
    dossier = _transition(dossier, "mark_result_ready", actor=actor, note=note)
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
    _check_official(actor, dossier)
    _require(
        handover in ResultDelivery.values,
        _("Vui lòng chọn hình thức đã trả kết quả."),
    )
    _require(
        handover != ResultDelivery.ONLINE or dossier.result_delivery == ResultDelivery.ONLINE,
        _("Người nộp không đăng ký nhận kết quả trực tuyến."),
    )
    now = timezone.now()
    label = ResultDelivery(handover).label
    dossier = _transition(
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
    _check_owner(actor, dossier)
    if Dossier.objects.filter(pk=dossier.pk, status=DossierStatus.WITHDRAWN).exists():
        return dossier
    dossier = _transition(
        dossier, "withdraw", actor=actor, note=reason, completed_at=timezone.now()
    )
    refund_payments(dossier, actor=actor, reason=_("Người nộp rút hồ sơ"))
    return dossier


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
    _check_official(actor, dossier)
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


@transaction.atomic
def register_counter_dossier(*, actor, procedure, agency, applicant_data, note="", key=None):
    """A dossier handed in at the agency's counter (bộ phận một cửa): received at once,
    with a code and lookup key like an online one, so the applicant follows it through
    the public lookup; it needs no account.

    ``key`` is the form's one-time key, kept as the dossier's submission key: a double
    click registers one dossier, not two.
    """
    _check_official(actor, Dossier(agency=agency))
    if key is not None:
        existing = Dossier.objects.filter(submission_key=key, agency=agency).first()
        if existing is not None:
            return existing
    _require(applicant_data.get("full_name"), _("Vui lòng nhập họ tên người nộp."))
    # As in the wizard, only an agency carrying out the procedure receives it (an
    # official of several agencies, or a superuser, is offered all of theirs).
    _require(
        procedure.executing_agencies.filter(pk=agency.pk).exists(),
        _("%(agency)s không thực hiện thủ tục “%(procedure)s”.")
        % {"agency": agency.title, "procedure": procedure.title},
    )
    now = timezone.now()
    dossier = Dossier(
        procedure=procedure,
        agency=agency,
        applicant=None,
        applicant_data=applicant_data,
        channel=Channel.COUNTER,
        status=DossierStatus.RECEIVED,
        code=allocate_dossier_code(agency.code, timezone.localdate(now)),
        lookup_key=new_lookup_key(),
        snapshot=procedure_snapshot(procedure, agency),
        submitted_at=now,
        received_at=now,
        due_at=deadline_from(now, procedure.processing_time_days, agency),
    )
    if key is not None:
        dossier.submission_key = key
    dossier._history_user = actor
    dossier._change_reason = note or _("Tiếp nhận trực tiếp tại bộ phận một cửa")
    dossier.save()
    copy_fee_schedule(dossier, actor=actor)
    log(instance=dossier, action="forms_app.dossier.register", user=actor, data={"note": note})
    if applicant_data.get("email"):
        enqueue_on_commit(notify_applicant, dossier.pk, str(dossier.status))
    return dossier
