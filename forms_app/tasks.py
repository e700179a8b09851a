"""Work that follows a request rather than holding it up (django-tasks): the e-mails
that tell a citizen what happened to their dossier.

With ``TASK_BACKEND=database`` (production) these run in ``manage.py db_worker``; with
``immediate`` (development, tests) in the request that queued them, after its commit.
Services queue them with ``portal.tasks.enqueue_on_commit``. Arguments are ids and plain
values: a task is stored as JSON and may run on another server, later.
"""

import datetime

from django_tasks import task

from payments.models import Payment

from .letters import apology_letter_pdf
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
    dossier_id, template, *, note="", supplement_id=None, payment_id=None, extension=None
):
    """Mail the applicant the change an official (or a payment) made to their dossier.

    ``template`` is the status the change led to, or "deadline_extended" /
    "payment_completed", fixed when the change was made: by the time a worker sends it
    the dossier may have moved on, and the e-mail must still report this change.
    ``extension`` (``previous_due``, ``new_due`` as ISO dates, ``reason``) is what the
    apology letter attached to a "deadline_extended" e-mail prints; the letter is built
    here rather than in the official's request.
    """
    dossier = _dossier(dossier_id)
    if dossier is None:
        return False
    attachment = None
    if extension is not None:
        letter = apology_letter_pdf(
            dossier,
            previous_due=datetime.date.fromisoformat(extension["previous_due"]),
            new_due=datetime.date.fromisoformat(extension["new_due"]),
            reason=extension["reason"],
        )
        attachment = (f"phieu-xin-loi-{dossier.code}.pdf", letter, "application/pdf")
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
        payment=Payment.objects.filter(pk=payment_id).first() if payment_id else None,
        attachment=attachment,
    )
