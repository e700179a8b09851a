"""Citizen-facing dossier views.

Until the submission wizard lands, ``start`` tells the citizen how to submit this
procedure today instead of pretending to accept a dossier.
"""

from allauth.core import ratelimit
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from procedures.selectors import live_procedures

from .forms import LookupForm
from .selectors import lookup_dossier, masked_name


def start(request, page_id):
    procedure = get_object_or_404(live_procedures().select_related("field"), pk=page_id)
    return render(request, "forms_app/coming_soon.html", {"procedure": procedure})


@never_cache
def lookup(request):
    """ "Tra cứu hồ sơ": status and dates of a dossier, for anyone holding its code and
    lookup key (the QR code of the acknowledgement opens it filled in). No personal
    data beyond a masked name; limited per address so keys cannot be guessed."""
    form = LookupForm(request.GET or None)
    context = {"form": form, "searched": form.is_bound}
    if form.is_valid():
        # allauth's limiter is the project's one cache-backed limiter (shared by every
        # app server through REDIS_URL); limit_get because the QR code opens a GET.
        refused = ratelimit.consume_or_429(request, action="dossier_lookup", limit_get=True)
        if refused:
            return refused
        dossier = lookup_dossier(form.cleaned_data["code"], form.cleaned_data["key"])
        context["dossier"] = dossier
        if dossier is not None:
            name = dossier.applicant_data.get("full_name") or dossier.applicant.full_name
            context["applicant_name"] = masked_name(name)
    return render(request, "forms_app/lookup.html", context)
