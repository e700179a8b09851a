"""Two app servers, one database: a citizen's submission hops between them.

Two gunicorn processes (production settings, relaxed only for plain HTTP:
``portal.settings.twoservers``) serve one PostgreSQL database that this test creates and
drops, share the cache (Redis at 127.0.0.1:6379 db 1, or the database cache when Redis does
not answer) and keep sessions in ``cached_db``. Files go to S3-compatible storage (moto's S3
server on 127.0.0.1), and each server gets MEDIA_ROOT and PRIVATE_MEDIA_ROOT folders of its
own that must stay empty: nothing a server writes on its own disk is needed by the other.

A citizen logs in on A, fills step 1 on B, step 2 on A, uploads on B and presses "Gửi đi" on
A, over plain HTTP with a cookie jar and the CSRF tokens of the forms; the dossier and its
file are then visible on both, and logging out on one server ends the session on the other.

PostgreSQL only: two servers need a database server they both reach (with SQLite the
suite's database is a file, or memory, of one process).
"""

import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connections

DATABASE = settings.DATABASES["default"]
REDIS_URL = "redis://127.0.0.1:6379/1"
PASSWORD = "Cong-Dan-2026"  # a throw-away account in a throw-away database
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = [
    pytest.mark.postgresql_only(
        "two app servers need a database server both reach; SQLite is a file of one process"
    ),
    # Not for this process's own use: so that pytest-django creates the suite's test
    # database, which the servers' database is copied from.
    pytest.mark.django_db,
]

# Seeds the new database (run by `manage.py shell` with the servers' settings): a live
# level-4 procedure with its own online form and one dossier component, and a verified
# citizen. Prints what the walk needs as JSON.
SEED = f"""
import json
from accounts.tests.factories import UserFactory
from forms_app.tests.wizard import add_form_fields
from procedures.tests.factories import make_agency, make_procedure

procedure = add_form_fields(make_procedure(make_agency(), title="Đăng ký khai sinh"))
citizen = UserFactory(email="hai.may.chu@example.vn", verified=True, password={PASSWORD!r})
print(json.dumps({{"procedure": procedure.pk, "email": citizen.email}}))
"""


# Services --------------------------------------------------------------------------------
def postgres_server():
    """Connection keywords for the PostgreSQL server of the suite's own database."""
    return {
        "host": DATABASE["HOST"] or "127.0.0.1",
        "port": DATABASE["PORT"] or 5432,
        "user": DATABASE["USER"] or "postgres",
        "password": DATABASE["PASSWORD"] or None,
    }


def postgres(sql, dbname="postgres"):
    """Run one statement (autocommit: CREATE/DROP DATABASE need it); rows of a SELECT."""
    import psycopg

    server = postgres_server()
    with psycopg.connect(dbname=dbname, autocommit=True, connect_timeout=3, **server) as c:
        cursor = c.execute(sql)
        return cursor.fetchall() if cursor.description else None


def database_url(name):
    server = postgres_server()
    password = f":{quote(server['password'], safe='')}" if server["password"] else ""
    user = quote(server["user"], safe="")
    return f"postgres://{user}{password}@{server['host']}:{server['port']}/{name}"


def redis_answers():
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # any failure means: use the database cache
        return False


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, timeout=300):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}"
    return result.stdout


def wait_until_healthy(base_url, process, log, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{base_url} exited:\n{Path(log).read_text()[-3000:]}")
        url = f"{base_url}/healthz"
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            if response.status == 200:
                return
        time.sleep(0.3)
    pytest.fail(f"{base_url} did not answer /healthz within {timeout} s")


@pytest.fixture(scope="module")
def s3():
    """moto's S3 server on 127.0.0.1 with a public and a private bucket; None without
    moto (a test requirement), and then the servers share their local folders instead."""
    try:
        import boto3
        from moto.server import ThreadedMotoServer
    except ImportError:
        yield None
        return

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "AWS_S3_ENDPOINT_URL": f"http://{host}:{port}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": "two-servers",
        "AWS_SECRET_ACCESS_KEY": "two-servers-secret",
        "AWS_STORAGE_BUCKET_NAME": "portal-public",
        "AWS_PRIVATE_STORAGE_BUCKET_NAME": "portal-private",
    }
    client = boto3.client(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )
    for bucket in ("portal-public", "portal-private"):
        client.create_bucket(Bucket=bucket)
    yield env, client
    server.stop()


@pytest.fixture(scope="module")
def servers(s3, django_db_setup):
    """Servers A and B (base URLs) on one new database, with what the seed made.

    The database is a copy of the suite's own test database (already migrated by
    pytest-django: a copy takes a second where migrating takes a minute), or, when that
    cannot be copied, a new one that is migrated here."""
    try:
        postgres("SELECT 1")
    except Exception as error:
        pytest.skip(f"PostgreSQL does not answer at {postgres_server()['host']}: {error}")
    s3_env, s3_client = s3 or ({}, None)
    name = f"portal_twoservers_{os.getpid()}"  # concurrent runs never share it
    prefix = f"portal-twoservers-{uuid.uuid4().hex[:12]}"
    workdir = Path(tempfile.mkdtemp(prefix="portal-two-servers-"))
    use_redis = redis_answers()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "DJANGO_", "PYTEST_")) and key != "REDIS_URL"
    }
    env.update(
        s3_env,
        DJANGO_SETTINGS_MODULE="portal.settings.twoservers",
        DATABASE_URL=database_url(name),
        CONN_MAX_AGE="60",
        SECRET_KEY=f"two-servers-{uuid.uuid4().hex}",
        ALLOWED_HOSTS="127.0.0.1",
        TWOSERVERS_CACHE_PREFIX=prefix,
        LOG_LEVEL="WARNING",
        MEDIA_ROOT=str(workdir / "setup" / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "setup" / "private_media"),
    )
    if use_redis:
        env["REDIS_URL"] = REDIS_URL
    else:
        env["TWOSERVERS_CACHE"] = "database"

    postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    template = connections["default"].settings_dict["NAME"]
    connections.close_all()  # a template must have no other connection while it is copied
    try:
        postgres(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        migrated = True
    except Exception:  # in use by someone else, say: start from an empty database
        postgres(f'CREATE DATABASE "{name}"')
        migrated = False
    processes = []
    try:
        if not migrated:
            manage(env, "migrate", "--no-input", "-v", "0")
        if not use_redis:
            manage(env, "createcachetable")
        seeded = json.loads(manage(env, "shell", "-v", "0", "-c", SEED).strip().splitlines()[-1])
        bases = {}
        for server in ("A", "B"):
            port = free_port()
            own = workdir / (server if s3 else "shared")
            server_env = {
                **env,
                "MEDIA_ROOT": str(own / "media"),
                "PRIVATE_MEDIA_ROOT": str(own / "private_media"),
            }
            log = workdir / f"gunicorn-{server}.log"
            process = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "portal.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "5",
                ],
                cwd=settings.BASE_DIR,
                env=server_env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
            processes.append(process)
            bases[server] = (f"http://127.0.0.1:{port}", process, log)
        for base_url, process, log in bases.values():
            wait_until_healthy(base_url, process, log)
        yield {
            "A": bases["A"][0],
            "B": bases["B"][0],
            "procedure": seeded["procedure"],
            "email": seeded["email"],
            "workdir": workdir,
            "cache": "redis" if use_redis else "database",
            "prefix": prefix,
            "database": name,
            "s3": s3_client,
            "logs": [log for _, _, log in bases.values()],
        }
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if use_redis:
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(match=f"{prefix}-*"))
            if keys:
                client.delete(*keys)
        shutil.rmtree(workdir, ignore_errors=True)


# A browser of sorts: a cookie jar, no automatic redirects, forms read from the HTML ------
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test decides which server follows each redirect


class Browser:
    def __init__(self, jar=None):
        self.jar = jar or http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, base_url, path, data=None, files=None):
        headers = {}
        body = None
        if files:
            body, content_type = multipart(data or {}, files)
            headers["Content-Type"] = content_type
        elif data is not None:
            body = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(base_url + path, data=body, headers=headers)  # noqa: S310
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            response = error
        with response:
            content = response.read()
        return Page(response.status, response.headers, content)

    def get(self, base_url, path):
        return self.request(base_url, path)

    def post(self, base_url, path, data, files=None):
        return self.request(base_url, path, data=data, files=files)

    def cookie(self, name):
        return next((cookie.value for cookie in self.jar if cookie.name == name), None)


class Page:
    def __init__(self, status, headers, content):
        self.status = status
        self.headers = headers
        self.content = content

    @property
    def text(self):
        return self.content.decode()

    @property
    def location(self):
        return urlsplit(self.headers["Location"]).path if "Location" in self.headers else None

    def form_data(self, form_id=None, containing=None):
        """The fields a browser would send from a form (the one with ``form_id``, or the
        one with a field named ``containing``): hidden and pre-filled values, checked boxes
        and radios, selected options, and fields outside it that name it in ``form=``."""
        soup = BeautifulSoup(self.content, "html.parser")
        if form_id:
            form = soup.find("form", id=form_id)
        else:
            form = soup.find(attrs={"name": containing}).find_parent("form")
        assert form is not None, self.text[:2000]
        fields = form.find_all(["input", "select", "textarea"])
        if form_id:
            fields += soup.find_all(["input", "select", "textarea"], attrs={"form": form_id})
        data = {}
        for field in fields:
            name = field.get("name")
            kind = field.get("type", "text")
            if not name or kind in {"file", "submit", "button"}:
                continue
            if kind in {"checkbox", "radio"}:
                if field.has_attr("checked"):
                    data.setdefault(name, []).append(field.get("value", "on"))
            elif field.name == "select":
                chosen = field.find("option", selected=True) or field.find("option")
                data[name] = [chosen.get("value", "")] if chosen else []
            elif field.name == "textarea":
                data[name] = [field.get_text()]
            else:
                data[name] = [field.get("value", "")]
        return data

    def file_inputs(self):
        soup = BeautifulSoup(self.content, "html.parser")
        return [field["name"] for field in soup.find_all("input", attrs={"type": "file"})]


def multipart(data, files):
    boundary = f"----portal{uuid.uuid4().hex}"
    parts = []
    for name, values in data.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                + str(value).encode()
                + b"\r\n"
            )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def step_path(procedure, step):
    return f"/nop-ho-so/{procedure}/{step}/"


def post_step(browser, base_url, page, path, fields, files=None):
    """Post the wizard's form as shown on ``page``, with ``fields`` filled in."""
    data = page.form_data(form_id="wizard-form")
    data.update({name: [value] for name, value in fields.items()})
    return browser.post(base_url, path, data, files=files)


def cached_sessions(servers):
    """How many sessions the shared cache holds (cached_db puts each one there)."""
    if servers["cache"] == "redis":
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        return len(list(client.scan_iter(match=f"{servers['prefix']}-default:*cached_db*")))
    rows = postgres(
        "SELECT count(*) FROM twoservers_cache_default WHERE cache_key LIKE '%cached_db%'",
        dbname=servers["database"],
    )
    return rows[0][0]


# The walk ----------------------------------------------------------------------------------
def test_a_submission_alternating_between_two_servers(servers):
    a, b, procedure = servers["A"], servers["B"], servers["procedure"]
    citizen = Browser()

    # Log in on A.
    login = citizen.get(a, "/tai-khoan/login/")
    assert login.status == 200
    data = login.form_data(containing="login")
    data.update(login=[servers["email"]], password=[PASSWORD])
    logged_in = citizen.post(a, "/tai-khoan/login/", data)
    assert logged_in.status == 302, logged_in.text[:3000]
    session = citizen.cookie("sessionid")
    assert session
    assert cached_sessions(servers) >= 1

    # B knows the session A made: "Hồ sơ cá nhân" opens instead of the login page.
    assert citizen.get(b, "/ho-so/").status == 200

    # Start on B, step 1 "Tiếp nhận hồ sơ" on B.
    start = citizen.get(b, f"/nop-ho-so/{procedure}/")
    assert start.status == 302
    assert start.location == step_path(procedure, "tiep-nhan-ho-so")
    step1 = citizen.get(b, start.location)
    assert step1.status == 200
    assert "Bước 1/5" in step1.text
    sent = post_step(
        citizen,
        b,
        step1,
        start.location,
        {
            "tiep-nhan-ho-so-full_name": "Nguyễn Thị Hai Máy",
            "tiep-nhan-ho-so-date_of_birth": "1991-03-04",
            "tiep-nhan-ho-so-cccd": "001191000002",
            "tiep-nhan-ho-so-phone": "0912345678",
            "tiep-nhan-ho-so-email": servers["email"],
            "tiep-nhan-ho-so-address": "Số 2 Lê Lợi, Phường Bến Nghé",
            "tiep-nhan-ho-so-applicant_type": "citizen",
        },
    )
    assert sent.status == 302, sent.text[:3000]
    assert sent.location == step_path(procedure, "to-khai")

    # Step 2, the procedure's own form, on A: it continues the draft B saved.
    step2 = citizen.get(a, sent.location)
    assert step2.status == 200
    assert "Bước 2/5" in step2.text
    sent = post_step(
        citizen,
        a,
        step2,
        sent.location,
        {"to-khai-ho_ten_nguoi_duoc_khai_sinh": "Nguyễn Văn Bé", "to-khai-noi_sinh": "Bệnh viện"},
    )
    assert sent.status == 302, sent.text[:3000]
    assert sent.location == step_path(procedure, "thanh-phan-ho-so")

    # The upload on B.
    step3 = citizen.get(b, sent.location)
    assert step3.status == 200
    (file_input,) = step3.file_inputs()
    sent = post_step(
        citizen,
        b,
        step3,
        sent.location,
        {},
        files={file_input: ("giay-chung-sinh.pdf", PDF, "application/pdf")},
    )
    assert sent.status == 302, sent.text[:3000]
    assert sent.location == step_path(procedure, "nhan-ket-qua")

    # How the result is received, on A.
    step4 = citizen.get(a, sent.location)
    assert step4.status == 200
    sent = post_step(
        citizen, a, step4, sent.location, {"nhan-ket-qua-result_delivery": "at_agency"}
    )
    assert sent.status == 302, sent.text[:3000]
    assert sent.location == step_path(procedure, "xac-nhan")

    # The review, shown by B, holds what both servers saved, the file included.
    review = citizen.get(b, sent.location)
    assert review.status == 200
    assert "Nguyễn Thị Hai Máy" in review.text
    assert "Nguyễn Văn Bé" in review.text
    assert "giay-chung-sinh.pdf" in review.text

    # "Gửi đi" on A.
    assert "Gửi đi" in review.text
    sent = post_step(citizen, a, review, sent.location, {"xac-nhan-declaration": "on"})
    assert sent.status == 302, sent.text[:3000]
    match = re.fullmatch(r"/ho-so/([A-Z0-9.]+-\d{6}-\d{4})/", sent.location or "")
    assert match, sent.location
    code = match.group(1)

    # The dossier, and the file uploaded through B, on both servers.
    for server in (a, b):
        listing = citizen.get(server, "/ho-so/")
        assert listing.status == 200
        assert code in listing.text
        detail = citizen.get(server, f"/ho-so/{code}/")
        assert detail.status == 200
        assert "Chờ tiếp nhận" in detail.text
        (download,) = re.findall(rf'href="(/ho-so/{re.escape(code)}/tep/\d+/)"', detail.text)
        file = citizen.get(server, download)
        assert file.status == 200
        assert file.content == PDF
        assert "giay-chung-sinh.pdf" in file.headers["Content-Disposition"]

    if servers["s3"] is not None:
        # The file is in the private bucket, and no server wrote a file on its own disk.
        stored = servers["s3"].list_objects_v2(Bucket="portal-private").get("Contents", [])
        assert [item["Key"].split("/")[0] for item in stored] == ["dossiers"]
        for server in ("A", "B"):
            folder = servers["workdir"] / server
            left = [path for path in folder.rglob("*") if path.is_file()]
            assert left == [], f"server {server} wrote on its own disk: {left}"

    # Logging out on B ends the session on A as well (no stale copy in A's memory).
    logout = citizen.get(b, "/tai-khoan/logout/")
    assert logout.status == 200
    logged_out = citizen.post(
        b, "/tai-khoan/logout/", logout.form_data(containing="csrfmiddlewaretoken")
    )
    assert logged_out.status == 302
    stolen = Browser()
    stolen.jar.set_cookie(cookie_for("sessionid", session))
    after = stolen.get(a, "/ho-so/")
    assert after.status == 302
    assert after.location == "/tai-khoan/login/"


def cookie_for(name, value):
    return http.cookiejar.Cookie(
        version=0,
        name=name,
        value=value,
        port=None,
        port_specified=False,
        domain="127.0.0.1",
        domain_specified=False,
        domain_initial_dot=False,
        path="/",
        path_specified=True,
        secure=False,
        expires=None,
        discard=True,
        comment=None,
        comment_url=None,
        rest={},
    )
