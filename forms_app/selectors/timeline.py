"""A dossier's timeline ("Quá trình xử lý"): every event for officials, and for the
citizen what they must know."""

from ..constants import DossierStatus, EventKind

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
