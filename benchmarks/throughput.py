"""Throughput of the main pages and API reads, as a share of a bare Flask app's, under gunicorn.

Usage::

    python benchmarks/throughput.py [--database sqlite|postgresql://…] [--staff 10000]
                                    [--seconds 10] [--connections 4] [--only NAME …]

Builds a demo organisation of ``--staff`` people with the real command line (``db upgrade``,
``seed``, ``demo``: which ends with ANALYZE), serves it with gunicorn (2 sync workers, the
package's settings, request logs on as in production, workers not recycled during the run),
and in the same run serves ``benchmarks/hello.py`` with the same settings. Each URL is loaded
with wrk (or, without wrk, a small Python client) for ``--seconds``, and the floor before the
first URL and after each one; the table gives requests per second, the share of the floor
measured around each URL, p50 and p99, the CPU the workers spent per request (from /proc, on
Linux), and whether the budget holds: a signed-in page at least 15 % of the floor, an API read
at least 25 %, p99 at most 50 ms. Three reference rows, served by ``benchmarks/frame.py`` (the
app plus two routes that do nothing of their own), show what any signed-in page pays before its
content: they have no budget of their own (``--no-reference`` leaves them out).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "benchmark-pw"  # noqa: S105 - a throwaway demo password
PAGE_SHARE, API_SHARE, P99_MS = 0.15, 0.25, 50.0


@dataclass
class Result:
    name: str
    kind: str  # "floor", "page", "api" or "reference" (no budget: see ``REFERENCE``)
    rps: float
    p50: float
    p99: float
    errors: int
    requests: int = 0
    #: The floor this row is a share of: the mean of the floor measured just before and just
    #: after it (the machine's speed drifts over a run; see ``measure_rows``).
    floor: float = 0.0
    #: CPU time (user and system) the server's workers spent per request while it was
    #: measured, from /proc (None elsewhere): steadier than requests per second on a machine
    #: whose speed drifts, and what a page costs a host.
    cpu_ms: float | None = None

    @property
    def share(self) -> float:
        return self.rps / self.floor if self.floor else 0.0

    @property
    def within(self) -> bool:
        if self.kind == "reference":
            return True
        wanted = PAGE_SHARE if self.kind == "page" else API_SHARE
        return self.share >= wanted and self.p99 <= P99_MS and not self.errors


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: list[str], env: dict) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def serve(app: str, port: int, env: dict, log: Path, cwd: Path) -> subprocess.Popen:
    # Workers are not recycled during the run: at the floor's 5,000 requests a second, the
    # package's 20,000 requests a worker would restart each one every 8 s, far more often than
    # any real host, and the restarts would be the floor's p99 (72 ms measured).
    command = [str(BIN / "gunicorn"), "-c", "python:pmolearn.ops.gunicorn_conf",
               "--bind", f"127.0.0.1:{port}", "--workers", "2", "--max-requests", "0",
               app]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log.open("w"),  # noqa: S603
                               stderr=subprocess.STDOUT)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/" if app.startswith("hello") else "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit(f"{app} did not start; see {log}")


def sign_in(port: int, email: str) -> str:
    """The session cookie of ``email``, signed in through the form like a browser."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urlencode({"csrf_token": token, "email": email, "password": PASSWORD})
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("POST", "/login", body=body, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        sys.exit(f"could not sign in as {email}: {response.status}")
    cookies = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie")]
    cookie = next(c for c in cookies if c.startswith("session="))
    # Follow the redirect once, as a browser does: the first page shows the welcome message
    # and adds the form token, and the browser keeps the cookie it gets back. Replaying the
    # cookie of the sign-in answer would show the welcome and set a cookie on every request.
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/", headers={"Cookie": cookie})
    response = connection.getresponse()
    response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith("session="):
            cookie = header.split(";", 1)[0]
    return cookie


def check(port: int, path: str, headers: dict) -> None:
    """A page measured must be the page: 200, not a redirect to the sign-in form."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"{path} answered {response.status}, not 200: the benchmark would be wrong")


def load(
    url: str, headers: dict, seconds: float, connections: int
) -> tuple[float, float, float, int, int]:
    """(requests per second, p50 ms, p99 ms, non-2xx answers, requests)."""
    if shutil.which("wrk"):
        return _wrk(url, headers, seconds, connections)
    return _python_load(url, headers, seconds, connections)


def _wrk(url, headers, seconds, connections):
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections),
               "-d", f"{max(1, round(seconds))}s", "--latency"]  # fmt: skip
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return rps, p50, p99, int(bad.group(1)) if bad else 0, requests


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _python_load(url, headers, seconds, connections):
    """Without wrk: ``connections`` threads, each a loop of requests (slower than wrk: the
    client shares the cores, so shares come out lower)."""
    match = re.match(r"http://([^:/]+):(\d+)(/.*)", url)
    host, port, path = match.group(1), int(match.group(2)), match.group(3)
    times: list[float] = []
    bad = [0]
    stop = time.monotonic() + seconds

    def worker():
        while time.monotonic() < stop:
            started = time.perf_counter()
            connection = http.client.HTTPConnection(host, port, timeout=10)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            times.append((time.perf_counter() - started) * 1000)
            if response.status >= 400:
                bad[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times.sort()
    return (len(times) / seconds, statistics.median(times),
            times[min(len(times) - 1, int(len(times) * 0.99))], bad[0], len(times))  # fmt: skip


def new_database(kind: str, tmp: Path) -> tuple[str, callable]:
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'throughput.sqlite3'}", lambda: None
    admin = create_engine(kind, isolation_level="AUTOCOMMIT")
    name = f"pmolearn_throughput_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def ids(url: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as connection:
        person = connection.scalar(text("SELECT id FROM people WHERE email = :e"),
                                   {"e": "practitioner@example.com"})  # fmt: skip
        credential = connection.scalar(
            text("SELECT id FROM credentials WHERE person_id = :p ORDER BY id"), {"p": person}
        )
    engine.dispose()
    return {"person": person, "credential": credential}


#: (name, who, path) served by ``benchmarks/frame.py``: the app plus two routes that do nothing
#: of their own, so each run shows what a signed-in page pays before its content.
REFERENCE = [
    ("reference: the app's /healthz, not signed in", None, "/healthz"),
    ("reference: signed in, nothing else (JSON)", "practitioner", "/_frame/signed-in"),
    ("reference: API token, nothing else (JSON)", "practitioner-token", "/api/_frame/signed-in"),
    ("reference: signed-in page frame, no content", "practitioner", "/_frame/page"),
]


def plan(found: dict) -> list[tuple[str, str, str, str]]:
    """(name, kind, who, path): the pages and reads people use every week."""
    person, credential = found["person"], found["credential"]
    return [
        ("practitioner dashboard /", "page", "practitioner", "/"),
        ("practitioner PDU list /pdus", "page", "practitioner", "/pdus"),
        ("practitioner credential page", "page", "practitioner", f"/credentials/{credential}"),
        ("practitioner study /study/", "page", "practitioner", "/study/"),
        ("PMO head home /", "page", "pmo", "/"),
        ("PMO head people /people", "page", "pmo", "/people"),
        ("HR home /", "page", "hr", "/"),
        ("HR people /people", "page", "hr", "/people"),
        (
            "API credential with compliance",
            "api",
            "practitioner-token",
            f"/api/v1/credentials/{credential}",
        ),
        ("API a person's PDUs", "api", "practitioner-token", f"/api/v1/people/{person}/pdus"),
        ("API /me", "api", "practitioner-token", "/api/v1/me"),
        ("API people (HR, 50 a page)", "api", "hr-token", "/api/v1/people"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        default="sqlite",
        help="sqlite, or a PostgreSQL URL to create a scratch database on",
    )
    parser.add_argument("--staff", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--only", nargs="*", help="names (substrings) of the rows to measure")
    parser.add_argument(
        "--no-reference",
        action="store_true",
        help="leave out the reference rows (benchmarks/frame.py: the signed-in frame alone)",
    )
    parser.add_argument(
        "--existing",
        metavar="URL",
        help="measure a database that already holds a demo (built by an earlier run or by "
        "`pmolearn demo`) instead of building one: for measuring one change after another",
    )
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if options.existing:
            url, drop = options.existing, lambda: None
        else:
            url, drop = new_database(options.database, tmp)
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "throughput",
               "PMOLEARN_UPLOAD_FOLDER": str(tmp / "evidence"), "PMOLEARN_LOG_FORMAT": "json",
               "PMOLEARN_RATELIMIT_ENABLED": "false", "WEB_CONCURRENCY": "2",
               "PYTHONPATH": os.pathsep.join((str(ROOT), str(ROOT / "benchmarks")))}  # fmt: skip
        pmolearn = str(BIN / "pmolearn")
        started = time.perf_counter()
        run([pmolearn, "db", "upgrade"], env)
        if not options.existing:
            run([pmolearn, "seed"], env)
            run([pmolearn, "demo", "--staff", str(options.staff), "--password", PASSWORD], env)
        tokens = {
            f"{who}-token": run([pmolearn, "token", "create", f"{who}@example.com"], env)
            .strip()
            .splitlines()[-1]  # fmt: skip
            for who in ("practitioner", "hr")
        }
        print(
            f"{options.staff} staff on {url.split(':')[0]}, built in "
            f"{time.perf_counter() - started:.0f} s; {options.seconds:g} s per URL, "
            f"{options.connections} connections, {'wrk' if shutil.which('wrk') else 'python'}"
        )
        app_port, floor_port, frame_port = free_port(), free_port(), free_port()
        servers = [serve("pmolearn:create_app()", app_port, env, tmp / "app.log", tmp),
                   serve("hello:app", floor_port, env, tmp / "hello.log", tmp)]  # fmt: skip
        if not options.no_reference:
            servers.append(serve("frame:app", frame_port, env, tmp / "frame.log", tmp))
        try:
            cookies = {who: sign_in(app_port, f"{who}@example.com")
                       for who in ("practitioner", "pmo", "hr")}  # fmt: skip
            rows = []
            for name, kind, who, path in plan(ids(url)):
                if options.only and not any(o in name for o in options.only):
                    continue
                headers = ({"Authorization": f"Bearer {tokens[who]}"} if who in tokens
                           else {"Cookie": cookies[who]})  # fmt: skip
                check(app_port, path, headers)
                rows.append((name, kind, f"http://127.0.0.1:{app_port}{path}", headers))
            if not options.no_reference:
                for name, who, path in REFERENCE:
                    if options.only and not any(o in name for o in options.only):
                        continue
                    headers = ({"Authorization": f"Bearer {tokens[who]}"} if who in tokens
                               else {"Cookie": cookies[who]} if who else {})  # fmt: skip
                    check(frame_port, path, headers)
                    rows.append((name, "reference", f"http://127.0.0.1:{frame_port}{path}",
                                 headers, servers[2].pid))  # fmt: skip
            floors, results = measure_rows(
                rows, f"http://127.0.0.1:{floor_port}/", options,
                app_server=servers[0].pid, floor_server=servers[1].pid)  # fmt: skip
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
            drop()
    report(floors, results)


def measure_rows(
    rows, floor_url: str, options, app_server: int = 0, floor_server: int = 0
) -> tuple[list[Result], list[Result]]:
    """Each row between two measurements of the floor, and as a share of their mean.

    This machine's speed drifts by up to a third over minutes, and a run lasts minutes: against
    one floor measured at the start, the last rows were judged against another machine. The
    floor is measured before the first row and after each one, for half a row's time. Each
    measurement also reads the CPU time the server's workers spent (``workers_cpu``)."""
    floor_seconds = max(2.0, options.seconds / 2)

    def measured(name, kind, server, url, headers, seconds) -> Result:
        before = workers_cpu(server)
        result = Result(name, kind, *load(url, headers, seconds, options.connections))
        after = workers_cpu(server)
        if before is not None and after is not None and result.requests:
            result.cpu_ms = (after - before) / result.requests * 1000
        return result

    def floor_sample() -> Result:
        return measured("bare Flask hello world (the floor)", "floor", floor_server,
                        floor_url, {}, floor_seconds)  # fmt: skip

    floors, results = [floor_sample()], []
    for name, kind, url, headers, *server in rows:
        load(url, headers, 1, 2)  # warm both workers
        row = measured(name, kind, server[0] if server else app_server, url, headers,
                       options.seconds)  # fmt: skip
        floors.append(floor_sample())
        row.floor = (floors[-2].rps + floors[-1].rps) / 2
        results.append(row)
    return floors, results


def workers_cpu(master: int) -> float | None:
    """Seconds of CPU (user and system) that the workers of the gunicorn ``master`` have used
    so far, read from /proc; None where there is no /proc. Workers are not recycled during a
    run, so the difference between two readings is what they spent in between."""
    proc = Path("/proc")
    if not master or not proc.is_dir():
        return None
    ticks = 0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that ended while we looked
        if int(fields[1]) == master:  # the parent's pid; then utime and stime, in clock ticks
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _cpu(result: Result) -> str:
    return "" if result.cpu_ms is None else f"{result.cpu_ms:.2f}"


def report(floors: list[Result], results: list[Result]) -> None:
    rates = [f.rps for f in floors]
    mean = sum(rates) / len(rates)
    print(
        f"\nThe floor, measured {len(floors)} times: {min(rates):,.0f} to {max(rates):,.0f} "
        f"req/s (mean {mean:,.0f}); each row is a share of the two measurements around it."
    )
    print("\n| what | req/s | share of floor | p50 ms | p99 ms | worker CPU ms/req | budget |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    p50 = statistics.median(f.p50 for f in floors)
    cpus = [f.cpu_ms for f in floors if f.cpu_ms is not None]
    cpu = f"{statistics.median(cpus):.2f}" if cpus else ""
    print(f"| bare Flask hello world (the floor), mean | {mean:,.0f} | 100 % | {p50:.1f} | "
          f"{max(f.p99 for f in floors):.1f} | {cpu} |  |")  # fmt: skip
    for r in results:
        wanted = PAGE_SHARE if r.kind == "page" else API_SHARE
        verdict = "within" if r.within else f"OUT (≥ {wanted:.0%}, p99 ≤ {P99_MS:g})"
        if r.kind == "reference":
            verdict = "reference, no budget"
        if r.errors:
            verdict += f", {r.errors} errors"
        print(f"| {r.name} | {r.rps:,.0f} | {r.share:.1%} | {r.p50:.1f} | {r.p99:.1f} | "
              f"{_cpu(r)} | {verdict} |")  # fmt: skip
    budgeted = [r for r in results if r.kind != "reference"]
    out = [r.name for r in budgeted if not r.within]
    print(
        f"\n{len(out)} of {len(budgeted)} outside the budget"
        + (f": {', '.join(out)}" if out else "")
    )


if __name__ == "__main__":
    main()
