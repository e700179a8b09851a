"""Asking a citizen to supplement a dossier, and the citizen's supplement: at the
reception check (before the clock starts) or while the dossier is processed, which
stops the clock until the supplement comes (workflow.py says how every action runs)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.queueing import enqueue_on_commit

from ..constants import DossierStatus
from ..models import (
    DossierFile,
    SupplementItem,
    SupplementRequest,
)
from ..tasks import notify_applicant
from ..working_days import working_days_between
from .submission import store_files
from .workflow import (
    check_official,
    check_owner,
    deadline_from,
    lock,
    require,
    transition,
)


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
    check_official(actor, dossier)
    # The moment is the one the dossier is in now, under the lock.
    dossier = lock(dossier, "request_supplement")
    at_reception = dossier.status == DossierStatus.SUBMITTED
    require(items, _("Vui lòng chọn ít nhất một nội dung cần bổ sung."))
    require(reply_by >= timezone.localdate(), _("Hạn bổ sung không được ở quá khứ."))
    components = dossier.as_submitted.component_names()
    fields = dossier.as_submitted.field_labels()
    rows = []
    for item in items:
        guidance = (item.get("guidance") or "").strip()
        require(guidance, _("Vui lòng ghi hướng dẫn cho từng nội dung cần bổ sung."))
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
    require(
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
    dossier = transition(
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
    check_owner(actor, dossier)
    # Status first, under the lock: a dossier not waiting for a supplement is refused
    # like any other wrong-status action (not "no open request"), and a repeated
    # submission waits here instead of writing its files a second time.
    dossier = lock(dossier, "submit_supplement")
    request = open_supplement_request(dossier)
    require(request is not None, _("Hồ sơ không có yêu cầu bổ sung nào đang chờ."))
    items = list(request.items.all())
    asked_components = {item.component_id for item in items if item.component_id}
    asked_fields = {item.field_name for item in items if item.field_name}
    given = {component_id for component_id, _upload in uploads}
    require(
        given <= asked_components and set(answers) <= asked_fields,
        _("Chỉ bổ sung những nội dung cơ quan yêu cầu."),
    )
    missing = [
        item.label for item in items if item.component_id and item.component_id not in given
    ]
    missing += [item.label for item in items if item.field_name and item.field_name not in answers]
    require(
        not missing, _("Còn thiếu nội dung bổ sung: %(names)s.") % {"names": "; ".join(missing)}
    )
    now = timezone.now()
    names = dossier.as_submitted.component_names()
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
        return transition(dossier, "submit_supplement_before_receipt", actor=actor, **changes)
    if dossier.days_left_when_paused is not None:
        changes["due_at"] = deadline_from(now, dossier.days_left_when_paused, dossier.agency)
        changes["days_left_when_paused"] = None
    return transition(dossier, "submit_supplement", actor=actor, **changes)
