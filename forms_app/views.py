"""Citizen-facing dossier views.

Until the submission wizard lands, ``start`` tells the citizen how to submit this
procedure today instead of pretending to accept a dossier.
"""

from allauth.core import ratelimit
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from procedures.selectors import live_procedures

from .constants import DossierStatus
from .forms import LookupForm
from .selectors import (
    dossier_file_of,
    dossiers_of,
    lookup_dossier,
    masked_name,
    submitted_dossier_of,
    timeline,
)

DOSSIERS_PER_PAGE = 20


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


@never_cache
@login_required
def dossier_list(request):
    """ "Hồ sơ cá nhân": the citizen's dossiers and drafts, filterable by status."""
    dossiers = dossiers_of(request.user)
    status = request.GET.get("status")
    if status in DossierStatus.values:
        dossiers = dossiers.filter(status=status)
    page = Paginator(dossiers, DOSSIERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "forms_app/dossier_list.html",
        {"page": page, "statuses": DossierStatus.choices, "status": status},
    )


@never_cache
@login_required
def dossier_detail(request, code):
    """One dossier of the citizen's own, with its files and timeline; 404 for others."""
    dossier = submitted_dossier_of(request.user, code)
    return render(
        request,
        "forms_app/dossier_detail.html",
        {"dossier": dossier, "timeline": timeline(dossier)},
    )


@never_cache
@login_required
def dossier_file(request, code, file_id):
    """A file of one's own dossier, from private storage, under its original name."""
    attachment = dossier_file_of(request.user, code, file_id)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
