"""Work that follows a request rather than holding it up (django-tasks): the e-mails
that tell a citizen what happened to their dossier.

With ``TASK_BACKEND=database`` (production) these run in ``manage.py db_worker``; with
``immediate`` (development, tests) in the request that queued them, after its commit.
Services queue them with ``core.queueing.enqueue_on_commit``. Arguments are ids and plain
values: a task is stored as JSON and may run on another server, later.
"""

import datetime

from django_tasks import task

from .links import dossier_links
from .models import Dossier
from .notifications import send_acknowledgement, send_status_email


def _dossier(dossier_id):
    """The dossier, or None when it was deleted before the worker came to it."""
    return (
        Dossier.objects.select_related("procedure", "agency", "applicant")
        .filter(pk=dossier_id)
        .first()
    )


@task()
def acknowledge_dossier(dossier_id):
    """Mail the applicant the acknowledgement of a submitted dossier, with its PDF.

    Building the PDF (QR code, fonts) is most of the cost of a submission, which is why
    it is a task. A dossier deleted meanwhile is skipped.
    """
    dossier = _dossier(dossier_id)
    if dossier is None:
        return False
    detail_url, lookup_url = dossier_links(dossier)
    return send_acknowledgement(dossier, lookup_url=lookup_url, detail_url=detail_url)


@task()
def notify_applicant(
    dossier_id, template, *, note="", supplement_id=None, payment_id=None, apology=None
):
    """Mail the applicant the change an official (or a payment) made to their dossier.

    ``template`` is the status the change led to, or "deadline_extended" /
    "payment_completed", fixed when the change was made: by the time a worker sends it
    the dossier may have moved on, and the e-mail must still report this change.
    ``apology`` (the missed and the new appointment, ISO dates) makes a
    "deadline_extended" e-mail carry the apology letter, built here rather than in the
    official's request.
    """
    dossier = _dossier(dossier_id)
    if dossier is None:
        return False
    detail_url, lookup_url = dossier_links(dossier)
    return send_status_email(
        dossier,
        detail_url=detail_url,
        lookup_url=lookup_url,
        template=template,
        note=note,
        supplement=dossier.supplement_requests.filter(pk=supplement_id).first()
        if supplement_id
        else None,
        payment=dossier.payments.filter(pk=payment_id).first() if payment_id else None,
        apology=[datetime.date.fromisoformat(day) for day in apology] if apology else None,
    )
