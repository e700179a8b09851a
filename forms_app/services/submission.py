"""The citizen's side of online submission: drafts, their files, and "Gửi đi"."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.queueing import enqueue_on_commit

from ..constants import DossierStatus
from ..finance.services import copy_fee_schedule
from ..models import Dossier, DossierFile, DossierResult
from ..selectors import missing_components
from ..submission.codes import allocate_dossier_code, new_lookup_key
from ..submission.snapshot import procedure_snapshot
from ..tasks import acknowledge_dossier

logger = logging.getLogger(__name__)


def save_draft_state(*, draft, state):
    """Keep the wizard's progress in the database (one draft per citizen and procedure).

    A draft is created by its first saved step, not by a visit. Drafts have no history
    rows of their own: the dossier's history starts when it is submitted. The update is
    conditional on the row still being a draft, so a late write from another tab never
    touches a dossier that has meanwhile been submitted.
    """
    if draft.pk is None:
        try:
            with transaction.atomic():
                draft.wizard_state = state
                draft.save_without_historical_record()
        except IntegrityError:
            # Another tab created it a moment ago: continue that one.
            existing = Dossier.objects.get(
                applicant=draft.applicant, procedure=draft.procedure, status=DossierStatus.DRAFT
            )
            draft.pk, draft.submission_key = existing.pk, existing.submission_key
            draft.created_at = existing.created_at
    Dossier.objects.filter(pk=draft.pk, status=DossierStatus.DRAFT).update(
        wizard_state=state, updated_at=timezone.now()
    )
    draft.wizard_state = state
    return draft


@transaction.atomic
def attach_files(*, draft, uploads):
    """Store cleaned uploads (``(component, CleanedUpload)`` pairs) on a draft."""
    Dossier.objects.select_for_update().get(pk=draft.pk, status=DossierStatus.DRAFT)
    store_files(
        draft,
        [(component.pk, component.name, upload) for component, upload in uploads],
        reason=_("Đính kèm tệp"),
    )


def store_files(dossier, files, *, reason, supplement=None):
    """Write ``(component id, component name, CleanedUpload)`` files of a dossier to
    private storage under server-made names, with their rows. If anything fails, the
    files already written are removed, so a failed step leaves nothing behind."""
    stored = []
    try:
        for component_id, component_name, upload in files:
            attachment = DossierFile(
                dossier=dossier,
                component_id=component_id,
                component_name=component_name,
                original_name=upload.name,
                content_type=upload.content_type,
                size=upload.size,
                supplement=supplement,
            )
            attachment.file.save(upload.name, upload.content, save=False)
            stored.append(attachment.file.name)
            attachment._change_reason = reason
            attachment.save()
    except Exception:
        for name in stored:
            DossierFile.file.field.storage.delete(name)
        raise


@transaction.atomic
def remove_draft_file(*, draft, file_id):
    """Remove one file from a draft; the stored bytes go once the removal commits."""
    attachment = DossierFile.objects.select_for_update().get(
        pk=file_id, dossier=draft, dossier__status=DossierStatus.DRAFT
    )
    name = attachment.file.name
    attachment._change_reason = _("Xóa tệp khỏi bản nháp")
    attachment.delete()
    transaction.on_commit(lambda: DossierFile.file.field.storage.delete(name))


@transaction.atomic
def submit_dossier(
    *, draft, agency, applicant_data, form_data, result_delivery, delivery_address, actor
):
    """ "Gửi đi": the draft becomes a submitted dossier with its code, lookup key and
    snapshot, in one transaction.

    Idempotent: the draft row is locked and re-read, and a dossier that is no longer a
    draft is returned as it is — however many times the final step arrives, there is
    one dossier. Returns ``(dossier, created)``.
    """
    dossier = Dossier.objects.select_for_update().get(pk=draft.pk)
    if dossier.status != DossierStatus.DRAFT:
        return dossier, False
    procedure = dossier.procedure
    missing = missing_components(dossier, procedure)
    if missing:
        raise ValidationError(
            _("Hồ sơ còn thiếu thành phần bắt buộc: %(names)s.") % {"names": ", ".join(missing)}
        )
    now = timezone.now()
    dossier.agency = agency
    dossier.applicant_data = applicant_data
    dossier.form_data = form_data
    dossier.result_delivery = result_delivery
    dossier.delivery_address = delivery_address
    dossier.snapshot = procedure_snapshot(procedure, agency)
    dossier.code = allocate_dossier_code(agency.code, timezone.localdate(now))
    dossier.lookup_key = new_lookup_key()
    dossier.status = DossierStatus.SUBMITTED
    dossier.submitted_at = now
    dossier.wizard_state = {}
    dossier.full_clean(exclude=["procedure", "agency", "applicant"])
    dossier._history_user = actor
    dossier._change_reason = _("Nộp hồ sơ trực tuyến")
    dossier.save()
    copy_fee_schedule(dossier, actor=actor)
    enqueue_on_commit(acknowledge_dossier, dossier.pk)
    return dossier, True


def purge_drafts(*, max_age_days):
    """Remove drafts untouched for ``max_age_days`` with their files, and stored files
    no row refers to (left by a crash between writing a file and committing its row)
    that are as old. Returns ``(drafts, files)`` counts."""
    cutoff = timezone.now() - datetime.timedelta(days=max_age_days)
    storage = DossierFile.file.field.storage
    drafts = Dossier.objects.filter(status=DossierStatus.DRAFT, updated_at__lt=cutoff)
    names = list(DossierFile.objects.filter(dossier__in=drafts).values_list("file", flat=True))
    with transaction.atomic():
        DossierFile.objects.filter(dossier__in=drafts).delete()
        draft_count = drafts.delete()[1].get(Dossier._meta.label, 0)
    for name in names:
        storage.delete(name)
    return draft_count, len(names) + _purge_orphans(storage, cutoff)


def _purge_orphans(storage, cutoff):
    """Stored citizens' files and results that no row refers to, older than ``cutoff``."""
    removed = 0
    for root, model in (("dossiers", DossierFile), ("results", DossierResult)):
        # listdir, not exists(): an S3 bucket has no folder objects to find.
        try:
            folders = storage.listdir(root)[0]
        except FileNotFoundError:
            continue
        known = set(model.objects.values_list("file", flat=True))
        for folder in folders:
            for filename in storage.listdir(f"{root}/{folder}")[1]:
                name = f"{root}/{folder}/{filename}"
                if name not in known and storage.get_modified_time(name) < cutoff:
                    storage.delete(name)
                    removed += 1
    return removed
