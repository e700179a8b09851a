"""Security headers on every kind of response, and Django's deployment checks with the
production settings.

Every response carries a Content-Security-Policy without ``'unsafe-inline'`` (the Wagtail
admin alone adds it: see core/security.py), framing forbidden and plugins off, plus
``X-Content-Type-Options: nosniff`` and a ``Referrer-Policy``; HSTS on HTTPS with the
production settings.
"""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from forms_app.tests.officials import submit
from procedures.tests.factories import catalogue_root, make_agency, make_document, make_procedure

pytestmark = pytest.mark.django_db

FETCH_DIRECTIVES = {"script-src", "style-src", "img-src", "font-src", "object-src", "connect-src"}


def policy(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response}"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def effective(directives, name):
    """A fetch directive falls back to default-src when it is not given."""
    if name in directives:
        return directives[name]
    return directives.get("default-src", []) if name in FETCH_DIRECTIVES else []


def assert_secure_headers(response, where=""):
    directives = policy(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"], where
    assert "'unsafe-eval'" not in response["Content-Security-Policy"], where
    assert effective(directives, "frame-ancestors") == ["'none'"], where
    assert effective(directives, "object-src") == ["'none'"], where
    assert effective(directives, "script-src") in (["'self'"], ["'none'"]), where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")
    assert response["X-Frame-Options"] == "DENY", where


@pytest.fixture
def procedure():
    catalogue_root()
    return make_procedure(make_agency(), components=1)


@pytest.fixture
def citizen():
    return UserFactory(verified=True)


def test_the_public_policy_is_the_one_the_portal_states(client, procedure):
    directives = policy(client.get("/"))
    assert directives == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }


def test_anonymous_pages_and_errors_carry_the_headers(client, procedure, settings):
    settings.MAX_REQUEST_BODY_SIZE = 1000
    settings.PAGE_CACHE_SECONDS = 600  # off in the tests but for these
    responses = {
        "home": client.get("/"),
        "home from the cache": client.get("/"),
        "procedure page": client.get(procedure.url),
        "search": client.get("/thu-tuc/?q=khai+sinh"),
        "login": client.get(reverse("account_login")),
        "signup": client.get(reverse("account_signup")),
        "lookup": client.get(reverse("dossiers:lookup")),
        "admin login": client.get("/admin/login/"),
        "admin, anonymous": client.get("/admin/"),
        "404": client.get("/khong-co-trang-nay/"),
        "405": client.get(reverse("payments:ipn") + "x/"),
        "413": client.post(reverse("account_login"), {"x": "y" * 2000}),
        "content API": client.get("/api/v2/pages/"),
        "health": client.get("/healthz"),
    }
    assert responses["home from the cache"]["X-Page-Cache"] == "hit"
    assert responses["404"].status_code == 404
    assert responses["413"].status_code == 413
    for where, response in responses.items():
        assert_secure_headers(response, where)


def test_a_csrf_failure_carries_the_headers(procedure):
    response = Client(enforce_csrf_checks=True).post(reverse("account_login"), {})
    assert response.status_code == 403
    assert_secure_headers(response, "CSRF failure")


LOG_IN = "sent to log in, and back"


def test_personal_pages_and_files_carry_the_headers(client, procedure, citizen):
    """Whatever a personal URL answers carries the headers: the owner's page or file,
    another citizen's 404 (their own list and profile for those URLs), an anonymous
    visitor's redirect to log in, and the admin's 403 page that a citizen gets."""
    dossier = submit(citizen, procedure)
    other = UserFactory(verified=True)
    file_url = reverse("dossiers:file", args=[dossier.code, dossier.files.first().pk])
    answers = {  # URL: what the owner, another citizen and an anonymous visitor get
        reverse("dossiers:list"): (200, 200, LOG_IN),
        reverse("dossiers:detail", args=[dossier.code]): (200, 404, LOG_IN),
        reverse("dossiers:acknowledgement", args=[dossier.code]): (200, 404, LOG_IN),
        file_url: (200, 404, LOG_IN),
        reverse("account_profile"): (200, 200, LOG_IN),
        "/admin/": (403, 403, LOG_IN),  # a citizen's 403 page in the admin
    }
    for url, expected in answers.items():
        for who, user, answer in zip(
            ("owner", "other", "anonymous"), (citizen, other, None), expected, strict=True
        ):
            client.logout()
            if user:
                client.force_login(user)
            response = client.get(url)
            where = f"{url} ({who})"
            if answer == LOG_IN:
                assert response.status_code == 302, where
                assert response["Location"] == f"{reverse('account_login')}?next={url}", where
            else:
                assert response.status_code == answer, where
            assert_secure_headers(response, where)


def test_a_template_document_keeps_its_own_stricter_policy_and_cannot_be_framed(client):
    document = make_document()
    response = client.get(document.url)
    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'none'"]
    assert_secure_headers(response, "document")


def test_static_files_served_by_whitenoise_carry_the_headers(settings):
    """As production serves them: whitenoise right after SecurityMiddleware."""
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],
        "whitenoise.middleware.WhiteNoiseMiddleware",
        *settings.MIDDLEWARE[1:],
    ]
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get("/static/css/portal.css", secure=True)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert_secure_headers(response, "static file")
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


# HSTS -------------------------------------------------------------------------------------
def test_hsts_is_sent_over_https_with_the_production_value(client, settings, procedure):
    settings.SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    secure = client.get("/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert_secure_headers(secure, "https")
    # Browsers ignore HSTS on plain HTTP, and Django does not send it there.
    assert "Strict-Transport-Security" not in client.get("/")


# The admin's relaxation, and nothing more -------------------------------------------------
def test_the_admin_alone_allows_inline_script_and_style(client, procedure):
    admin = UserFactory(verified=True, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(f"/admin/pages/{procedure.pk}/edit/")
    assert response.status_code == 200
    directives = policy(response)
    assert "'unsafe-inline'" in directives["script-src"]
    assert "'unsafe-inline'" in directives["style-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    # The same user on the public site gets the public policy.
    assert_secure_headers(client.get(procedure.url), "public page, logged in as staff")
    assert_secure_headers(client.get("/"), "home, logged in as staff")


def test_the_preview_panel_may_be_framed_by_the_admin_only(client, procedure, settings):
    """Wagtail shows the preview in an iframe of the admin (X-Frame-Options: SAMEORIGIN);
    the policy follows, and the draft is what the editor sees."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    from home.models import HomePage

    settings.PAGE_CACHE_SECONDS = 600  # off in the tests but for these
    home = HomePage.objects.get()
    client.get("/")  # the live home page, now cached for visitors
    admin = UserFactory(verified=True, is_staff=True, is_superuser=True)
    client.force_login(admin)
    preview_url = f"/admin/pages/{home.pk}/edit/preview/"
    data = nested_form_data(
        {
            "title": "Trang chủ – bản nháp đang xem trước",
            "slug": home.slug,
            "intro": "",
            "featured_procedures": inline_formset([]),
        }
    )
    assert client.post(preview_url, data).json()["is_valid"] is True
    response = client.get(f"{preview_url}?in_preview_panel=true")
    assert response.status_code == 200
    assert "Trang chủ – bản nháp đang xem trước" in response.content.decode()
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert policy(response)["frame-ancestors"] == ["'self'"]
    client.logout()
    assert "bản nháp" not in client.get("/").content.decode()


def test_with_vnpay_the_forms_may_lead_to_its_payment_page(client, settings, procedure):
    """ "Thanh toán trực tuyến" posts a form that the portal answers with a redirect to the
    gateway; browsers check form-action along that redirect."""
    settings.PAYMENT_GATEWAY = "vnpay"
    settings.VNPAY_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    assert policy(client.get("/"))["form-action"] == [
        "'self'",
        "https://sandbox.vnpayment.vn",
    ]
    settings.PAYMENT_GATEWAY = "sandbox"
    assert policy(client.get("/thu-tuc/"))["form-action"] == ["'self'"]


# The site's own templates: nothing inline --------------------------------------------------
def test_no_site_template_has_inline_script_style_or_handlers():
    import re

    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)|<style|\sstyle=|\son[a-z]+=",
        re.I,
    )
    offenders = []
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        if "email" in path.parts or path.name.endswith("_message.html"):
            continue  # e-mails are read in mail clients, which need inline styles
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if inline.search(line):
                offenders.append(f"{path}:{number}: {line.strip()}")
    assert offenders == []


# Django's deployment checks with the production settings ----------------------------------
def deploy_check(**overrides):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "dichvucong.example.gov.vn",
        "DATABASE_URL": "sqlite:////tmp/portal-deploy-check.sqlite3",
        "PAYMENT_GATEWAY": "vnpay",
        "VNPAY_TMN_CODE": "DVCTEST1",
        "VNPAY_HASH_SECRET": secrets.token_hex(16),
        "VNPAY_URL": "https://pay.vnpay.vn/vpcpay.html",
    }
    env.pop("REDIS_URL", None)
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_deployment_checks_pass_with_the_production_settings():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checks_refuse_the_sandbox_bank():
    """The control: the same run fails on a real warning (payments.W001)."""
    result = deploy_check(PAYMENT_GATEWAY="sandbox")
    assert result.returncode != 0
    assert "W001" in result.stdout + result.stderr
