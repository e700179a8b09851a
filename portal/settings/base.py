"""Settings shared by every environment.

Everything that differs between a laptop and a province's servers is read from the
environment (see README.md, "Configuration"); ``dev``, ``test`` and ``production`` only
adjust what they must.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str, parse_email_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

PORTAL_NAME = env_str("PORTAL_NAME", "Cổng Dịch vụ công")

INSTALLED_APPS = [
    # Project apps first, so that their templates override the libraries' ones.
    "core",
    "home",
    "accounts",
    "procedures",
    "forms_app",
    "payments",
    "django_tasks_db",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.PortalUsersAppConfig",  # wagtail.users, with forms for our User model
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "wagtail.api.v2",
    "wagtail.api.v3",
    "rest_framework",
    "ninja",  # serves the API v3 docs' scripts from our static files, not a CDN
    "csp",  # Content-Security-Policy headers (core/security.py)
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    # Workflow and history of dossiers
    "formtools",
    "simple_history",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # SecurityMiddleware stays first: production.py puts whitenoise right after it.
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and X-Frame-Options on every response, the 413 and CSRF
    # pages included (the policy's frame-ancestors follows X-Frame-Options: see
    # core/security.py, so this one is inside that one).
    "core.security.PortalCSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # "Cache-Control: private, no-store" for logged-in users and personal URLs.
    "core.caching.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication, so that the 413 page shows the usual header.
    "core.middleware.RequestBodyLimitMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffOnlyAdminMiddleware",
    # Whole pages for anonymous visitors: inside everything that adds headers, cookies
    # (the CSRF token it puts back) and the language, so that a page served from the cache
    # gets them like any other.
    "core.caching.PageCacheMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
                "home.context_processors.main_menu",
            ],
            # Dates and amounts the Vietnamese way in every template, pages, e-mails and
            # the admin alike, without a {% load %}: |ngay, |ngay_gio, |ngay_dai, |vnd.
            "builtins": ["core.templatetags.vn_format"],
        },
    },
]

# Database: the embedded SQLite file unless DATABASE_URL names another (PostgreSQL in
# production). SQLite is told to let concurrent writers wait their turn (WAL, IMMEDIATE
# transactions, a busy timeout) instead of failing with "database is locked".
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when several app servers must share it (rate limits live here too).
REDIS_URL = env_str("REDIS_URL")
# Whole pages for anonymous visitors live in a cache of their own ("pages", see
# core/caching.py), so that a crawler filling it can never evict the rate-limit counters.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal-pages",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }
# How long an anonymous page may be served from the cache at most (publishing clears it
# at once); 0 turns the page cache off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# Pages with a query string (the search): anyone can invent queries, so these are kept
# briefly, which bounds what a flood of them can fill (Redis culls nothing before expiry).
PAGE_CACHE_QUERY_SECONDS = env_int("PAGE_CACHE_QUERY_SECONDS", 60)

# Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name", "cccd", "phone")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# Password-reset links (Django's token, which allauth uses) expire after a day, and stop
# working as soon as the password changes.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.CitizenSignupForm", "login": "accounts.forms.LoginForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# "mandatory" makes sign-up send the activation email and answer with the same page
# whether the address is new or taken. The adapter relaxes it at login: an unverified
# account may log in, but cannot submit dossiers (accounts.selectors.can_submit_dossiers).
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a link scanner opening the mail must not activate
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_EMAIL_CONFIRMATION_ANONYMOUS_REDIRECT_URL = "account_login"
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = "account_profile"
ACCOUNT_CHANGE_EMAIL = True
# Tell the owner when the password or e-mail changes, so a hijacked account is noticed.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PORTAL_NAME}] "
# Failed logins (README.md, "Brute-force protection"). allauth's own "login_failed" limit
# counts per e-mail address across all addresses, which lets one attacker lock a citizen
# out for ever; the adapter applies these two limits on accounts instead.
ACCOUNT_RATE_LIMITS = {
    "login_failed": None,
    "login_failed_account_address": "5/15m/key",
    "login_failed_account": "50/1h/key",
    # Public dossier lookup (forms_app.views.lookup): guessing keys must not pay.
    "dossier_lookup": "30/10m/ip",
}
# Per address, failed logins never refuse a correct password (a carrier's CGNAT or a
# one-stop-shop's Wi-Fi is one address for many citizens): from this many failures within
# the window (seconds), the login form served to the address asks the browser for a proof
# of work, which grows with further failures (accounts/challenge.py).
LOGIN_CHALLENGE_AFTER_FAILURES = 20
LOGIN_CHALLENGE_WINDOW = 60 * 60
# Behind a load balancer, how many proxies append to X-Forwarded-For (0: use REMOTE_ADDR).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Internationalisation ------------------------------------------------------------------
# UI text is written in Vietnamese (the words citizens know from the province's guides)
# and translated to English in locale/en. Vietnamese is the default whatever the browser
# says; English only on request (core.middleware.CookieLocaleMiddleware).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Dates day first, in display and in every form (Django's "vi" locale has no input
# formats and would read "05/11/2026" as 11 May): core/formats, core/formatting.py.
FORMAT_MODULE_PATH = ["core.formats"]
# The admin's date pickers write and read the same (Wagtail's own settings).
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
# Every deadline and report is counted in the province's days: an official cannot move
# the admin to another time zone, where "today" would be another day.
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
USE_I18N = True
USE_TZ = True

# Static and uploaded files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Citizens' attachments and results: never under MEDIA_URL, served only by views that
# check who asks.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Online submission: limits on what a citizen may upload -----------------------------------
MEGABYTE = 1024 * 1024
# Each file, and all the files of one dossier together (a component may narrow the first).
DOSSIER_MAX_FILE_SIZE = env_int("DOSSIER_MAX_FILE_SIZE_MB", 10) * MEGABYTE
DOSSIER_MAX_TOTAL_SIZE = env_int("DOSSIER_MAX_TOTAL_SIZE_MB", 50) * MEGABYTE
DOSSIER_MAX_FILES_PER_COMPONENT = env_int("DOSSIER_MAX_FILES_PER_COMPONENT", 10)
# Images are decoded and re-encoded: a bound on pixels keeps a small file from expanding
# into gigabytes of memory (40 megapixels is a phone photo with room to spare).
DOSSIER_MAX_IMAGE_PIXELS = env_int("DOSSIER_MAX_IMAGE_PIXELS", 40_000_000)
# A request body larger than this is refused with 413 before it is read: one step's files
# plus the form around them.
MAX_REQUEST_BODY_SIZE = DOSSIER_MAX_TOTAL_SIZE + 5 * MEGABYTE
# Drafts untouched for this long, and temporary files nobody owns, are purged.
DRAFT_MAX_AGE_DAYS = env_int("DRAFT_MAX_AGE_DAYS", 30)

# Online payment (service level 4) ----------------------------------------------------------
# "sandbox" is the built-in simulated bank (no money moves); "vnpay" the real gateway, with
# the merchant code and hash secret VNPAY issues. VNPAY_URL is the payment page,
# VNPAY_API_URL the merchant web API that answers reconciliation queries (querydr).
PAYMENT_GATEWAY = env_str("PAYMENT_GATEWAY", "sandbox")
PAYMENT_EXPIRY_MINUTES = env_int("PAYMENT_EXPIRY_MINUTES", 15)
VNPAY_TMN_CODE = env_str("VNPAY_TMN_CODE", "")
VNPAY_HASH_SECRET = env_str("VNPAY_HASH_SECRET", "")
VNPAY_URL = env_str("VNPAY_URL", "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html")
VNPAY_API_URL = env_str(
    "VNPAY_API_URL", "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction"
)
# The address VNPAY sees the reconciliation queries come from (vnp_IpAddr of querydr).
VNPAY_SERVER_IP = env_str("VNPAY_SERVER_IP", "127.0.0.1")
# The simulated bank signs like VNPAY, with this secret; it only answers when
# PAYMENT_GATEWAY is "sandbox".
SANDBOX_HASH_SECRET = env_str("SANDBOX_HASH_SECRET", "sandbox-secret-for-development-only")

# E-mail --------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{PORTAL_NAME} <no-reply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if env_str("EMAIL_HOST"):
    # Django's own EMAIL_* variables, for hosts that prefer them to EMAIL_URL.
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if env_str("EMAIL_URL"):
    globals().update(parse_email_url(env_str("EMAIL_URL")))
ADMINS = [("Webmaster", address) for address in env_list("ADMINS")]

# Background tasks (django-tasks; Wagtail 8 queues its own there too) --------------------
# "immediate" runs each task in the request that queues it, after the commit: nothing else
# to run, for development. "database" (production's default) stores the task and
# `manage.py db_worker` runs it: the acknowledgement's PDF and mail no longer hold up the
# citizen's "Gửi đi", and a mail server that is down delays mail instead of failing it.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def tasks_setting(backend):
    """Django's TASKS for ``backend`` ("immediate" or "database")."""
    if backend not in TASK_BACKENDS:
        raise ImproperlyConfigured(f"TASK_BACKEND must be one of {', '.join(TASK_BACKENDS)}.")
    return {"default": {"BACKEND": TASK_BACKENDS[backend]}}


TASKS = tasks_setting(env_str("TASK_BACKEND", "immediate"))

# Security defaults that hold everywhere ------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# HSTS preloading is a decision for the owner of the registrable domain (a province's
# portal lives under its own *.gov.vn domain, which sends the header for every
# subdomain), not for this application: SECURE_HSTS_PRELOAD stays an opt-in of
# production.py, and Django's reminder about it is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy (django-csp; per-response adjustments in core/security.py).
# The site's templates have no inline script, style attribute or event handler: keep it
# so. ("'self'" and "'none'" are written out rather than imported from csp.constants, so
# that reading the settings imports nothing.)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
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
}
# Added to the policy under /admin/ only (see core/security.py): Wagtail 8's admin
# renders inline <script> calls in its widgets (choosers, date pickers, inline panels:
# rendered without the request, so no nonce can reach them), and its bundled scripts
# insert <style> elements and style attributes. Checked in Chromium page by page.
# Its image uploader previews the chosen files from blob: URLs.
PORTAL_ADMIN_CSP_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}


def _static_file_headers(headers, path, url):
    """Static files served by whitenoise (production) carry the same policy."""
    from core.security import add_static_file_headers

    add_static_file_headers(headers, path, url)


WHITENOISE_ADD_HEADERS_FUNCTION = _static_file_headers

# Wagtail -------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = PORTAL_NAME
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# One login page for everybody, so that one brute-force rule protects the admin as well.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False  # likewise: allauth's reset, without enumeration
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_DOCUMENT_MODEL = "home.PortalDocument"
# The database backend, with quotes in queries escaped for SQLite (core/search).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "core.search"}}
# The admin asks no third party anything: no Gravatar (it would hand staff members'
# e-mail hashes to an outside service) and no check for new Wagtail releases; both
# would also be refused by the Content-Security-Policy.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
