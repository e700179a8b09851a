"""Sending the citizen to the bank's page for a dossier's fee: from the dossier page
("Thanh toán trực tuyến") and from the wizard's last step when the procedure collects
its fee with the submission."""

from django.urls import reverse

from . import services


def start_payment(request, dossier):
    """Start (or continue, from another tab) paying the dossier's outstanding fee and
    return the bank page's URL. ValidationError, said to the citizen, when the level
    rules do not allow paying now."""
    _payment, url = services.start_dossier_payment(
        dossier=dossier,
        actor=request.user,
        client_ip=request.META.get("REMOTE_ADDR", ""),
        return_url=request.build_absolute_uri(reverse("payments:return")),
    )
    return url
