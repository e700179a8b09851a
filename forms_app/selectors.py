"""Reads of dossiers that need care: who may see what."""

import hmac

from django.db.models import F
from django.shortcuts import get_object_or_404

from .constants import DossierStatus
from .models import Dossier, DossierFile


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


def timeline(dossier):
    """The dossier's history, oldest first: what changed, when, and why."""
    entries = []
    previous = None
    for record in dossier.history.order_by("history_date", "history_id"):
        if previous is None or record.status != previous:
            entries.append(
                {
                    "date": record.history_date,
                    "status": DossierStatus(record.status).label,
                    "note": record.history_change_reason or "",
                }
            )
        previous = record.status
    return entries
