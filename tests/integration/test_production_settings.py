"""Production settings for several app servers: what the environment turns on (persistent
database connections, sessions in the shared cache, S3-compatible storage), read in a fresh
interpreter as a server would; and citizens' files served from S3 through the portal's own
views, checked against moto's in-process S3."""

import json
import os
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

S3 = "storages.backends.s3.S3Storage"
FILESYSTEM = "django.core.files.storage.FileSystemStorage"
CACHED_DB = "django.contrib.sessions.backends.cached_db"

# Run by a fresh interpreter: for each environment it is given (JSON on stdin), import
# production settings anew under that environment, as a server starting with it would, and
# print what they set up: the database options, sessions, cache, and each storage built
# from its STORAGES entry (with the URL it would give a stored file).
PROBE = """
import importlib
import json
import os
import sys

from django.conf import settings

settings.configure()  # library defaults only: every storage option comes from STORAGES
from django.utils.module_loading import import_string

OPTIONS = (
    "bucket_name", "endpoint_url", "region_name", "file_overwrite", "querystring_auth",
    "querystring_expire", "custom_domain", "default_acl", "access_key", "max_memory_size",
)
BASE = dict(os.environ)


def describe(config):
    storage = import_string(config["BACKEND"])(**config.get("OPTIONS", {}))
    info = {"class": config["BACKEND"]}
    info.update({name: getattr(storage, name) for name in OPTIONS if hasattr(storage, name)})
    if config["BACKEND"].startswith("storages."):
        info["url"] = storage.url("dossiers/7/0123abcd")
    return info


def load(env):
    os.environ.clear()
    os.environ.update(BASE, **env)
    for name in list(sys.modules):
        if name.startswith("portal.settings"):
            del sys.modules[name]
    try:
        module = importlib.import_module("portal.settings.production")
    except Exception as error:
        return {"error": f"{type(error).__name__}: {error}"}
    database = module.DATABASES["default"]
    return {
        "CONN_MAX_AGE": database["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": database["CONN_HEALTH_CHECKS"],
        "SESSION_ENGINE": module.SESSION_ENGINE,
        "SESSION_CACHE_ALIAS": getattr(module, "SESSION_CACHE_ALIAS", "default"),
        "cache": module.CACHES["default"]["BACKEND"],
        "cache_location": module.CACHES["default"].get("LOCATION"),
        "AWS_S3_FILE_OVERWRITE": module.AWS_S3_FILE_OVERWRITE,
        "default": describe(module.STORAGES["default"]),
        "private": describe(module.STORAGES["private"]),
    }


print(json.dumps([load(env) for env in json.load(sys.stdin)]))
"""

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "a-long-production-secret-for-the-test",
    "ALLOWED_HOSTS": "dichvucong.example.vn",
}
# Variables of the developer's or CI's own environment that would change the answers.
SCRUBBED = ("REDIS_URL", "CONN_MAX_AGE", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "CACHE_DIR")

BUCKETS = {
    "AWS_STORAGE_BUCKET_NAME": "dvc-public",
    "AWS_PRIVATE_STORAGE_BUCKET_NAME": "dvc-private",
    "AWS_S3_ENDPOINT_URL": "https://s3.hcm.example-cloud.vn",
    "AWS_S3_REGION_NAME": "hcm-1",
    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEKEY",
    "AWS_SECRET_ACCESS_KEY": "example-secret-key-for-the-test",
}
CDN = {"AWS_S3_CUSTOM_DOMAIN": "media.dichvucong.example.vn"}
SAME_BUCKET = {
    "AWS_STORAGE_BUCKET_NAME": "dvc-files",
    "AWS_PRIVATE_STORAGE_BUCKET_NAME": "dvc-files",
}

# Every environment the tests below look at, read by one interpreter (importing Django and
# the settings once per environment would cost seconds each).
ENVIRONMENTS = {
    "plain": {},
    "conn_max_age_300": {"CONN_MAX_AGE": "300"},
    "conn_max_age_0": {"CONN_MAX_AGE": "0"},
    "redis": {"REDIS_URL": "redis://cache.internal:6379/0"},
    "cache_dir": {"CACHE_DIR": "/srv/portal/cache"},
    "buckets": {**BUCKETS, **CDN},
    "private_bucket_only": {
        "AWS_PRIVATE_STORAGE_BUCKET_NAME": "dvc-private",
        "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEKEY",
        "AWS_SECRET_ACCESS_KEY": "example-secret-key-for-the-test",
    },
    "same_bucket": SAME_BUCKET,
}


@pytest.fixture(scope="module")
def production():
    """What production settings make of each environment in ENVIRONMENTS."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("AWS_") and name not in SCRUBBED
    }
    env.update(PRODUCTION)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        input=json.dumps(list(ENVIRONMENTS.values())),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return dict(zip(ENVIRONMENTS, json.loads(result.stdout), strict=True))


# Database --------------------------------------------------------------------------------
def test_database_connections_persist_for_a_minute_and_are_checked_before_reuse(production):
    found = production["plain"]

    assert found["CONN_MAX_AGE"] == 60
    assert found["CONN_HEALTH_CHECKS"] is True


def test_conn_max_age_comes_from_the_environment(production):
    assert production["conn_max_age_300"]["CONN_MAX_AGE"] == 300
    assert production["conn_max_age_0"]["CONN_MAX_AGE"] == 0


# Sessions and cache -------------------------------------------------------------------------
def test_with_redis_sessions_are_read_from_the_shared_cache_and_written_to_the_database(
    production,
):
    found = production["redis"]

    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["cache_location"] == "redis://cache.internal:6379/0"
    # cached_db writes every session through to the database; allauth's rate limits and
    # the failed-login counters use the same default cache, so every server shares them.
    assert found["SESSION_ENGINE"] == CACHED_DB
    assert found["SESSION_CACHE_ALIAS"] == "default"


def test_without_a_shared_cache_sessions_are_read_from_the_database_alone(production):
    # A per-process memory cache in front of the sessions would let one gunicorn worker
    # trust a session that another worker has logged out.
    found = production["plain"]

    assert found["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_without_redis_the_workers_of_a_server_share_a_cache_folder(production):
    plain = production["plain"]
    assert plain["cache"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert plain["cache_location"].endswith("portal-cache")
    assert production["cache_dir"]["cache_location"] == "/srv/portal/cache"


SHARED_VERSION = """
import sys
import django
django.setup()
from core.caching import _new_version, cache_version
if sys.argv[1] == "publish":
    _new_version()
print(cache_version())
"""


def test_a_publish_in_one_worker_replaces_the_page_cache_version_of_the_others(tmp_path):
    """Two processes stand for two gunicorn workers of one server without Redis."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("AWS_") and name not in SCRUBBED
    }
    env.update(PRODUCTION, CACHE_DIR=str(tmp_path))

    def worker(action):
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", SHARED_VERSION, action],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    before = worker("read")
    assert worker("read") == before
    published = worker("publish")
    assert published != before
    assert worker("read") == published


# Storage ---------------------------------------------------------------------------------
def test_without_buckets_files_stay_in_the_local_folders(production):
    found = production["plain"]

    assert found["default"]["class"] == FILESYSTEM
    assert found["private"]["class"] == FILESYSTEM


def test_public_files_go_to_their_bucket_under_plain_urls(production):
    found = production["buckets"]
    public = found["default"]

    assert public["class"] == S3
    assert public["bucket_name"] == "dvc-public"
    assert public["endpoint_url"] == "https://s3.hcm.example-cloud.vn"
    assert public["region_name"] == "hcm-1"
    assert public["access_key"] == "AKIAEXAMPLEKEY"
    assert public["file_overwrite"] is False
    assert found["AWS_S3_FILE_OVERWRITE"] is False
    assert public["querystring_auth"] is False
    assert public["url"] == "https://media.dichvucong.example.vn/dossiers/7/0123abcd"


def test_private_files_go_to_their_own_bucket_and_never_get_a_lasting_url(production):
    # Even with a CDN domain set for the public files, a private file's URL (which the
    # portal never hands out: its views stream the files) is signed and lasts 60 seconds.
    found = production["buckets"]
    private = found["private"]

    assert private["class"] == S3
    assert private["bucket_name"] == "dvc-private"
    assert private["endpoint_url"] == "https://s3.hcm.example-cloud.vn"
    assert private["file_overwrite"] is False
    assert private["querystring_auth"] is True
    assert private["querystring_expire"] == 60
    assert private["custom_domain"] is None
    assert private["default_acl"] is None
    url = urlsplit(private["url"])
    assert url.netloc == "s3.hcm.example-cloud.vn"
    assert url.path == "/dvc-private/dossiers/7/0123abcd"
    query = parse_qs(url.query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query


def test_each_bucket_is_optional(production):
    found = production["private_bucket_only"]

    assert found["default"]["class"] == FILESYSTEM
    assert found["private"]["class"] == S3
    assert found["private"]["endpoint_url"] is None  # AWS itself


def test_private_files_may_not_share_the_public_bucket(production):
    error = production["same_bucket"]["error"]

    assert error.startswith("ImproperlyConfigured: ")
    assert "AWS_PRIVATE_STORAGE_BUCKET_NAME" in error


# Citizens' files in S3 (moto's in-process S3) --------------------------------------------
@pytest.fixture
def private_s3(monkeypatch):
    """Citizens' files in an S3 bucket configured as production.py configures it."""
    moto = pytest.importorskip("moto", reason="moto (test requirement) is not installed")
    from storages.backends.s3 import S3Storage

    from forms_app.models import DossierFile, DossierResult

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with moto.mock_aws():
        storage = S3Storage(
            bucket_name="dvc-private-test",
            region_name="us-east-1",
            file_overwrite=False,
            querystring_auth=True,
            querystring_expire=60,
            custom_domain=None,
            default_acl=None,
        )
        storage.connection.meta.client.create_bucket(Bucket="dvc-private-test")
        # The FileFields looked their storage up once, at import: point them at the bucket.
        monkeypatch.setattr(DossierFile._meta.get_field("file"), "storage", storage)
        monkeypatch.setattr(DossierResult._meta.get_field("file"), "storage", storage)
        yield storage


@pytest.mark.django_db
def test_the_owner_downloads_a_file_streamed_from_s3(client, private_s3):
    from forms_app.tests.factories import make_dossier

    dossier = make_dossier(files=("giay-khai-sinh.pdf",))
    attachment = dossier.files.get()
    client.force_login(dossier.applicant)

    response = client.get(
        reverse("dossiers:file", kwargs={"code": dossier.code, "file_id": attachment.pk})
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"abc"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == "3"
    assert response["Content-Disposition"] == 'attachment; filename="giay-khai-sinh.pdf"'
    # Stored under a server-made name in the private bucket, readable by its owner only.
    assert attachment.file.name.startswith(f"dossiers/{dossier.pk}/")
    client_s3 = private_s3.connection.meta.client
    grants = client_s3.get_object_acl(Bucket="dvc-private-test", Key=attachment.file.name)
    assert [grant["Permission"] for grant in grants["Grants"]] == ["FULL_CONTROL"]
    assert "URI" not in grants["Grants"][0]["Grantee"]  # no AllUsers / AuthenticatedUsers


@pytest.mark.django_db
def test_anyone_else_gets_404_for_a_file_in_s3(client, private_s3):
    from accounts.tests.factories import UserFactory
    from core.tests.access import assert_only_the_owner_reaches
    from forms_app.tests.factories import make_dossier

    dossier = make_dossier(files=("giay-khai-sinh.pdf",))
    attachment = dossier.files.get()

    response = assert_only_the_owner_reaches(
        client,
        "get",
        reverse("dossiers:file", kwargs={"code": dossier.code, "file_id": attachment.pk}),
        owner=dossier.applicant,
        others=[UserFactory(verified=True)],
    )

    assert b"".join(response.streaming_content) == b"abc"


@pytest.mark.django_db
def test_two_uploads_of_the_same_name_never_replace_each_other(private_s3):
    from django.core.files.base import ContentFile

    first = private_s3.save("dossiers/1/to-khai.pdf", ContentFile(b"first"))
    second = private_s3.save("dossiers/1/to-khai.pdf", ContentFile(b"second"))

    assert first != second
    assert private_s3.open(first).read() == b"first"
    assert private_s3.open(second).read() == b"second"


@pytest.mark.django_db
def test_purge_drafts_sweeps_stray_files_from_s3(private_s3):
    from django.core.files.base import ContentFile

    from forms_app.services.submission import purge_drafts

    stray = private_s3.save("dossiers/999/0123abcd", ContentFile(b"left by a crash"))

    purge_drafts(max_age_days=-1)  # everything counts as old

    assert not private_s3.exists(stray)
