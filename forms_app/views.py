"""Citizen-facing dossier views: choosing what to submit, "Hồ sơ cá nhân", the
acknowledgement and the public lookup. The wizard itself is ``forms_app.submission.wizard``."""

import contextlib

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.formatting import format_date
from procedures.models import AgencyPage

from . import services
from .checkout import start_payment
from .constants import DossierStatus
from .documents.acknowledgement import acknowledgement_pdf
from .downloads import file_response
from .finance.receipts import receipt_pdf
from .finance.summary import fee_summary
from .forms import LookupForm
from .links import lookup_path
from .models import DossierFile, DossierResult
from .selectors import (
    agencies_offering_online,
    applicant_name,
    dossier_file_of,
    dossiers_of,
    draft_file_of,
    files_by_component,
    form_data_rows,
    lookup_dossier,
    masked_name,
    receipt_payment_of,
    result_of,
    submittable_procedures,
    submitted_dossier_of,
    timeline,
)
from .submission.supplement_forms import SupplementForm

DOSSIERS_PER_PAGE = 20


def choose_agency(request):
    """ "Nộp hồ sơ trực tuyến" from the menu: first the agency (department, district or
    commune), as the province's guide tells citizens."""
    return render(
        request, "forms_app/choose_agency.html", {"agencies": agencies_offering_online()}
    )


def agency_procedures(request, agency_id):
    """The procedures of one agency that can be submitted online."""
    agency = get_object_or_404(AgencyPage.objects.live().public(), pk=agency_id)
    procedures = (
        submittable_procedures()
        .filter(executing_agencies=agency)
        .select_related("field")
        .order_by("title")
    )
    return render(
        request,
        "forms_app/agency_procedures.html",
        {"agency": agency, "procedures": procedures},
    )


@never_cache
@login_required
@require_POST
def remove_draft_file(request, page_id, file_id):
    """ "Xóa" next to a file of a draft: only the owner's own draft."""
    procedure = get_object_or_404(submittable_procedures(), pk=page_id)
    attachment = draft_file_of(request.user, procedure, file_id)
    # Removed a moment ago by the same click from another tab: nothing left to do.
    with contextlib.suppress(DossierFile.DoesNotExist):
        services.remove_draft_file(draft=attachment.dossier, file_id=attachment.pk)
    messages.success(request, _("Đã xóa tệp “%(name)s”.") % {"name": attachment.original_name})
    return redirect("dossiers:step", page_id=procedure.pk, step="thanh-phan-ho-so")


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
            context["applicant_name"] = masked_name(applicant_name(dossier))
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
    return _detail_page(request, submitted_dossier_of(request.user, code))


def _detail_page(request, dossier, supplement_form=None):
    """The detail page; while the agency waits for a supplement, its request and the
    form that answers it (``supplement_form`` when re-shown with errors)."""
    supplement_request = None
    if dossier.status == DossierStatus.SUPPLEMENT_REQUESTED:
        supplement_request = services.open_supplement_request(dossier)
    if supplement_request is not None and supplement_form is None:
        supplement_form = SupplementForm(dossier, supplement_request)
    return render(
        request,
        "forms_app/dossier_detail.html",
        {
            "dossier": dossier,
            "timeline": timeline(dossier, for_citizen=True),
            "form_rows": form_data_rows(dossier),
            "files_by_component": files_by_component(dossier),
            "supplement_request": supplement_request,
            "supplement_form": supplement_form if supplement_request else None,
            "fees": fee_summary(dossier),
            "result": DossierResult.objects.filter(dossier=dossier).first(),
        },
    )


@never_cache
@login_required
@require_POST
def supplement(request, code):
    """ "Gửi bổ sung": the citizen's answer to the agency's open request. Bad input
    re-shows the detail page with the errors at their inputs, and nothing is stored."""
    dossier = submitted_dossier_of(request.user, code)
    supplement_request = (
        services.open_supplement_request(dossier)
        if dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
        else None
    )
    if supplement_request is None:
        messages.error(
            request,
            _(
                "Hồ sơ %(code)s không có yêu cầu bổ sung nào đang chờ (có thể hồ sơ đã được "
                "bổ sung, ví dụ từ một cửa sổ khác). Không có thay đổi nào được lưu."
            )
            % {"code": dossier.code},
        )
        return redirect("dossiers:detail", dossier.code)
    form = SupplementForm(dossier, supplement_request, request.POST, request.FILES)
    if not form.is_valid():
        return _detail_page(request, dossier, supplement_form=form)
    try:
        dossier = services.submit_supplement(
            dossier=dossier, actor=request.user, uploads=form.uploads, answers=form.answers
        )
    except ValidationError as error:
        messages.error(
            request,
            " ".join([*error.messages, _("Không có thay đổi nào được lưu.")]),
        )
        return redirect("dossiers:detail", dossier.code)
    if dossier.status == DossierStatus.SUBMITTED:
        message = _(
            "Đã gửi bổ sung hồ sơ %(code)s. Hồ sơ chờ cơ quan kiểm tra và tiếp nhận; thời "
            "hạn giải quyết được tính từ ngày tiếp nhận."
        ) % {"code": dossier.code}
    elif dossier.due_at:
        message = _(
            "Đã gửi bổ sung hồ sơ %(code)s. Cơ quan tiếp nhận tiếp tục giải quyết; "
            "ngày hẹn trả kết quả: %(date)s."
        ) % {"code": dossier.code, "date": format_date(dossier.due_at)}
    else:
        message = _("Đã gửi bổ sung hồ sơ %(code)s. Cơ quan tiếp nhận tiếp tục giải quyết.") % {
            "code": dossier.code
        }
    messages.success(request, message)
    return redirect("dossiers:detail", dossier.code)


@never_cache
@login_required
def acknowledgement(request, code):
    """ "Phiếu xác nhận nộp hồ sơ trực tuyến" as a PDF, for the owner only."""
    dossier = submitted_dossier_of(request.user, code)
    pdf = acknowledgement_pdf(dossier, request.build_absolute_uri(lookup_path(dossier)))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-xac-nhan-{dossier.code}.pdf"'
    return response


@never_cache
@login_required
@require_POST
def pay(request, code):
    """ "Thanh toán trực tuyến": off to the bank's page for the outstanding fee. A
    second tab, or a repeated click, continues the same payment."""
    dossier = submitted_dossier_of(request.user, code)
    try:
        url = start_payment(request, dossier)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dossiers:detail", dossier.code)
    return redirect(url)


@never_cache
@login_required
def receipt(request, code, reference):
    """ "Biên lai thu phí, lệ phí" of a completed payment, for the owner only."""
    payment = receipt_payment_of(request.user, code, reference)
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.reference}.pdf"'
    return response


@never_cache
@login_required
def result(request, code):
    """The result delivered online, for the owner only (its SHA-256 is on the page)."""
    return file_response(result_of(request.user, code))


@never_cache
@login_required
@require_POST
def withdraw(request, code):
    """ "Rút hồ sơ" while the agency has not received it yet."""
    dossier = submitted_dossier_of(request.user, code)
    try:
        services.withdraw_dossier(dossier=dossier, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã rút hồ sơ %(code)s.") % {"code": dossier.code})
    return redirect("dossiers:detail", dossier.code)


@never_cache
@login_required
def dossier_file(request, code, file_id):
    """A file of one's own dossier, from private storage, under its original name."""
    return file_response(dossier_file_of(request.user, code, file_id))
