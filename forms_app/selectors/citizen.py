"""What a citizen reads of their own dossiers and drafts, and the public lookup: every
read filters by the requesting user (anyone else gets a 404)."""

import hmac

from django.core.exceptions import ValidationError
from django.db.models import F, Sum
from django.shortcuts import get_object_or_404

from payments.constants import PaymentStatus
from payments.models import Payment
from procedures.constants import AgencyLevel, ServiceLevel
from procedures.models import AgencyPage
from procedures.selectors import live_procedures

from ..constants import DossierStatus, ResultDelivery
from ..models import Dossier, DossierFile, DossierResult


def lookup_dossier(code, key):
    """The submitted dossier with this code and lookup key, or None.

    A wrong key and an unknown code give the same None, and the key is compared in
    constant time, so the public lookup tells nothing about which codes exist.
    """
    dossier = (
        Dossier.objects.exclude(status=DossierStatus.DRAFT)
        .select_related("procedure", "agency", "applicant")
        .filter(code=(code or "").strip().upper())
        .first()
    )
    expected = dossier.lookup_key if dossier and dossier.lookup_key else "-" * len(key or "x")
    matches = hmac.compare_digest(expected.encode(), (key or "").strip().upper().encode())
    return dossier if dossier is not None and matches else None


def dossiers_of(user):
    """A citizen's own dossiers and drafts, newest first, ready for the list page: the
    same number of queries for 5 dossiers or 500."""
    return (
        Dossier.objects.filter(applicant=user)
        .select_related("procedure", "agency")
        .order_by(F("submitted_at").desc(nulls_first=True), "-created_at")
    )


def submitted_dossier_of(user, code):
    """The user's submitted dossier with ``code``; anybody else's is a 404, never a 403."""
    return get_object_or_404(
        dossiers_of(user).exclude(status=DossierStatus.DRAFT).prefetch_related("files"),
        code=code,
    )


def dossier_file_of(user, code, file_id):
    """A file of the user's own dossier, or 404."""
    return get_object_or_404(
        DossierFile.objects.select_related("dossier"),
        pk=file_id,
        dossier__code=code,
        dossier__applicant=user,
    )


def receipt_payment_of(user, code, reference):
    """A completed payment for the user's own dossier (its receipt), or 404."""
    return get_object_or_404(
        Payment.objects.select_related("dossier"),
        reference=reference,
        status=PaymentStatus.COMPLETED,
        dossier__code=code,
        dossier__applicant=user,
    )


def result_of(user, code):
    """The result of the user's own dossier when it is delivered online and ready, or
    404: a result collected at the counter or sent by post is not downloaded."""
    return get_object_or_404(
        DossierResult.objects.select_related("dossier"),
        dossier__code=code,
        dossier__applicant=user,
        dossier__result_delivery=ResultDelivery.ONLINE,
        dossier__status__in=(DossierStatus.RESULT_READY, DossierStatus.COMPLETED),
    )


def missing_components(draft, procedure):
    """Names of the procedure's required components that have no file on the draft."""
    attached = set(draft.files.values_list("component_id", flat=True))
    return [
        component.name
        for component in procedure.dossier_components.all()
        if component.required and component.pk not in attached
    ]


def dossier_total_size(draft):
    """Bytes already attached to a draft, for the per-dossier limit."""
    return draft.files.aggregate(total=Sum("size"))["total"] or 0


def submittable_procedures():
    """Live procedures that accept online submission (service level 3 or 4)."""
    return live_procedures().filter(level__gte=ServiceLevel.ONLINE)


def default_agency(procedure):
    """Where a dossier goes when the citizen is not asked: the one executing agency, or
    the agency the procedure is filed under."""
    return procedure.executing_agencies.live().order_by("title").first() or (
        procedure.get_parent().specific
    )


def draft_for(user, procedure):
    """The citizen's draft of this procedure, or a new unsaved one: a draft is written
    only when its first step is saved."""
    draft = Dossier.objects.filter(
        applicant=user, procedure=procedure, status=DossierStatus.DRAFT
    ).first()
    return draft or Dossier(applicant=user, procedure=procedure, agency=default_agency(procedure))


def submitted_by_key(user, key):
    """The user's dossier already submitted under this submission key, if any."""
    try:
        return (
            Dossier.objects.exclude(status=DossierStatus.DRAFT)
            .filter(applicant=user, submission_key=key)
            .first()
        )
    except ValidationError:  # not a UUID: nothing was submitted under it
        return None


def draft_file_of(user, procedure, file_id):
    """A file on the user's own draft of ``procedure``, or 404."""
    return get_object_or_404(
        DossierFile.objects.select_related("dossier"),
        pk=file_id,
        dossier__applicant=user,
        dossier__procedure=procedure,
        dossier__status=DossierStatus.DRAFT,
    )


def agencies_offering_online():
    """Agencies with at least one procedure open for online submission, provincial
    departments first, then districts, then communes."""
    order = {AgencyLevel.PROVINCE: 0, AgencyLevel.DISTRICT: 1, AgencyLevel.COMMUNE: 2}
    agencies = (
        AgencyPage.objects.live()
        .public()
        .filter(executed_procedures__in=submittable_procedures())
        .distinct()
    )
    return sorted(agencies, key=lambda agency: (order.get(agency.level, 3), agency.title))
