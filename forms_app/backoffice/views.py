"""The officials' views in the Wagtail admin besides the listing and inspect page:
workflow actions, file downloads, and registering a dossier received at the counter.

Every view starts from ``selectors.official_dossier``: a dossier of another agency is a
404 here exactly as in the listing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from procedures.models import AgencyPage, ProcedurePage

from .. import services
from ..downloads import file_response
from ..models import DossierResult
from ..selectors import agency_ids_of_official, official_dossier, official_dossier_by_key
from .forms import (
    AssignForm,
    CounterDossierForm,
    ExtendForm,
    HandoverForm,
    NoteForm,
    ReasonForm,
    ReceiveForm,
    ResultForm,
    SupplementRequestForm,
)

# action name: (form, service function, button label)
ACTION_VIEWS = {
    "receive": (ReceiveForm, services.receive_dossier, gettext_lazy("Tiếp nhận")),
    "reject": (ReasonForm, services.reject_dossier, gettext_lazy("Từ chối hồ sơ")),
    "start_processing": (AssignForm, services.start_processing, gettext_lazy("Phân công xử lý")),
    "request_supplement": (
        SupplementRequestForm,
        services.request_supplement,
        gettext_lazy("Yêu cầu bổ sung hồ sơ"),
    ),
    "resume_processing": (NoteForm, services.resume_processing, gettext_lazy("Tiếp tục xử lý")),
    "mark_result_ready": (ResultForm, services.mark_result_ready, gettext_lazy("Có kết quả")),
    "complete": (HandoverForm, services.complete_dossier, gettext_lazy("Trả kết quả")),
    "extend_deadline": (ExtendForm, services.extend_deadline, gettext_lazy("Gia hạn")),
}


def available_actions(dossier):
    """The admin actions the dossier allows now, with their labels: those of its
    status, and "Gia hạn" while an extension is allowed (once, before the appointment
    has passed)."""
    names = [name for name in services.allowed_actions(dossier) if name in ACTION_VIEWS]
    if services.extension_refusal(dossier) is None:
        names.append("extend_deadline")
    return [(name, ACTION_VIEWS[name][2]) for name in names]


def inspect_url(dossier):
    return reverse("forms_app_dossier_modeladmin_inspect", args=[dossier.pk])


def dossier_action(request, pk, action):
    """One workflow action: its form on GET, the service on POST."""
    dossier = official_dossier(request.user, pk)
    if action not in ACTION_VIEWS:
        raise Http404
    # A posted extension is left to the service, which says at the date field why it is
    # refused (extended already, or the appointment passed since the form was opened).
    posted_extension = action == "extend_deadline" and request.method == "POST"
    if action not in dict(available_actions(dossier)) and not posted_extension:
        refusal = services.extension_refusal(dossier) if action == "extend_deadline" else None
        messages.error(
            request,
            refusal
            or _("Hồ sơ đang ở trạng thái “%(status)s”: thao tác này không còn thực hiện được.")
            % {"status": dossier.get_status_display()},
        )
        return redirect(inspect_url(dossier))
    form_class, service, label = ACTION_VIEWS[action]
    form = form_class(request.POST or None, request.FILES or None, dossier=dossier)
    if request.method == "POST" and form.is_valid():
        try:
            service(dossier=dossier, actor=request.user, **form.service_kwargs())
        except services.TransitionRefused as error:
            messages.error(request, " ".join(error.messages))
            return redirect(inspect_url(dossier))
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            raise
        else:
            messages.success(
                request,
                _("%(action)s: hồ sơ %(code)s.") % {"action": label, "code": dossier.code},
            )
            return redirect(inspect_url(dossier))
    return TemplateResponse(
        request,
        "forms_app/admin/action.html",
        {"dossier": dossier, "form": form, "action": action, "label": label},
    )


def dossier_file(request, pk, file_id):
    """A citizen's file, for an official of the dossier's agency only."""
    dossier = official_dossier(request.user, pk)
    return file_response(get_object_or_404(dossier.files, pk=file_id))


def dossier_result(request, pk):
    """The result document, for an official of the dossier's agency only."""
    dossier = official_dossier(request.user, pk)
    return file_response(get_object_or_404(DossierResult, dossier=dossier))


def register_counter_dossier(request):
    """ "Tiếp nhận hồ sơ trực tiếp": a paper dossier gets a code and a lookup key."""
    agency_ids = agency_ids_of_official(request.user)
    agencies = AgencyPage.objects.live()
    if not request.user.is_superuser:
        agencies = agencies.filter(pk__in=agency_ids)
    if not agencies.exists():
        raise PermissionDenied
    procedures = ProcedurePage.objects.live().filter(executing_agencies__in=agencies).distinct()
    form = CounterDossierForm(
        request.POST or None,
        agencies=agencies.order_by("title"),
        procedures=procedures.order_by("title"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.register_counter_dossier(
                actor=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            form.add_error(None, error)
        except IntegrityError:
            # The same form posted twice at the same moment: the other request won.
            dossier = official_dossier_by_key(request.user, form.cleaned_data["key"])
            return redirect(inspect_url(dossier))
        else:
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ %(code)s; mã tra cứu: %(key)s.")
                % {"code": dossier.code, "key": dossier.lookup_key},
            )
            return redirect(inspect_url(dossier))
    return TemplateResponse(request, "forms_app/admin/register.html", {"form": form})
