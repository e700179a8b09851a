"""The Content-Security-Policy of every response (django-csp, with the portal's rules).

The public site runs no inline script or style at all: its policy (``CONTENT_SECURITY_POLICY``
in the settings) allows scripts, styles, fonts and images from the portal's own origin only,
no plugins, no framing, and forms posting only back to the portal. Three adjustments are
made per response here, because they depend on the request or on other headers:

- **The Wagtail admin** (everything under ``/admin/``, for staff allowed in) still
  renders inline ``<script>`` calls in its widgets (choosers, date pickers, inline
  panels), which no nonce can reach (widgets are rendered without the request), and its
  bundled scripts insert ``<style>`` elements and style attributes; its image uploader
  previews files from ``blob:`` URLs. Its responses get ``PORTAL_ADMIN_CSP_UPDATE`` added
  to the policy; the public site never does, whoever is logged in. Every admin page is
  also kept out of any cache (``core.caching``).
- **Framing by the portal itself**: Wagtail's preview panel shows the preview in an iframe
  of the same origin and marks that response ``X-Frame-Options: SAMEORIGIN``; such a
  response gets ``frame-ancestors 'self'`` to match (the page rendered inside the preview
  request, a "dummy request" run through the middleware again, gets no policy of its
  own: the admin response that carries it does). Every other response keeps
  ``frame-ancestors 'none'``.
- **The payment gateway**: "Thanh toán trực tuyến" is a form POST answered by a redirect
  to the gateway, and browsers check ``form-action`` along that redirect, so with
  ``PAYMENT_GATEWAY=vnpay`` the origin of ``VNPAY_URL`` is added to ``form-action``
  (the built-in sandbox bank is on the portal's own origin).

A response that already carries a policy of its own (Wagtail's document and image views
send ``default-src 'none'``) keeps it, with ``frame-ancestors 'none'`` added if missing.
"""

from urllib.parse import urlsplit

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse

SELF = "'self'"


def gateway_origin():
    """The origin forms may be redirected to for payment, or None (sandbox)."""
    if settings.PAYMENT_GATEWAY != "vnpay":
        return None
    parts = urlsplit(settings.VNPAY_URL)
    if parts.scheme != "https" or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def is_admin_path(path):
    return path.startswith(reverse("wagtailadmin_home"))


def may_use_admin(request):
    """Staff with access to the admin: anybody else under /admin/ only gets a redirect
    to the login page or the portal's own 403 page, which need no relaxation."""
    user = getattr(request, "user", None)
    return bool(
        user is not None and user.is_authenticated and user.has_perm("wagtailadmin.access_admin")
    )


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the portal's per-response adjustments (see above)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        update = dict(parts.update or {})
        replace = dict(parts.replace or {})
        if is_admin_path(request.path_info) and may_use_admin(request):
            for directive, sources in settings.PORTAL_ADMIN_CSP_UPDATE.items():
                update[directive] = [*update.get(directive, ()), *sources]
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            replace["frame-ancestors"] = [SELF]
        origin = gateway_origin()
        if origin:
            update["form-action"] = [*update.get("form-action", ()), origin]
        parts.update = update or None
        parts.replace = replace or None
        return parts

    def process_response(self, request, response):
        if getattr(request, "is_dummy", False):
            # Wagtail's preview renders the page through the middleware a second time,
            # inside the admin's request: the admin's response gets the policy.
            return response
        existing = response.get(HEADER)
        if existing is not None and "frame-ancestors" not in existing:
            response[HEADER] = f"{existing.rstrip('; ')}; frame-ancestors 'none'"
        return super().process_response(request, response)


def add_static_file_headers(headers, path, url):
    """whitenoise's WHITENOISE_ADD_HEADERS_FUNCTION: static files carry the public policy
    too (an SVG opened on its own is a document that could run script), and may not be
    framed either. (SecurityMiddleware, outside whitenoise, adds nosniff, the referrer
    policy and HSTS.)"""
    from csp.utils import build_policy

    headers[HEADER] = build_policy()
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
