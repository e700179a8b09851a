"""The benchmark's measurements that run inside Django, against the benchmark database.

``python -m bench.probe COMMAND`` with the same environment as the benchmark's gunicorn
(``bench.settings``: production, DEBUG off) prints one JSON object as its last line:

- ``info``: what the run seeded (live procedures, dossiers) and the URLs to load.
- ``queries``: SQL queries (Django's ``CaptureQueriesContext``, which records them with
  DEBUG off) and in-process render time of a procedure page, the search page and the
  "Hồ sơ cá nhân" list (``/ho-so/``) for a citizen with 10 dossiers, for the demo citizen
  with about half of the seeded ones, and — inside a transaction that is rolled back —
  for a citizen who owns every submitted dossier of the database.
- ``submit --seconds S --worker N``: complete online submissions in a loop for S seconds,
  through the services the wizard calls (``save_draft_state``, ``attach_files`` with two
  PDFs checked by ``clean_upload``, ``submit_dossier``). The commit queues the
  acknowledgement (production's ``TASK_BACKEND=database``), as on the live site.
- ``drain``: ``manage.py db_worker --batch`` runs what the submissions queued (PDF with QR
  code, e-mail to the locmem backend): how fast one worker process keeps up.
- ``parallel --count N``: N citizens with ready drafts for one procedure press "Gửi đi"
  at the same moment, one thread and one database connection each; the codes must be N
  distinct numbers with no gap.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time
import traceback
from collections import Counter


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


SEARCH_QUERIES = [
    "khai sinh",
    "giấy phép",
    "đăng ký",
    "lý lịch tư pháp",
    "hộ kinh doanh",
    "cấp lại giấy chứng nhận",
    "dang ky ket hon",
]

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLICANT = {
    "full_name": "Nguyễn Văn Đo",
    "date_of_birth": "1990-01-02",
    "cccd": "001090000001",
    "phone": "0912345678",
    "email": "bench@example.vn",
    "address": "Số 1 Lê Lợi, Phường Bến Nghé",
    "applicant_type": "citizen",
}


def _emit(payload):
    print(json.dumps(payload, ensure_ascii=False, default=str))


# What to load ----------------------------------------------------------------------------


def main_procedure():
    """The page loaded for "procedure page": "Đăng ký khai sinh", a real level-4 procedure
    with templates, fees and legal basis (the richest kind of page)."""
    from procedures.models import ProcedurePage

    page = ProcedurePage.objects.live().filter(title="Đăng ký khai sinh").first()
    return page or ProcedurePage.objects.live().order_by("pk").first()


def synthetic_procedure():
    from procedures.models import ProcedurePage

    return ProcedurePage.objects.live().filter(code__startswith="9.").order_by("-pk").first()


def search_index_url():
    from procedures.models import ProcedureIndexPage

    index = ProcedureIndexPage.objects.live().first()
    return index.url if index else "/thu-tuc/"


def info():
    from forms_app.models import Dossier
    from procedures.models import ProcedurePage

    page = main_procedure()
    synthetic = synthetic_procedure()
    search_url = search_index_url()
    return {
        "procedures": ProcedurePage.objects.live().count(),
        "synthetic_procedures": ProcedurePage.objects.filter(code__startswith="9.").count(),
        "dossiers": Dossier.objects.count(),
        "procedure_url": page.url,
        "procedure_title": page.title,
        "synthetic_procedure_url": synthetic.url if synthetic else None,
        "search_url": search_url,
        "search_queries": SEARCH_QUERIES,
    }


# Query counts ----------------------------------------------------------------------------


def _client(user=None):
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user)
    return client


def _measure(client, url, *, renders=5, data=None):
    """Render ``url`` once to warm up, then ``renders`` times: the queries of the last
    render and the median time of them all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get(url, data)
    times = []
    for _ in range(renders):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, data)
            times.append((time.perf_counter() - start) * 1000)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {first.status_code}, then {response.status_code}")
    return {
        "queries": len(captured.captured_queries),
        "render_ms": round(statistics.median(times), 1),
        "page_cache": response.get("X-Page-Cache"),
        "sql": [query["sql"] for query in captured.captured_queries],
    }


def _repeated(sql_list):
    """The statements run more than once in one render, with how often (an N+1 shows up
    here), shortened to their first 160 characters."""
    shapes = Counter(sql[:160] for sql in sql_list)
    return {shape: count for shape, count in shapes.most_common() if count > 1}


def _citizen(email, full_name):
    from allauth.account.models import EmailAddress

    from accounts.models import User

    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "is_active": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user


def _give_dossiers(user, count):
    """Exactly ``count`` submitted dossiers for ``user`` (written like the seeded ones)."""
    from django.utils import timezone

    from forms_app.constants import DossierStatus
    from forms_app.models import Dossier
    from forms_app.selectors import default_agency, submittable_procedures
    from forms_app.submission.codes import new_lookup_key

    have = Dossier.objects.filter(applicant=user).count()
    procedure = submittable_procedures().order_by("pk").first()
    agency = default_agency(procedure)
    now = timezone.now()
    Dossier.objects.bulk_create(
        Dossier(
            code=f"BENCH-{user.pk}-{number:05d}",
            lookup_key=new_lookup_key(),
            procedure=procedure,
            agency=agency,
            applicant=user,
            status=DossierStatus.SUBMITTED,
            submitted_at=now,
            applicant_data={"full_name": user.full_name},
            snapshot={"procedure": {"title": procedure.title, "code": procedure.code}},
        )
        for number in range(have + 1, count + 1)
    )


def queries():
    from django.db import connection, transaction
    from django.test import override_settings
    from django.urls import reverse

    from accounts.models import User
    from forms_app.constants import DossierStatus
    from forms_app.models import Dossier

    result = {"sql": {}}
    anonymous = _client()

    def record(name, measured):
        result["sql"][name] = measured.pop("sql")
        measured["repeated_statements"] = _repeated(result["sql"][name])
        result[name] = measured

    # Rendered (the page cache off, as on a miss), then as the page cache serves it.
    page = main_procedure()
    synthetic = synthetic_procedure()
    search_url = search_index_url()
    for suffix, cache_seconds in (("", 0), ("_cached", 600)):
        with override_settings(PAGE_CACHE_SECONDS=cache_seconds):
            record(f"procedure_page{suffix}", _measure(anonymous, page.url))
            if synthetic:
                record(f"synthetic_procedure_page{suffix}", _measure(anonymous, synthetic.url))
            record(
                f"search_page{suffix}", _measure(anonymous, search_url, data={"q": "khai sinh"})
            )
    result["procedure_page"]["url"] = page.url
    record("healthz", _measure(anonymous, "/healthz"))

    list_url = reverse("dossiers:list")
    few = _citizen("bench.muoi@example.com", "Lê Thị Mười")
    _give_dossiers(few, 10)
    demo = User.objects.get(email="citizen@example.com")
    sizes = {}
    for name, user in (("dossier_list_10", few), ("dossier_list_demo_citizen", demo)):
        record(name, _measure(_client(user), list_url))
        result[name]["dossiers_of_citizen"] = Dossier.objects.filter(applicant=user).count()
        sizes[result[name]["dossiers_of_citizen"]] = result[name]["queries"]
    # Every submitted dossier of the database to one citizen, then rolled back.
    everyone = _citizen("bench.tatca@example.com", "Phạm Văn Tất Cả")
    with transaction.atomic():
        Dossier.objects.exclude(status=DossierStatus.DRAFT).update(applicant=everyone)
        if connection.vendor == "postgresql":
            # A citizen's dossiers accumulate over years and autovacuum analyzes the table
            # as they do; without this, the planner's statistics know no dossier of this
            # citizen, and it sorts all 100,000 instead of walking the list index.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Dossier._meta.db_table}")
        client = _client(everyone)
        record("dossier_list_all", _measure(client, list_url))
        owned = Dossier.objects.filter(applicant=everyone).count()
        result["dossier_list_all"]["dossiers_of_citizen"] = owned
        sizes[owned] = result["dossier_list_all"]["queries"]
        last = _measure(client, list_url, renders=3, data={"page": "last"})
        result["dossier_list_all"]["last_page_render_ms"] = last["render_ms"]
        result["dossier_list_all"]["last_page_queries"] = last["queries"]
        transaction.set_rollback(True)
    result["dossier_list_queries_by_size"] = {
        str(size): count for size, count in sorted(sizes.items())
    }
    result["dossier_list_constant"] = len(set(sizes.values())) == 1
    return result


# Submissions -----------------------------------------------------------------------------


def _submission_setup():
    """The procedure submitted to, and the two components that get a PDF each (required
    ones first, so that "Gửi đi" never stops at a missing component)."""
    from forms_app.selectors import submittable_procedures

    preferred = main_procedure()
    candidates = [preferred, *submittable_procedures().exclude(code__startswith="9.")]
    for procedure in candidates:
        if procedure is None or procedure.level < 3:
            continue
        components = sorted(
            procedure.dossier_components.all(), key=lambda component: not component.required
        )
        required = [component for component in components if component.required]
        if len(required) > 2 or not components:
            continue
        if not all("pdf" in component.accepted_types for component in components[:2]):
            continue
        chosen = components[:2] if len(components) >= 2 else components * 2
        return procedure, chosen
    raise RuntimeError("no submittable procedure with at most two required components")


def _cleaned_pdf(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from forms_app.submission.uploads import clean_upload

    return clean_upload(
        SimpleUploadedFile(name, PDF_BYTES, "application/pdf"),
        accepted_types=["pdf"],
        max_size=10 * 1024 * 1024,
    )


def _prepare_draft(citizen, procedure, components):
    from forms_app import services
    from forms_app.selectors import draft_for

    draft = draft_for(citizen, procedure)
    services.save_draft_state(draft=draft, state={"step": "applicant", "bench": True})
    services.attach_files(
        draft=draft,
        uploads=[
            (component, _cleaned_pdf(f"giay-to-{number}.pdf"))
            for number, component in enumerate(components, 1)
        ],
    )
    return draft


def _send(citizen, draft):
    from forms_app import services
    from forms_app.constants import ResultDelivery

    dossier, created = services.submit_dossier(
        draft=draft,
        agency=draft.agency,
        applicant_data={**APPLICANT, "email": citizen.email},
        form_data={},
        result_delivery=ResultDelivery.AT_AGENCY,
        delivery_address="",
        actor=citizen,
    )
    if not created:
        raise RuntimeError(f"the draft of {citizen.email} was already submitted")
    return dossier


def _ms(values, fraction):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(fraction * len(values)))], 1) if values else None


def submit(seconds, worker, start_at=None):
    """Submissions completed between ``start_at`` (after one warm-up submission) and
    ``start_at + seconds``, with the time of each phase."""
    from django.core import mail

    procedure, components = _submission_setup()
    citizen = _citizen(f"bench.nop{worker}@example.com", f"Người Nộp {worker}")
    _send(citizen, _prepare_draft(citizen, procedure, components))  # warm-up
    if start_at:
        time.sleep(max(0.0, start_at - time.time()))
    late_s = round(time.time() - start_at, 2) if start_at else 0.0
    prepared, sent, totals, codes = [], [], [], []
    deadline = time.perf_counter() + seconds
    while True:
        begin = time.perf_counter()
        draft = _prepare_draft(citizen, procedure, components)
        middle = time.perf_counter()
        dossier = _send(citizen, draft)
        end = time.perf_counter()
        if end > deadline:
            break
        prepared.append((middle - begin) * 1000)
        sent.append((end - middle) * 1000)
        totals.append((end - begin) * 1000)
        codes.append(dossier.code)
        if hasattr(mail, "outbox"):
            mail.outbox.clear()
    return {
        "worker": worker,
        "procedure": procedure.title,
        "files_per_submission": len(components),
        "submissions": len(totals),
        "seconds": seconds,
        "late_s": late_s,
        "p50_ms": _ms(totals, 0.5),
        "p95_ms": _ms(totals, 0.95),
        "draft_and_files_p50_ms": _ms(prepared, 0.5),
        "send_p50_ms": _ms(sent, 0.5),
        "first_code": codes[0] if codes else None,
    }


def drain():
    """Run every queued task with one ``db_worker``: how many acknowledgements (PDF and
    e-mail) it sends per second, alongside Wagtail's own queued index updates."""
    import io

    from django.conf import settings
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return {"error": "TASK_BACKEND is not database: nothing is queued"}
    queued = DBTaskResult.objects.filter(status="READY")
    ours = queued.filter(task_path="forms_app.tasks.acknowledge_dossier")
    pending = list(ours.values_list("pk", flat=True))
    tasks = queued.count()
    begin = time.perf_counter()
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    seconds = time.perf_counter() - begin
    statuses = Counter(
        DBTaskResult.objects.filter(pk__in=pending).values_list("status", flat=True)
    )
    return {
        "tasks": tasks,
        "acknowledgements": len(pending),
        "seconds": round(seconds, 2),
        "per_s": round(len(pending) / seconds, 1) if seconds else None,
        "acknowledgement_statuses": dict(statuses),
    }


def parallel(count):
    from django.db import close_old_connections, connection

    procedure, components = _submission_setup()
    prepared = []
    for number in range(count):
        citizen = _citizen(f"bench.song-song{number}@example.com", f"Công Dân {number}")
        prepared.append((citizen, _prepare_draft(citizen, procedure, components)))
    connection.close()
    barrier = threading.Barrier(count)
    codes, errors = [], []

    def press_send(citizen, draft):
        try:
            barrier.wait()
            codes.append(_send(citizen, draft).code)
        except Exception as error:  # reported in the result
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=press_send, args=pair) for pair in prepared]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    prefixes = {code.rsplit("-", 1)[0] for code in codes}
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    contiguous = (
        not errors
        and len(codes) == count
        and len(set(codes)) == count
        and len(prefixes) == 1
        and numbers == list(range(numbers[0], numbers[0] + count))
    )
    return {
        "threads": count,
        "codes": len(codes),
        "distinct": len(set(codes)),
        "contiguous": contiguous,
        "range": f"{min(codes)} … {max(codes)}" if codes else None,
        "errors": errors[:5],
        "error_count": len(errors),
        "seconds": round(elapsed, 2),
        "database_vendor": connection.vendor,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("info")
    commands.add_parser("queries")
    submit_parser = commands.add_parser("submit")
    submit_parser.add_argument("--seconds", type=float, default=10.0)
    submit_parser.add_argument("--worker", type=int, default=0)
    submit_parser.add_argument("--start-at", type=float, default=None, help="epoch seconds")
    commands.add_parser("drain")
    parallel_parser = commands.add_parser("parallel")
    parallel_parser.add_argument("--count", type=int, default=50)
    args = parser.parse_args(argv)
    _setup()
    try:
        if args.command == "info":
            _emit(info())
        elif args.command == "queries":
            _emit(queries())
        elif args.command == "submit":
            _emit(submit(args.seconds, args.worker, args.start_at))
        elif args.command == "drain":
            _emit(drain())
        else:
            _emit(parallel(args.count))
    except Exception as error:
        traceback.print_exc()
        _emit({"error": f"{type(error).__name__}: {error}"})
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
