"""A small HTTP load generator, for machines without ``wrk``.

``python -m bench.loadgen --port 8123 --path /healthz --duration 10 --concurrency 8``
prints one JSON object: requests, errors, requests per second and latency percentiles.

Each of ``--concurrency`` threads holds one HTTP/1.1 connection open (keep-alive) and
sends the next request as soon as the answer is read; when the server closes the
connection (gunicorn's sync workers do after every response) the thread reconnects, and
that reconnection counts in the request's latency, as it would for a browser. Requests
are hand-written bytes and answers are parsed with a buffered reader (status line,
``Content-Length`` or chunked body), which costs the client a few tens of microseconds a
request: on a 2-core machine the client still takes some CPU from the server, and the
README says so. Several ``--path`` are requested in turn, so one run can mix queries.

``wrk_measure`` runs ``wrk`` instead when it is installed and returns the same keys.
"""

import argparse
import json
import math
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import quote, urlsplit


def encode_path(path):
    """Percent-encode a path with a Vietnamese query (``/thu-tuc/?q=khai sinh``)."""
    parts = urlsplit(path)
    encoded = quote(parts.path, safe="/%")
    if parts.query:
        encoded += "?" + quote(parts.query, safe="=&%")
    return encoded


def _request_bytes(host, path, headers):
    lines = [
        f"GET {encode_path(path)} HTTP/1.1",
        f"Host: {host}",
        "User-Agent: portal-bench/1",
        "Accept: text/html,*/*",
        "Accept-Encoding: identity",
        *(f"{name}: {value}" for name, value in headers.items()),
        "",
        "",
    ]
    return "\r\n".join(lines).encode("ascii")


def _read_response(reader):
    """Read one response; return ``(status, keep_alive, body_bytes)``."""
    status_line = reader.readline(65537)
    if not status_line:
        raise ConnectionError("connection closed before the status line")
    version, status = status_line.split(b" ", 2)[:2]
    status = int(status)
    length = None
    chunked = False
    keep_alive = version == b"HTTP/1.1"
    while True:
        line = reader.readline(65537)
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        value = value.strip()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        elif name == b"connection":
            keep_alive = value.lower() == b"keep-alive" or (
                keep_alive and value.lower() != b"close"
            )
    size = 0
    if chunked:
        while True:
            chunk = int(reader.readline(65537).split(b";")[0], 16)
            if chunk == 0:
                while reader.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass
                break
            size += len(reader.read(chunk))
            reader.readline(65537)
    elif length is not None:
        size = len(reader.read(length))
    else:
        size = len(reader.read())
        keep_alive = False
    return status, keep_alive, size


def _worker(address, requests, offset, warmup_end, deadline, out):
    latencies, statuses, connects, failures = [], {}, 0, 0
    sock = reader = None
    index = 0
    while True:
        start = time.perf_counter()
        if start >= deadline:
            break
        which = (offset + index) % len(requests)
        request = requests[which]
        index += 1
        try:
            if sock is None:
                sock = socket.create_connection(address, timeout=30)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                reader = sock.makefile("rb", buffering=65536)
                connects += 1
            sock.sendall(request)
            status, keep_alive, _size = _read_response(reader)
        except (OSError, ValueError):
            failures += 1
            if sock is not None:
                sock.close()
            sock = reader = None
            time.sleep(0.01)
            continue
        end = time.perf_counter()
        if not keep_alive:
            sock.close()
            sock = reader = None
        if start >= warmup_end:
            latencies.append((which, end - start))
            statuses[status] = statuses.get(status, 0) + 1
    if sock is not None:
        sock.close()
    out.append((latencies, statuses, connects, failures))


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def measure(
    port,
    paths,
    *,
    host="127.0.0.1",
    duration=10.0,
    concurrency=8,
    warmup=1.0,
    headers=None,
):
    """Load ``paths`` (in turn) for ``warmup + duration`` seconds; return the summary of
    the last ``duration`` seconds."""
    requests = [_request_bytes(host, path, headers or {}) for path in paths]
    cpu_before = time.process_time()
    now = time.perf_counter()
    warmup_end = now + warmup
    deadline = warmup_end + duration
    out = []
    threads = [
        threading.Thread(
            target=_worker,
            args=((host, port), requests, i, warmup_end, deadline, out),
            daemon=True,
        )
        for i in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    samples = [sample for result in out for sample in result[0]]
    latencies = sorted(value for _which, value in samples)
    statuses = {}
    for result in out:
        for status, count in result[1].items():
            statuses[str(status)] = statuses.get(str(status), 0) + count
    ok = sum(count for status, count in statuses.items() if status.startswith("2"))
    summary = _summary(
        tool="python",
        requests=len(latencies),
        ok=ok,
        statuses=statuses,
        failures=sum(result[3] for result in out),
        connections=sum(result[2] for result in out),
        client_cpu_s=round(time.process_time() - cpu_before, 2),
        duration=duration,
        concurrency=concurrency,
        latencies_ms=[value * 1000 for value in latencies],
    )
    if len(paths) > 1:
        summary["by_path"] = {}
        for which, path in enumerate(paths):
            values = sorted(value * 1000 for index, value in samples if index == which)
            summary["by_path"][path] = {
                "requests": len(values),
                "p50_ms": _round(percentile(values, 0.5)),
                "p95_ms": _round(percentile(values, 0.95)),
            }
    return summary


def _round(value):
    return round(value, 2) if value is not None else None


def _summary(*, tool, requests, ok, statuses, failures, duration, concurrency, **extra):
    latencies = extra.pop("latencies_ms", None)
    summary = {
        "tool": tool,
        "concurrency": concurrency,
        "duration_s": round(duration, 2),
        "requests": requests,
        "ok": ok,
        "statuses": statuses,
        "socket_errors": failures,
        "rps": round(ok / duration, 1) if duration else None,
    }
    if latencies is not None:
        for name, fraction in (("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99)):
            value = percentile(latencies, fraction)
            summary[f"{name}_ms"] = round(value, 2) if value is not None else None
        summary["max_ms"] = round(latencies[-1], 2) if latencies else None
        summary["mean_ms"] = round(sum(latencies) / len(latencies), 2) if latencies else None
    summary.update(extra)
    return summary


# wrk ---------------------------------------------------------------------------------------

WRK = shutil.which("wrk")
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _wrk_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    return float(match.group(1)) * _UNITS[match.group(2)] if match else None


def wrk_measure(port, path, *, host="127.0.0.1", duration=10.0, concurrency=8, threads=2):
    """Run ``wrk --latency`` on one path and return the same keys as ``measure``."""
    url = f"http://{host}:{port}{encode_path(path)}"
    command = [
        WRK,
        f"-t{min(threads, concurrency)}",
        f"-c{concurrency}",
        f"-d{max(1, round(duration))}s",
        "--latency",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+(\S+)$", output, re.MULTILINE))
    bad = int(non_2xx.group(1)) if non_2xx else 0
    summary = _summary(
        tool="wrk",
        requests=requests,
        ok=requests - bad,
        statuses={"non_2xx_3xx": bad},
        failures=errors.group(1) if errors else 0,
        duration=float(max(1, round(duration))),
        concurrency=concurrency,
    )
    summary["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    for name in ("50", "90", "99"):
        if name in percentiles:
            summary[f"p{name}_ms"] = round(_wrk_ms(percentiles[name]), 2)
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", action="append", required=True, help="repeatable")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--tool", choices=["auto", "python", "wrk"], default="python", help="auto: wrk if found"
    )
    args = parser.parse_args(argv)
    use_wrk = args.tool == "wrk" or (args.tool == "auto" and WRK and len(args.path) == 1)
    if use_wrk:
        result = wrk_measure(
            args.port,
            args.path[0],
            host=args.host,
            duration=args.duration,
            concurrency=args.concurrency,
        )
    else:
        result = measure(
            args.port,
            args.path,
            host=args.host,
            duration=args.duration,
            concurrency=args.concurrency,
            warmup=args.warmup,
        )
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
