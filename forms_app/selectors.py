"""Reads of dossiers that need care: who may see what."""

import hmac

from django.core.exceptions import ValidationError
from django.db.models import F, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from accounts.models import User
from core.formatting import format_date
from payments.constants import PaymentStatus
from payments.models import Payment
from procedures.constants import AgencyLevel, ServiceLevel
from procedures.models import AgencyPage
from procedures.selectors import live_procedures

from .constants import DossierStatus, EventKind, ResultDelivery
from .models import Dossier, DossierFile, DossierResult, OfficialGroup


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


def masked_name(full_name):
    """ "Nguyễn Văn An" → "Nguyễn V** A*": enough to recognise one's own dossier, not
    enough to learn whose it is."""
    words = (full_name or "").split()
    if not words:
        return ""
    return " ".join([words[0], *(word[0] + "*" * (len(word) - 1) for word in words[1:])])


def applicant_name(dossier):
    """Who the dossier is for: as declared, else the account's name (a counter dossier
    may have no account)."""
    declared = dossier.applicant_data.get("full_name")
    return declared or (dossier.applicant.full_name if dossier.applicant_id else "")


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


# The notes a citizen reads on their own timeline: what they must know (why it was
# rejected, what to supplement, how the result was handed over). Officials' notes on
# receiving, assigning or resuming are internal.
CITIZEN_NOTES = {
    DossierStatus.SUBMITTED,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.SUPPLEMENTED,
    DossierStatus.REJECTED,
    DossierStatus.COMPLETED,
    DossierStatus.WITHDRAWN,
}
INTERNAL_EVENTS = {EventKind.ASSIGNED}


def timeline(dossier, *, for_citizen=False):
    """What happened to the dossier, oldest first: each status change from its history
    (who, when, why) and the events kept beside it (e-mails sent or failed, deadline
    extensions, assignments). ``for_citizen`` leaves out internal notes and events."""
    entries = []
    previous = None
    records = dossier.history.select_related("history_user").order_by("history_date", "history_id")
    for record in records:
        if record.status != previous and record.status != DossierStatus.DRAFT:
            note = record.history_change_reason or ""
            entries.append(
                {
                    "date": record.history_date,
                    "status": DossierStatus(record.status).label,
                    "note": "" if for_citizen and record.status not in CITIZEN_NOTES else note,
                    "actor": "" if for_citizen else _actor_name(record.history_user),
                }
            )
        previous = record.status
    for event in dossier.events.select_related("actor"):
        if for_citizen and event.kind in INTERNAL_EVENTS:
            continue
        hidden = for_citizen and event.kind == EventKind.EMAIL_FAILED  # an error's name
        entries.append(
            {
                "date": event.created_at,
                "status": event.get_kind_display(),
                "note": "" if hidden else event.message,
                "actor": "" if for_citizen else _actor_name(event.actor),
            }
        )
    return sorted(entries, key=lambda entry: entry["date"])


def _actor_name(user):
    return (user.full_name or user.email) if user else ""


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


def form_data_rows(dossier):
    """The procedure's own answers, in the form's order, with the labels they were
    submitted under and as a person reads them ("Có", "a, b", "20/11/2026", not True, a
    list or the ISO date the dossier keeps)."""
    fields = dossier.snapshot.get("form_fields", [])
    labels = {field["name"]: field["label"] for field in fields}
    types = {field["name"]: field.get("field_type", "") for field in fields}
    order = [field["name"] for field in fields]
    names = order + [name for name in dossier.form_data if name not in labels]
    return [
        (labels.get(name, name), readable(dossier.form_data[name], types.get(name, "")))
        for name in names
        if name in dossier.form_data
    ]


def readable(value, field_type=""):
    if value is True:
        return gettext("Có")
    if value is False:
        return gettext("Không")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if field_type == "date":
        return format_date(value)
    return "" if value is None else str(value)


def files_by_component(dossier):
    """The dossier's files under their components, in the procedure's order as it was
    submitted (a file whose component has since gone is still listed, last)."""
    groups = {
        component["id"]: (component["name"], [])
        for component in dossier.snapshot.get("components", [])
    }
    for attachment in dossier.files.all():
        groups.setdefault(attachment.component_id, (attachment.component_name, []))[1].append(
            attachment
        )
    return [group for group in groups.values() if group[1]]


# Officials ------------------------------------------------------------------------------
def agency_ids_of_official(user):
    """The agencies whose dossiers ``user`` handles: those linked to one of their
    groups, with the communes of a district whose link includes them."""
    ids = set()
    links = OfficialGroup.objects.filter(group__user=user).select_related("agency")
    for link in links:
        ids.add(link.agency_id)
        if link.include_subordinates:
            ids.update(AgencyPage.objects.descendant_of(link.agency).values_list("pk", flat=True))
    return ids


def official_agency_ids(user):
    """``selectors.agency_ids_of_official(user)``, read once per request user: a listing
    asks for every row (its buttons, its permission checks) and the menu asks again, and
    the answer does not change meanwhile."""
    ids = getattr(user, "_official_agency_ids", None)
    if ids is None:
        ids = frozenset(agency_ids_of_official(user)) if user.is_authenticated else frozenset()
        user._official_agency_ids = ids
    return ids


def may_see(user, agency_id):
    """Whether a row of ``agency_id`` is ``user``'s to see, without a query."""
    return user.is_superuser or agency_id in official_agency_ids(user)


def dossiers_for_official(user):
    """Submitted dossiers an official may see: their agencies' (all for a superuser).
    Every admin view of a dossier starts from here, not only the listing."""
    dossiers = Dossier.objects.exclude(status=DossierStatus.DRAFT).select_related(
        "procedure", "agency", "applicant", "assigned_to"
    )
    if user.is_superuser:
        return dossiers
    return dossiers.filter(agency_id__in=agency_ids_of_official(user))


def official_dossier(user, pk):
    """One dossier of the official's agencies, or 404 (never 403: no hint it exists)."""
    return get_object_or_404(dossiers_for_official(user), pk=pk)


def official_dossier_by_key(user, key):
    """The official's dossier registered with this one-time form key, or 404."""
    return get_object_or_404(dossiers_for_official(user), submission_key=key)


def is_official_of(user, agency):
    return bool(
        user
        and user.is_authenticated
        and (user.is_superuser or agency.pk in agency_ids_of_official(user))
    )


def officials_of(agency):
    """Active staff who handle ``agency``'s dossiers (also through a district link that
    includes its communes)."""
    ancestors = AgencyPage.objects.ancestor_of(agency, inclusive=True)
    links = OfficialGroup.objects.filter(agency=agency) | OfficialGroup.objects.filter(
        agency__in=ancestors, include_subordinates=True
    )
    return User.objects.filter(
        is_active=True, is_staff=True, groups__in=links.values("group")
    ).distinct()
