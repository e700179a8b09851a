"""Settings: production refuses to start without its essentials, EMAIL_URL is parsed as
README.md says, and manage.py is for development unless told otherwise."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal.settings.env import parse_email_url

SMTP = "django.core.mail.backends.smtp.EmailBackend"


# Production refuses to start ------------------------------------------------------------
def run_python(*args, **env_changes):
    """Run ``python *args`` in a fresh interpreter at the project root."""
    env = os.environ.copy()
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def start_production(**env_changes):
    return run_python(
        "-c",
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        **env_changes,
    )


def last_line(text):
    return text.strip().splitlines()[-1] if text.strip() else ""


@pytest.mark.parametrize(
    ("missing", "present"),
    [("SECRET_KEY", "ALLOWED_HOSTS"), ("ALLOWED_HOSTS", "SECRET_KEY")],
)
@pytest.mark.parametrize("unset", [None, ""], ids=["unset", "empty"])
def test_production_refuses_to_start_without(missing, present, unset):
    values = {"SECRET_KEY": "a-long-production-secret-for-the-test", "ALLOWED_HOSTS": "dvc.vn"}

    result = start_production(**{missing: unset, present: values[present]})

    assert result.returncode != 0
    error = last_line(result.stderr)
    assert "ImproperlyConfigured" in error
    assert missing in error


@pytest.mark.parametrize("hosts", [",", " , "])
def test_production_refuses_allowed_hosts_that_name_no_host(hosts):
    result = start_production(
        SECRET_KEY="a-long-production-secret-for-the-test", ALLOWED_HOSTS=hosts
    )

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in last_line(result.stderr)


def test_production_starts_with_secret_key_and_allowed_hosts():
    result = run_python(
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.ALLOWED_HOSTS)",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="a-long-production-secret-for-the-test",
        ALLOWED_HOSTS="dichvucong.example.vn, www.dichvucong.example.vn",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False ['dichvucong.example.vn', 'www.dichvucong.example.vn']"
    )


# EMAIL_URL ------------------------------------------------------------------------------
def test_email_url_smtp_with_starttls():
    config = parse_email_url("smtp+tls://user:p%40ss@mail.example.vn:587")

    assert config["EMAIL_BACKEND"] == SMTP
    assert config["EMAIL_HOST"] == "mail.example.vn"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_HOST_USER"] == "user"
    assert config["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert config["EMAIL_USE_TLS"] is True
    assert config["EMAIL_USE_SSL"] is False


def test_email_url_smtp_with_implicit_tls_defaults_to_port_465():
    config = parse_email_url("smtp+ssl://mail.example.vn")

    assert config["EMAIL_BACKEND"] == SMTP
    assert config["EMAIL_HOST"] == "mail.example.vn"
    assert config["EMAIL_PORT"] == 465
    assert config["EMAIL_USE_SSL"] is True
    assert config["EMAIL_USE_TLS"] is False


def test_email_url_console():
    config = parse_email_url("console://")

    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_email_url_unknown_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="imap"):
        parse_email_url("imap://mail.example.vn")


# manage.py ------------------------------------------------------------------------------
def test_manage_py_defaults_to_development_settings():
    # SECRET_KEY given so that dev settings do not write a key file into the checkout.
    result = run_python(
        "manage.py",
        "diffsettings",
        DJANGO_SETTINGS_MODULE=None,
        SECRET_KEY="a-secret-for-the-test",
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "DEBUG = True" in lines
    assert any(line.startswith("SETTINGS_MODULE = 'portal.settings.dev'") for line in lines)


def test_djangos_email_variables_configure_smtp():
    result = run_python(
        "-c",
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS)",
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        SECRET_KEY="dev-secret-for-the-test",
        EMAIL_URL=None,
        EMAIL_HOST="mail.example.vn",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [SMTP, "mail.example.vn", "587", "True"]


def test_production_never_prints_mail_to_the_console():
    result = run_python(
        "-c",
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND)",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="a-long-production-secret-for-the-test",
        ALLOWED_HOSTS="dichvucong.example.vn",
        EMAIL_URL=None,
        EMAIL_HOST=None,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == SMTP
