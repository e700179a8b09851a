"""A dossier handed in on paper at the counter ("Tiếp nhận hồ sơ trực tiếp"): the official
registers and receives it in one step, with a code and a lookup key like an online one."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core.queueing import enqueue_on_commit

from ..constants import Channel, DossierStatus
from ..finance.services import copy_fee_schedule
from ..models import (
    Dossier,
)
from ..submission.codes import allocate_dossier_code, new_lookup_key
from ..submission.snapshot import procedure_snapshot
from ..tasks import notify_applicant
from .workflow import (
    check_official,
    deadline_from,
    require,
)


@transaction.atomic
def register_counter_dossier(*, actor, procedure, agency, applicant_data, note="", key=None):
    """A dossier handed in at the agency's counter (bộ phận một cửa): received at once,
    with a code and lookup key like an online one, so the applicant follows it through
    the public lookup; it needs no account.

    ``key`` is the form's one-time key, kept as the dossier's submission key: a double
    click registers one dossier, not two.
    """
    check_official(actor, Dossier(agency=agency))
    if key is not None:
        existing = Dossier.objects.filter(submission_key=key, agency=agency).first()
        if existing is not None:
            return existing
    require(applicant_data.get("full_name"), _("Vui lòng nhập họ tên người nộp."))
    # As in the wizard, only an agency carrying out the procedure receives it (an
    # official of several agencies, or a superuser, is offered all of theirs).
    require(
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
