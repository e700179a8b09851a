"""Absolute links to a dossier, for e-mails and paper: they point at the portal's
public address (WAGTAILADMIN_BASE_URL), whichever server or command sends them."""

from django.conf import settings
from django.urls import reverse


def absolute_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def lookup_path(dossier):
    """The public lookup, filled in: what the QR code on the acknowledgement opens."""
    return f"{reverse('dossiers:lookup')}?code={dossier.code}&key={dossier.lookup_key}"


def dossier_links(dossier):
    """``(detail_url, lookup_url)``: "Hồ sơ cá nhân" for the owner, the lookup for anyone
    holding the key (an offline dossier's applicant may have no account)."""
    return (
        absolute_url(reverse("dossiers:detail", args=[dossier.code])),
        absolute_url(lookup_path(dossier)),
    )
