"""``make bench``: the portal under load, with production settings, on this machine.

For SQLite (always) and PostgreSQL (when one answers on 127.0.0.1:5432), in turn:

1. a fresh database seeded with ``migrate`` and ``seed_demo --force --procedures N
   --dossiers M`` — a copy of the cache (``bench/.cache/``, PostgreSQL's template
   database) when the seed code and the sizes are those it was seeded with (seeding takes
   many minutes), with ``migrate`` run on the copy;
2. SQL query counts and in-process render times (``bench.probe queries``);
3. gunicorn (production settings, DEBUG off, ``--workers`` = 2 × cores) on a free local
   port, loaded by a separate process (``wrk`` when installed, else ``bench.loadgen``):
   ``/healthz``, a procedure page, then search ``/thu-tuc/?q=…`` one request at a time;
4. complete submissions with two PDFs per second (one ``bench.probe submit`` process per
   core, gunicorn stopped), and 50 simultaneous "Gửi đi" that must get 50 contiguous codes.

Progress goes to stderr; the last line of stdout is the result as one JSON object, also
written to ``bench/results/latest.json``. ``--help`` lists the knobs.
"""

import argparse
import contextlib
import hashlib
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CACHE = BENCH / ".cache"
RESULTS = BENCH / "results"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/portal_bench"
# Seeded once into this database, then copied (CREATE DATABASE … TEMPLATE) for each run.
PG_SEED_DB = "portal_bench_seed"

TARGETS = {
    "procedure_page_ratio": (">=", 0.6),
    "search_p95_ms": ("<=", 40),
    "queries_procedure_page": ("<=", 12),
    "submissions_per_s": (">=", 20),
}

# Files whose change makes a cached seeded database stale: the code that writes the demo
# and synthetic data. Migrations are not among them: ``migrate`` runs on every copy, so
# a new migration is applied to the cached data as it would be to a live site's.
SEED_INPUTS = [
    "home/management/commands/seed_demo.py",
    "*/demo.py",
    "procedures/demo_data/*",
    "procedures/text.py",
]


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# Environment -------------------------------------------------------------------------------


def machine():
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": memory_gb,
        "python": platform.python_version(),
        "load_average_at_start": [round(value, 2) for value in load] if load else None,
    }


def base_env(database_url, *, media, private_media, static_root):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "EMAIL_HOST", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        BENCH_STATIC_ROOT=str(static_root),
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        CONN_MAX_AGE="60",
        MEDIA_ROOT=str(media),
        PRIVATE_MEDIA_ROOT=str(private_media),
        # Production's shared cache folder (no REDIS_URL), beside this database's files:
        # a cache that outlived another run's database must not be read.
        CACHE_DIR=str(Path(media).parent / "cache"),
        EMAIL_URL="locmem://",
        PAYMENT_GATEWAY="sandbox",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def run(command, env, *, timeout=None, capture=True):
    """Run a command in the repository; return its stdout (stderr passes through)."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and scripts
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE if capture else None,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} exited with {result.returncode}")
    return result.stdout


def last_json(output):
    for line in reversed(output.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no JSON in output: {output[-500:]!r}")


def probe(env, *args, timeout=1800):
    result = last_json(run([PYTHON, "-m", "bench.probe", *args], env, timeout=timeout))
    if "error" in result:
        raise RuntimeError(f"bench.probe {' '.join(args)}: {result['error']}")
    return result


# Seeding and its cache -----------------------------------------------------------------


# Seeding runs Wagtail's index updates as it goes, as `make run`'s seed does: with
# production's database task backend, 10,000 pages would leave their index updates queued
# in the seeded database, for the first worker of every run to work through.
SEED_ENV = {"TASK_BACKEND": "immediate"}


def seed_key(procedures, dossiers):
    digest = hashlib.sha256(f"{procedures}/{dossiers}/{sorted(SEED_ENV.items())}".encode())
    files = sorted({path for pattern in SEED_INPUTS for path in ROOT.glob(pattern)})
    for path in files:
        if path.is_file() and ".venv" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def seed(env, procedures, dossiers):
    """``migrate`` and ``seed_demo`` into the database of ``env``; return the seconds."""
    env = {**env, **SEED_ENV}
    start = time.perf_counter()
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env, capture=False)
    migrated = time.perf_counter()
    command = [PYTHON, "manage.py", "seed_demo", "--force", "-v0"]
    command += ["--procedures", str(procedures), "--dossiers", str(dossiers)]
    run(command, env)
    end = time.perf_counter()
    return {
        "migrate_s": round(migrated - start, 1),
        "seed_demo_s": round(end - migrated, 1),
        "seeded_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def migrate_copy(env):
    """Apply migrations newer than the cached copy (usually none); return the seconds."""
    start = time.perf_counter()
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env, capture=False)
    return round(time.perf_counter() - start, 1)


def _copy_media(source, target):
    for name in ("media", "private_media"):
        if (source / name).exists():
            shutil.copytree(source / name, target / name, dirs_exist_ok=True)
        else:
            (target / name).mkdir(parents=True, exist_ok=True)


def prepare_sqlite(work, key, procedures, dossiers, *, static_root, reseed):
    """A copy of the cached seeded SQLite file (seeded first when the cache is stale)."""
    cached = CACHE / f"sqlite-{key}"
    info = {"cached": True}
    if reseed or not (cached / "seed.json").exists():
        info["cached"] = False
        partial = CACHE / f"sqlite-{key}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        env = base_env(
            f"sqlite:///{partial / 'db.sqlite3'}",
            media=partial / "media",
            private_media=partial / "private_media",
            static_root=static_root,
        )
        log(f"SQLite: seeding {procedures} procedures and {dossiers} dossiers (not cached)")
        timings = seed(env, procedures, dossiers)
        import sqlite3

        with contextlib.closing(sqlite3.connect(partial / "db.sqlite3")) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (partial / "seed.json").write_text(json.dumps(timings))
        shutil.rmtree(cached, ignore_errors=True)
        partial.rename(cached)
        log(f"SQLite: seeded in {timings}")
    info.update(json.loads((cached / "seed.json").read_text()))
    target = work / "sqlite"
    target.mkdir()
    shutil.copy2(cached / "db.sqlite3", target / "db.sqlite3")
    _copy_media(cached, target)
    url = f"sqlite:///{target / 'db.sqlite3'}"
    env = base_env(
        url,
        media=target / "media",
        private_media=target / "private_media",
        static_root=static_root,
    )
    info["migrate_copy_s"] = migrate_copy(env)
    return url, target, info


def _pg_server_url(url):
    parts = urlsplit(url.replace("postgres://", "postgresql://", 1))
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def pg_answers(url):
    try:
        import psycopg
    except ImportError:
        return False
    server, _name = _pg_server_url(url)
    try:
        with psycopg.connect(server, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def _pg(url, *statements):
    import psycopg

    server, _name = _pg_server_url(url)
    with psycopg.connect(server, autocommit=True) as connection:
        rows = None
        for statement in statements:
            cursor = connection.execute(statement)
            rows = cursor.fetchall() if cursor.description else None
        return rows


def _with_db(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def prepare_postgres(work, key, procedures, dossiers, url, *, static_root, reseed):
    """``portal_bench`` dropped and created from the seeded template database
    ``portal_bench_seed`` (its comment holds the seed key). When the key differs, a new
    template is seeded under another name first and swapped in only once complete, so an
    interrupted run never loses the cached one."""
    _server, name = _pg_server_url(url)
    cached = CACHE / f"postgresql-{key}"
    rows = _pg(
        url,
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
        "WHERE datname = 'portal_bench_seed'",
    )
    info = {"cached": True}
    if reseed or not rows or rows[0][0] != key or not (cached / "seed.json").exists():
        info["cached"] = False
        partial = CACHE / f"postgresql-{key}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        seeding_db = f"{PG_SEED_DB}_new"
        _pg(
            url,
            f'DROP DATABASE IF EXISTS "{seeding_db}" WITH (FORCE)',
            f'CREATE DATABASE "{seeding_db}"',
        )
        env = base_env(
            _with_db(url, seeding_db),
            media=partial / "media",
            private_media=partial / "private_media",
            static_root=static_root,
        )
        log(f"PostgreSQL: seeding {procedures} procedures and {dossiers} dossiers (not cached)")
        timings = seed(env, procedures, dossiers)
        import psycopg

        # What autovacuum would have done by the time a real site serves the catalogue.
        seeding_url = _with_db(url, seeding_db).replace("postgres://", "postgresql://", 1)
        with psycopg.connect(seeding_url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
        _pg(
            url,
            f'DROP DATABASE IF EXISTS "{PG_SEED_DB}" WITH (FORCE)',
            f'ALTER DATABASE "{seeding_db}" RENAME TO "{PG_SEED_DB}"',
            f"COMMENT ON DATABASE \"{PG_SEED_DB}\" IS '{key}'",
        )
        (partial / "seed.json").write_text(json.dumps(timings))
        shutil.rmtree(cached, ignore_errors=True)
        partial.rename(cached)
        log(f"PostgreSQL: seeded in {timings}")
    info.update(json.loads((cached / "seed.json").read_text()))
    _pg(
        url,
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}" TEMPLATE "{PG_SEED_DB}"',
    )
    target = work / "postgresql"
    target.mkdir()
    _copy_media(cached, target)
    env = base_env(
        url,
        media=target / "media",
        private_media=target / "private_media",
        static_root=static_root,
    )
    info["migrate_copy_s"] = migrate_copy(env)
    return url, target, info


# The server and the load ---------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env, workers, log_path):
    port = free_port()
    command = [
        GUNICORN,
        "portal.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log_path),
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer,
            ):
                if answer.status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /healthz in 60 s; see {log_path}")
            time.sleep(0.3)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def load(port, paths, *, duration, concurrency, tool, warmup=1.0):
    command = [PYTHON, "-m", "bench.loadgen", "--port", str(port), "--tool", tool]
    command += ["--duration", str(duration), "--concurrency", str(concurrency)]
    command += ["--warmup", str(warmup)]
    for path in paths:
        command += ["--path", path]
    return last_json(run(command, os.environ.copy()))


def check_page(port, path, requests=2):
    """Fail early if a page the load is aimed at does not answer 200; return the
    ``X-Page-Cache`` headers seen (``hit`` when the page cache served it: each gunicorn
    worker has its own local-memory cache, so a hit needs the same worker twice)."""
    url = f"http://127.0.0.1:{port}{quote(path, safe='/?=&%')}"
    headers = set()
    for _ in range(requests):
        try:
            with urllib.request.urlopen(url, timeout=60) as answer:
                headers.add(str(answer.headers.get("X-Page-Cache")))
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{path} answered {error.code}") from error
    return sorted(headers)


def _combine(rounds):
    """One summary of several rounds of the same load: requests per second over their
    total time; latency percentiles of the rounds' medians and worst p95/p99."""
    seconds = sum(one["duration_s"] for one in rounds)
    combined = {
        "tool": rounds[0]["tool"],
        "rounds": len(rounds),
        "duration_s": round(seconds, 2),
        "requests": sum(one["requests"] for one in rounds),
        "ok": sum(one["ok"] for one in rounds),
        "socket_errors": sum(
            one["socket_errors"] for one in rounds if isinstance(one["socket_errors"], int)
        ),
        "round_rps": [one["rps"] for one in rounds],
        "connections": sum(one.get("connections", 0) for one in rounds),
        "client_cpu_s": round(sum(one.get("client_cpu_s", 0) for one in rounds), 2),
    }
    combined["rps"] = round(combined["ok"] / seconds, 1) if seconds else None
    for name in ("p50_ms", "p95_ms", "p99_ms"):
        values = [one[name] for one in rounds if one.get(name) is not None]
        if values:
            combined[name] = statistics.median(values) if name == "p50_ms" else max(values)
    return combined


def _ratio(page, healthz):
    return round(page["rps"] / healthz["rps"], 3) if healthz["rps"] else None


# One database ---------------------------------------------------------------------------


def bench_database(kind, url, folder, seeding, args, static_root, work):
    env = base_env(
        url,
        media=folder / "media",
        private_media=folder / "private_media",
        static_root=static_root,
    )
    result = {"database": kind, "seeding": seeding, "load_average_at_start": os.getloadavg()}
    info = probe(env, "info")
    result["procedures"] = info["procedures"]
    result["dossiers"] = info["dossiers"]
    log(f"{kind}: {info['procedures']} live procedures, {info['dossiers']} dossiers")

    log(f"{kind}: counting SQL queries")
    counted = probe(env, "queries")
    details = {"sql": counted.pop("sql")}
    result["queries"] = counted
    result["queries_procedure_page"] = counted["procedure_page"]["queries"]
    result["queries_procedure_page_cached"] = counted["procedure_page_cached"]["queries"]
    result["queries_search_page"] = counted["search_page"]["queries"]
    result["queries_dossier_list"] = max(counted["dossier_list_queries_by_size"].values())
    result["dossier_list_constant"] = counted["dossier_list_constant"]

    search_paths = [f"{info['search_url']}?q={query}" for query in info["search_queries"]]
    # Twice: as production runs (the page cache on, its default), then with the page
    # cache off (PAGE_CACHE_SECONDS=0), which is what every cache miss costs, and what
    # search costs for the many queries nobody asked in the last minutes.
    result["load"] = {}
    for mode, cache_seconds in (("cached", None), ("uncached", "0")):
        server_env = dict(env)
        if cache_seconds is not None:
            server_env["PAGE_CACHE_SECONDS"] = cache_seconds
        log_path = work / f"gunicorn-{kind}-{mode}.log"
        with gunicorn(server_env, args.workers, log_path) as port:
            log(f"{kind}: gunicorn ({mode}) on 127.0.0.1:{port}, {args.workers} workers")
            cache_header = {}
            for path in ["/healthz", info["procedure_url"], *search_paths]:
                cache_header[path] = check_page(port, path, requests=2 * args.workers + 1)
            # Warm every worker (templates, URL resolvers, the page tree) first.
            load(
                port,
                [info["procedure_url"], *search_paths],
                duration=3,
                concurrency=args.workers * 2,
                tool="python",
                warmup=0,
            )
            # /healthz and the page alternate in short rounds, so that a burst of work
            # from other processes on the machine falls on both rather than on one.
            log(
                f"{kind} ({mode}): /healthz and {info['procedure_url']}, "
                f"{args.rounds} rounds of {args.duration / args.rounds:.1f} s each"
            )
            rounds = []
            for _ in range(args.rounds):
                rounds.append(
                    {
                        path_name: load(
                            port,
                            [path],
                            duration=args.duration / args.rounds,
                            concurrency=args.concurrency,
                            tool=args.loadgen,
                            warmup=0.5,
                        )
                        for path_name, path in (
                            ("healthz", "/healthz"),
                            ("procedure_page", info["procedure_url"]),
                        )
                    }
                )
            healthz = _combine([one["healthz"] for one in rounds])
            page = _combine([one["procedure_page"] for one in rounds])
            page["round_ratios"] = [
                _ratio(one["procedure_page"], one["healthz"]) for one in rounds
            ]
            log(f"{kind} ({mode}): search, one request at a time, {args.search_duration} s")
            search = load(
                port, search_paths, duration=args.search_duration, concurrency=1, tool="python"
            )
        result["load"][mode] = {
            "x_page_cache_seen": cache_header,
            "healthz": healthz,
            "procedure_page": page,
            "search": search,
        }
    cached, uncached = result["load"]["cached"], result["load"]["uncached"]
    result["healthz_rps"] = cached["healthz"]["rps"]
    result["procedure_page_rps"] = cached["procedure_page"]["rps"]
    result["procedure_page_ratio"] = _ratio(cached["procedure_page"], cached["healthz"])
    result["procedure_page_round_ratios"] = cached["procedure_page"]["round_ratios"]
    result["procedure_page_uncached_rps"] = uncached["procedure_page"]["rps"]
    result["procedure_page_uncached_ratio"] = _ratio(
        uncached["procedure_page"], uncached["healthz"]
    )
    result["search_p50_ms"] = uncached["search"]["p50_ms"]
    result["search_p95_ms"] = uncached["search"]["p95_ms"]
    result["search_cached_p50_ms"] = cached["search"]["p50_ms"]
    result["search_cached_p95_ms"] = cached["search"]["p95_ms"]

    log(f"{kind}: submissions for {args.submit_seconds} s in {args.submit_processes} processes")
    # Each process warms up (one submission: fonts, templates), then all count together.
    start_at = time.time() + args.submit_warmup
    processes = [
        subprocess.Popen(  # noqa: S603
            [
                PYTHON,
                "-m",
                "bench.probe",
                "submit",
                "--seconds",
                str(args.submit_seconds),
                "--worker",
                str(number),
                "--start-at",
                str(start_at),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for number in range(args.submit_processes)
    ]
    outputs = [process.communicate()[0] for process in processes]
    workers = [last_json(output) for output in outputs]
    errors = [worker["error"] for worker in workers if "error" in worker]
    if errors:
        raise RuntimeError(f"bench.probe submit: {errors}")
    total = sum(worker["submissions"] for worker in workers)
    result["submissions"] = {"processes": workers, "total": total, "seconds": args.submit_seconds}
    result["submissions_per_s"] = round(total / args.submit_seconds, 1)
    log(f"{kind}: one db_worker runs the queued acknowledgements")
    result["acknowledgements"] = probe(env, "drain")
    result["acknowledgements_per_s"] = result["acknowledgements"].get("per_s")

    log(f"{kind}: {args.parallel} simultaneous submissions")
    parallel = probe(env, "parallel", "--count", str(args.parallel))
    result["parallel"] = parallel
    result["parallel_codes_contiguous"] = parallel["contiguous"]
    return result, details


def met(name, value):
    if name not in TARGETS or value is None:
        return None
    op, target = TARGETS[name]
    return value >= target if op == ">=" else value <= target


def main(argv=None):
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=10000)
    parser.add_argument("--dossiers", type=int, default=100000)
    parser.add_argument(
        "--databases",
        default="auto",
        help="comma-separated among sqlite,postgresql; auto: sqlite, and postgresql if it answers",
    )
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--workers", type=int, default=2 * cores, help="gunicorn workers")
    parser.add_argument("--concurrency", type=int, default=None, help="default: 2 × workers")
    parser.add_argument(
        "--duration", type=float, default=12.0, help="seconds of /healthz, and of the page"
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of both")
    parser.add_argument("--search-duration", type=float, default=15.0)
    parser.add_argument("--submit-seconds", type=float, default=10.0)
    parser.add_argument("--submit-processes", type=int, default=cores)
    parser.add_argument("--submit-warmup", type=float, default=20.0, help="seconds")
    parser.add_argument("--parallel", type=int, default=50)
    parser.add_argument("--loadgen", choices=["auto", "python", "wrk"], default="auto")
    parser.add_argument("--reseed", action="store_true", help="ignore the seeded-database cache")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    args.concurrency = args.concurrency or 2 * args.workers
    started = time.perf_counter()

    databases = ["sqlite", "postgresql"] if args.databases == "auto" else args.databases.split(",")
    if "postgresql" in databases and not pg_answers(args.postgres_url):
        if args.databases != "auto":
            parser.error(f"PostgreSQL does not answer at {args.postgres_url}")
        log(f"PostgreSQL does not answer at {args.postgres_url}: SQLite only")
        databases.remove("postgresql")

    work = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    static_root = work / "static"
    CACHE.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    key = seed_key(args.procedures, args.dossiers)
    output = {"machine": machine()}
    results, details = {}, {}
    try:
        log("collectstatic (the production manifest) into a temporary STATIC_ROOT")
        collect_env = base_env(
            f"sqlite:///{work / 'unused.sqlite3'}",
            media=work / "media",
            private_media=work / "private_media",
            static_root=static_root,
        )
        run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], collect_env)

        # Seed the stale caches of both databases side by side (two processes).
        prepared = {}
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = {}
            if "sqlite" in databases:
                futures["sqlite"] = pool.submit(
                    prepare_sqlite,
                    work,
                    key,
                    args.procedures,
                    args.dossiers,
                    static_root=static_root,
                    reseed=args.reseed,
                )
            if "postgresql" in databases:
                futures["postgresql"] = pool.submit(
                    prepare_postgres,
                    work,
                    key,
                    args.procedures,
                    args.dossiers,
                    args.postgres_url,
                    static_root=static_root,
                    reseed=args.reseed,
                )
            for kind, future in futures.items():
                prepared[kind] = future.result()
        output["prepare_s"] = round(time.perf_counter() - started, 1)

        for kind in databases:
            url, folder, seeding = prepared[kind]
            results[kind], details[kind] = bench_database(
                kind, url, folder, seeding, args, static_root, work
            )
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    primary = "postgresql" if "postgresql" in results else "sqlite"
    top = results[primary]
    summary = {"database": primary, "databases": list(results)}
    for name in HEADLINE:
        summary[name] = top[name]
    summary["targets_met"] = {name: met(name, top[name]) for name in TARGETS} | {
        "dossier_list_constant": top["dossier_list_constant"],
        "parallel_codes_contiguous": top["parallel_codes_contiguous"],
    }
    summary["per_database"] = {kind: _per_database(result) for kind, result in results.items()}
    summary["settings"] = {
        "settings_module": "bench.settings (portal.settings.production, STATIC_ROOT moved)",
        "gunicorn_workers": args.workers,
        "worker_class": "sync",
        "conn_max_age": 60,
        "cache": (
            "REDIS_URL unset: the default cache in a folder all workers share (CACHE_DIR), "
            "pages in each worker's memory"
        ),
        "concurrency": args.concurrency,
        "duration_s": args.duration,
        "search_concurrency": 1,
        "search_queries": SEARCH_NOTE,
        "loadgen": top["load"]["cached"]["healthz"]["tool"],
        "submissions": (
            "forms_app.services: save_draft_state, attach_files (2 PDFs through clean_upload), "
            "submit_dossier, which queues the acknowledgement (TASK_BACKEND=database); "
            f"{args.submit_processes} processes for {args.submit_seconds} s; then one "
            "db_worker --batch runs the queued acknowledgements (PDF, e-mail to locmem)"
        ),
    }
    summary["machine"] = output["machine"]
    summary["machine"]["load_average_at_end"] = [round(v, 2) for v in os.getloadavg()]
    summary["prepare_s"] = output["prepare_s"]
    summary["total_s"] = round(time.perf_counter() - started, 1)
    line = json.dumps(summary, ensure_ascii=False)
    (RESULTS / "latest.json").write_text(line + "\n")
    (RESULTS / "details.json").write_text(
        json.dumps({"results": results, "sql": details}, ensure_ascii=False, indent=1) + "\n"
    )
    print(line)
    return 0


HEADLINE = (
    "healthz_rps",
    "procedure_page_rps",
    "procedure_page_ratio",
    "procedure_page_round_ratios",
    "procedure_page_uncached_rps",
    "procedure_page_uncached_ratio",
    "search_p50_ms",
    "search_p95_ms",
    "search_cached_p50_ms",
    "search_cached_p95_ms",
    "procedures",
    "dossiers",
    "queries_procedure_page",
    "queries_procedure_page_cached",
    "queries_search_page",
    "queries_dossier_list",
    "dossier_list_constant",
    "submissions_per_s",
    "acknowledgements_per_s",
    "parallel_codes_contiguous",
)
SEARCH_NOTE = (
    "search_p50_ms/p95_ms: page cache off (every query rendered); "
    "search_cached_*: page cache on, the same 7 queries repeated (cache hits)"
)


def _per_database(result):
    queries = result["queries"]
    brief = {name: result[name] for name in HEADLINE if name in result}
    brief["seeding"] = result["seeding"]
    brief["load_average_at_start"] = [round(v, 2) for v in result["load_average_at_start"]]
    for mode, loads in result["load"].items():
        brief[f"load_{mode}"] = {
            "healthz": _brief(loads["healthz"]),
            "procedure_page": _brief(loads["procedure_page"]),
            "search": _brief(loads["search"]) | {"by_path": loads["search"].get("by_path")},
            "x_page_cache": sorted(
                {value for values in loads["x_page_cache_seen"].values() for value in values}
            ),
        }
    brief["render_ms_in_process"] = {
        name: value["render_ms"]
        for name, value in queries.items()
        if isinstance(value, dict) and "render_ms" in value
    }
    brief["queries_in_process"] = {
        name: value["queries"]
        for name, value in queries.items()
        if isinstance(value, dict) and "queries" in value
    }
    brief["dossier_list_queries_by_size"] = queries["dossier_list_queries_by_size"]
    brief["dossier_list_all_last_page_ms"] = queries["dossier_list_all"]["last_page_render_ms"]
    brief["procedure_page_repeated_sql"] = queries["procedure_page"]["repeated_statements"]
    brief["submissions"] = {
        name: [worker.get(name) for worker in result["submissions"]["processes"]]
        for name in (
            "submissions",
            "late_s",
            "p50_ms",
            "draft_and_files_p50_ms",
            "send_p50_ms",
        )
    } | {
        "procedure": result["submissions"]["processes"][0]["procedure"],
        "acknowledgements": result["acknowledgements"],
    }
    brief["parallel"] = {
        name: result["parallel"][name]
        for name in ("codes", "distinct", "contiguous", "range", "error_count", "seconds")
    }
    return brief


def _brief(summary):
    keys = ("tool", "requests", "ok", "rps", "round_rps", "p50_ms", "p95_ms", "p99_ms")
    keys += ("socket_errors",)
    return {key: summary.get(key) for key in keys if key in summary}


if __name__ == "__main__":
    sys.exit(main())
