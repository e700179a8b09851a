"""E-mails to citizens about their dossiers.

Sent after the submission has committed (``transaction.on_commit``): a mail server that
is down or refuses the message is logged and reported as ``False``, never raised, since
the dossier is already saved and the citizen can still find it under "Hồ sơ cá nhân".
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .acknowledgement import acknowledgement_pdf

logger = logging.getLogger(__name__)


def send_acknowledgement(dossier, *, lookup_url, detail_url):
    """Mail the applicant that their dossier was received, with the acknowledgement PDF.

    ``lookup_url`` (the public lookup, filled in) and ``detail_url`` (the dossier under
    "Hồ sơ cá nhân") are absolute: a mail is read outside the site. The address given
    in the dossier is preferred to the account's, as the one the citizen chose for it.
    Returns True when the message was handed to the mail server.
    """
    snapshot = dossier.snapshot
    context = {
        "code": dossier.code,
        "lookup_key": dossier.lookup_key,
        "full_name": dossier.applicant_data.get("full_name", ""),
        "procedure_title": snapshot.get("procedure", {}).get("title", ""),
        "agency_name": snapshot.get("agency", {}).get("name", ""),
        "submitted_at": dossier.submitted_at,
        "lookup_url": lookup_url,
        "detail_url": detail_url,
        "PORTAL_NAME": settings.PORTAL_NAME,
    }
    try:
        subject = render_to_string("forms_app/email/acknowledgement_subject.txt", context)
        message = EmailMultiAlternatives(
            # A header must be one line, whatever the template's whitespace.
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
            body=render_to_string("forms_app/email/acknowledgement_message.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[dossier.applicant_data.get("email") or dossier.applicant.email],
        )
        message.attach_alternative(
            render_to_string("forms_app/email/acknowledgement_message.html", context),
            "text/html",
        )
        message.attach(
            f"phieu-xac-nhan-{dossier.code}.pdf",
            acknowledgement_pdf(dossier, lookup_url),
            "application/pdf",
        )
        message.send(fail_silently=False)
    except Exception:
        logger.exception("Could not send the acknowledgement of dossier %s", dossier.code)
        return False
    return True
