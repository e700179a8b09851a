"""E-mails to citizens about their dossiers.

Sent by background tasks (``forms_app.tasks``) once the change has committed: a mail
server that is down or refuses the message is logged and reported as ``False``, never
raised, since the dossier is already saved and the citizen can still follow it under
"Hồ sơ cá nhân".
Either way the dossier's timeline records it (a ``DossierEvent``), so an official can see
whether the citizen was told.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from core.formatting import format_vnd

from .constants import DossierStatus, EventKind
from .documents.acknowledgement import acknowledgement_pdf
from .documents.letters import apology_letter_pdf
from .finance.summary import fee_statement
from .models import DossierEvent

logger = logging.getLogger(__name__)


class NoAddress(Exception):
    """Neither the dossier nor an account gives an e-mail address (a dossier received
    at the counter may have neither). Its name is what the timeline shows."""


# The statuses a citizen is mailed about, and the templates other than a status.
STATUS_TEMPLATES = frozenset(
    {
        # Back to "Chờ tiếp nhận" after a supplement asked at the reception check (the
        # first submission is acknowledged by send_acknowledgement instead).
        DossierStatus.SUBMITTED,
        DossierStatus.RECEIVED,
        DossierStatus.PROCESSING,
        DossierStatus.SUPPLEMENT_REQUESTED,
        DossierStatus.SUPPLEMENTED,
        DossierStatus.RESULT_READY,
        DossierStatus.COMPLETED,
        DossierStatus.REJECTED,
        DossierStatus.WITHDRAWN,
        "deadline_extended",
        "payment_completed",
    }
)


def _context(dossier, *, lookup_url, detail_url):
    """What every e-mail about a dossier can say. The links are absolute: a mail is
    read outside the site."""
    return {
        "code": dossier.code,
        "lookup_key": dossier.lookup_key,
        "full_name": dossier.applicant_data.get("full_name", ""),
        "procedure_title": dossier.as_submitted.procedure_title,
        "agency_name": dossier.as_submitted.agency_name,
        "submitted_at": dossier.submitted_at,
        "lookup_url": lookup_url,
        "detail_url": detail_url,
        "PORTAL_NAME": settings.PORTAL_NAME,
    }


def _send(dossier, template, context, *, html=False, attachments=tuple):
    """Render ``<template>_subject.txt`` and ``<template>_message.txt`` (and ``.html``
    when ``html``) and mail them to the applicant, recording the outcome on the dossier.

    ``attachments`` returns the ``(filename, content, mimetype)`` to attach; it is called
    inside the guard, so a letter that cannot be made is logged like a mail server that
    is down. The address given in the dossier is preferred to the account's, as the one
    the citizen chose for it. Returns True when the message was handed to the server.
    """
    subject = ""
    try:
        # A header must be one line, whatever the template's whitespace.
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        address = dossier.applicant_data.get("email") or (
            dossier.applicant.email if dossier.applicant_id else ""
        )
        if not address:
            raise NoAddress
        message = EmailMultiAlternatives(
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
            body=render_to_string(f"{template}_message.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
        )
        if html:
            message.attach_alternative(
                render_to_string(f"{template}_message.html", context), "text/html"
            )
        for filename, content, mimetype in attachments():
            message.attach(filename, content, mimetype)
        message.send(fail_silently=False)
    except Exception as error:
        if isinstance(error, NoAddress):
            logger.warning("Dossier %s has no e-mail address for %s", dossier.code, template)
        else:
            logger.exception("Could not send %s about dossier %s", template, dossier.code)
        DossierEvent.objects.create(
            dossier=dossier,
            kind=EventKind.EMAIL_FAILED,
            message=f"{subject or template}: {type(error).__name__}",
        )
        return False
    DossierEvent.objects.create(dossier=dossier, kind=EventKind.EMAIL_SENT, message=subject)
    return True


def send_acknowledgement(dossier, *, lookup_url, detail_url) -> bool:
    """Mail the applicant that their dossier was received, with the acknowledgement PDF.

    ``lookup_url`` (the public lookup, filled in) and ``detail_url`` (the dossier under
    "Hồ sơ cá nhân") are absolute. Returns True when the message was handed to the mail
    server.
    """
    statement = fee_statement(dossier)
    context = _context(dossier, lookup_url=lookup_url, detail_url=detail_url) | {
        # The schedule, and its total only when it has one (see forms_app.finance.summary).
        "fee_lines": statement.lines,
        "fee_total": statement.total,
        "fee_total_display": format_vnd(statement.total) if statement.total is not None else "",
    }
    return _send(
        dossier,
        "forms_app/email/acknowledgement",
        context,
        html=True,
        attachments=lambda: [
            (
                f"phieu-xac-nhan-{dossier.code}.pdf",
                acknowledgement_pdf(dossier, lookup_url),
                "application/pdf",
            )
        ],
    )


def send_status_email(
    dossier,
    *,
    detail_url,
    lookup_url,
    supplement=None,
    apology=None,
    template=None,
    note="",
    payment=None,
) -> bool:
    """Mail the applicant what changed in their dossier and what they should do now.

    The e-mail is that of the dossier's status, or ``template`` ("deadline_extended"
    when the appointment was moved, with ``apology``: the missed and the new appointment,
    ``(previous_due, new_due)``, which the attached apology letter prints with ``note`` as
    its reason; it is built inside the guard, so a letter that cannot be made is recorded
    like a mail server that is down). ``supplement`` is the request a
    "supplement_requested" e-mail lists (by default the dossier's latest); ``note`` is
    the reason of a rejection, a withdrawal or an extension; ``payment`` the payment a
    "payment_completed" e-mail confirms. Returns True when the message was handed to
    the mail server.
    """
    name = template or dossier.status
    if name not in STATUS_TEMPLATES:
        raise ValueError(f"No e-mail is sent for {name!r}.")
    # The status the e-mail reports: the one its change led to, even when the dossier
    # has moved on before a worker sends it.
    status = DossierStatus(name) if name in DossierStatus.values else dossier.status
    if supplement is None and name == DossierStatus.SUPPLEMENT_REQUESTED:
        supplement = dossier.supplement_requests.order_by("requested_at", "pk").last()
    context = _context(dossier, lookup_url=lookup_url, detail_url=detail_url) | {
        "status": status,
        "status_display": DossierStatus(status).label,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "completed_at": dossier.completed_at,
        "result_delivery": dossier.result_delivery,
        "result_delivery_display": dossier.get_result_delivery_display(),
        "delivery_address": dossier.delivery_address,
        "supplement": supplement,
        "supplement_items": list(supplement.items.all()) if supplement else [],
        "note": note,
        "has_attachment": apology is not None,
        "payment": payment,
        "amount_display": format_vnd(payment.amount) if payment else "",
    }
    return _send(
        dossier,
        f"forms_app/email/status/{name}",
        context,
        attachments=lambda: [_apology_letter(dossier, apology, note)] if apology else [],
    )


def _apology_letter(dossier, apology, reason):
    previous_due, new_due = apology
    return (
        f"phieu-xin-loi-{dossier.code}.pdf",
        apology_letter_pdf(dossier, previous_due=previous_due, new_due=new_due, reason=reason),
        "application/pdf",
    )
