"""The gateway's notification (IPN), the citizen's return page, and the simulated bank."""

import logging

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors, services
from .constants import DEFAULT_REASON, RESPONSE_REASONS, PaymentStatus
from .gateways import get_gateway
from .gateways.sandbox import OUTCOMES, SandboxGateway
from .gateways.vnpay import parse_vnp_date

logger = logging.getLogger(__name__)


@csrf_exempt
@never_cache
@require_GET
def ipn(request):
    """VNPAY's server-to-server notification: the only way a payment becomes final.

    Always HTTP 200 with VNPAY's JSON answer; VNPAY retries until it reads 00 or 02.
    """
    try:
        code, message = services.record_notification(request.GET.dict())
    except Exception:
        logger.exception("Payment notification could not be handled.")
        code, message = services.UNKNOWN_ERROR
    return JsonResponse({"RspCode": code, "Message": message})


@never_cache
@login_required
@require_GET
def payment_return(request):
    """Where the gateway sends the citizen back. Display only: the page says what the
    database says about the payment, whatever the query string claims, and only to its
    payer (anyone else: 404)."""
    params = request.GET.dict()
    gateway = get_gateway()
    if not gateway.verify(params):
        return render(request, "payments/return_invalid.html", status=400)
    payment = selectors.payment_of(request.user, gateway.parse_notification(params).reference)
    if payment is None:
        raise Http404
    now = timezone.now()
    context = {
        "payment": payment,
        "waiting": payment.status == PaymentStatus.STARTED
        and not selectors.waiting_too_long(payment, now=now),
        "back_url": _back_url(payment),
    }
    if payment.status in (PaymentStatus.FAILED, PaymentStatus.CANCELLED):
        context["reason"] = RESPONSE_REASONS.get(payment.response_code, DEFAULT_REASON)
    return render(request, "payments/return.html", context)


def _back_url(payment):
    """Back to what was paid for: the dossier, or the citizen's dossiers."""
    if payment.dossier_id and payment.dossier.code:
        return reverse("dossiers:detail", kwargs={"code": payment.dossier.code})
    return reverse("dossiers:list")


@never_cache
@require_http_methods(["GET", "POST"])
def sandbox(request):
    """The simulated bank's page (PAYMENT_GATEWAY=sandbox only).

    GET shows the signed VNPAY request it received; the POSTed choice is answered like
    VNPAY does: the IPN handler first, server to server, then the browser is sent to
    the return URL with the same signed parameters.
    """
    gateway = get_gateway()
    if not isinstance(gateway, SandboxGateway):
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    params = {name: value for name, value in data.dict().items() if name.startswith("vnp_")}
    if not gateway.is_payment_request(params) or not url_has_allowed_host_and_scheme(
        params["vnp_ReturnUrl"],
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return _refuse(request, _("Yêu cầu thanh toán không hợp lệ: chữ ký hoặc nội dung sai."))
    expires_at = parse_vnp_date(params.get("vnp_ExpireDate"))
    if expires_at is not None and expires_at <= timezone.now():
        return _refuse(request, _("Giao dịch đã hết thời gian chờ thanh toán."))

    if request.method == "POST":
        choice = request.POST.get("choice")
        if choice not in OUTCOMES:
            return _refuse(request, _("Hãy chọn một trong các nút của trang thanh toán."))
        answer = gateway.decide(params, choice)
        code, message = services.record_notification(answer)
        if code not in ("00", "02"):
            logger.warning(
                "Sandbox IPN for %s answered %s %s", params["vnp_TxnRef"], code, message
            )
        return_url = params["vnp_ReturnUrl"]
        separator = "&" if "?" in return_url else "?"
        return redirect(f"{return_url}{separator}{urlencode(answer)}")

    notification = gateway.parse_notification(params)
    return render(
        request,
        "payments/sandbox.html",
        {
            "params": sorted(params.items()),
            "amount": notification.amount_vnd,
            "reference": notification.reference,
            "order_info": params["vnp_OrderInfo"],
            "expires_at": expires_at,
        },
    )


def _refuse(request, reason):
    return render(request, "payments/sandbox_refused.html", {"reason": reason}, status=400)
