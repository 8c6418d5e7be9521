"""The deployment the README promises, for real: two gunicorn hosts (two workers each) behind
Debian's nginx on loopback, one PostgreSQL, one Redis.

Clients connect from different loopback addresses (127.0.0.x), so nginx sees each one's own
address, as a balancer in front of real users would. Needs nginx, Redis and a PostgreSQL
TEST_DATABASE_URL; skipped without them, except in CI (``PMOLEARN_REQUIRE_MULTIHOST``).
"""

from __future__ import annotations

import asyncio
import http.client
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, func, select

from pmolearn.reminders.models import Reminder
from tests.mailserver import Inbox, free_port
from tests.ops.conftest import installation

PASSWORD = "multihost-pass-1"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
PMOLEARN = str(Path(sys.executable).parent / "pmolearn")
PRACTITIONER = "practitioner@example.com"

NGINX_CONF = """
daemon off;
master_process on;
worker_processes 1;
user root;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream pmolearn {{
        server 127.0.0.1:{first};
        server 127.0.0.1:{second};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://pmolearn;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
            add_header X-Upstream $upstream_addr always;
            add_header X-Proxy-Request-ID $request_id always;
        }}
    }}
}}
"""


def _require(ok: bool, reason: str) -> None:
    if not ok:
        if os.environ.get("PMOLEARN_REQUIRE_MULTIHOST"):
            pytest.fail(reason)
        pytest.skip(reason)


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


class Browser:
    """A client from one loopback address that keeps its cookies (http.client: nothing hidden)."""

    def __init__(self, port: int, address: str):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method: str, path: str, form: dict | None = None, headers=None):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=20, source_address=(self.address, 0)
        )
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            cookie = rest.split(";", 1)[0]
            if cookie and "1970" not in value:
                self.cookies[name] = cookie
            else:
                self.cookies.pop(name, None)
        connection.close()
        return response.status, response.headers, text

    def csrf(self, path: str) -> str:
        status, _headers, text = self.request("GET", path)
        assert status == 200, (path, status)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text).group(1)

    def sign_in(self, email: str, password: str, headers=None):
        token = self.csrf("/login")
        form = {"csrf_token": token, "email": email, "password": password}
        return self.request("POST", "/login", form, headers=headers)


@pytest.fixture(scope="module")
def cluster(new_database, tmp_path_factory, database_url):
    _require(database_url.startswith("postgresql"), "the multi-host test needs PostgreSQL")
    _require(os.path.exists(NGINX), "nginx is not installed (Debian: nginx-light)")
    _require(_redis_answers(), f"no Redis at {REDIS_URL}")
    root = tmp_path_factory.mktemp("cluster")
    site = installation(new_database, root, "site")
    site.run("db", "upgrade")
    site.run("seed")
    site.run("demo", "--staff", "30", "--password", PASSWORD)

    first, second, port = free_port(), free_port(), free_port()
    prefix = f"pmolearn-multihost-{uuid.uuid4().hex[:8]}"
    site.env.update({
        "PMOLEARN_RATELIMIT_STORAGE_URI": REDIS_URL,
        "PMOLEARN_RATELIMIT_KEY_PREFIX": prefix,
        "PMOLEARN_TRUSTED_PROXIES": "1",
        "PMOLEARN_BASE_URL": f"http://127.0.0.1:{port}",
        "PMOLEARN_LOG_FORMAT": "json",
    })  # fmt: skip
    processes, logs = [], []
    for n, host_port in enumerate((first, second)):
        log = (root / f"host{n}.log").open("w")
        logs.append(log)
        processes.append(subprocess.Popen(
            [GUNICORN, "-c", "python:pmolearn.ops.gunicorn_conf",
             "--bind", f"127.0.0.1:{host_port}", "--workers", "2"],
            env=site.env, cwd=site.folder, stdout=log, stderr=subprocess.STDOUT,
        ))  # fmt: skip
    nginx_prefix = root / "nginx"
    nginx_prefix.mkdir()
    conf = nginx_prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=nginx_prefix, first=first, second=second, port=port))
    nginx_log = (root / "nginx.log").open("w")
    logs.append(nginx_log)
    processes.append(subprocess.Popen(
        [NGINX, "-p", str(nginx_prefix), "-c", str(conf), "-e", str(nginx_prefix / "error.log")],
        stdout=nginx_log, stderr=subprocess.STDOUT,
    ))  # fmt: skip
    try:
        _wait_until_ready(port, {first, second}, processes)
        yield {"port": port, "site": site, "hosts": (first, second), "root": root}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()
        store = redis.Redis.from_url(REDIS_URL)
        for key in store.scan_iter(f"*{prefix}*"):
            store.delete(key)


def _wait_until_ready(port: int, hosts: set[int], processes) -> None:
    """Until nginx answers /readyz with 200 from both upstreams."""
    seen: set[str] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise RuntimeError("a host or nginx stopped while starting")
        try:
            status, headers, _ = Browser(port, "127.0.0.1").request("GET", "/readyz")
        except OSError:
            status = None
        if status == 200:
            seen.add(headers["X-Upstream"])
            if seen == {f"127.0.0.1:{h}" for h in hosts}:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the cluster did not get ready (saw {seen})")


def test_a_sign_in_holds_on_both_hosts(cluster):
    browser = Browser(cluster["port"], "127.0.0.21")
    status, _headers, _ = browser.sign_in(PRACTITIONER, PASSWORD)
    assert status == 302
    upstreams = set()
    for _ in range(6):
        status, headers, text = browser.request("GET", "/")
        assert status == 200 and "Sign out" in text
        assert headers["Cache-Control"] == "no-store"
        upstreams.add(headers["X-Upstream"])
    assert len(upstreams) == 2  # both hosts served the signed-in person
    token = browser.csrf("/profile")  # a form from one host, posted to whichever comes next
    assert browser.request("POST", "/logout", {"csrf_token": token})[0] == 302
    assert browser.request("GET", "/")[0] == 302


def test_the_login_limit_holds_across_hosts_for_each_client_address(cluster):
    attacker = Browser(cluster["port"], "127.0.0.22")
    upstreams = set()
    for n in range(10):
        if n % 2:
            attacker.request("GET", "/healthz")  # so the sign-ins alternate between the hosts
        status, headers, _ = attacker.sign_in(PRACTITIONER, f"wrong-{n}")
        assert status == 200
        upstreams.add(headers["X-Upstream"])
    assert len(upstreams) == 2  # the failures were counted by both hosts
    assert attacker.sign_in(PRACTITIONER, PASSWORD)[0] == 429
    # the real person, from their own address, signs in on either host
    person = Browser(cluster["port"], "127.0.0.23")
    assert person.sign_in(PRACTITIONER, PASSWORD)[0] == 302


def test_a_forged_forwarded_for_does_not_escape_the_limit(cluster):
    forger = Browser(cluster["port"], "127.0.0.24")
    for n in range(10):
        forged = {"X-Forwarded-For": f"198.51.100.{n}"}
        assert forger.sign_in(PRACTITIONER, f"wrong-{n}", headers=forged)[0] == 200
    assert forger.sign_in(PRACTITIONER, PASSWORD, headers={"X-Forwarded-For": "10.1.1.1"})[0] == 429


def test_readyz_answers_through_the_proxy_with_the_proxys_request_id(cluster):
    status, headers, text = Browser(cluster["port"], "127.0.0.25").request("GET", "/readyz")
    assert status == 200 and '"status": "ok"' in text.replace('":"', '": "')
    assert headers["X-Request-ID"] == headers["X-Proxy-Request-ID"]
    logged = "".join((cluster["root"] / f"host{n}.log").read_text() for n in range(2))
    assert headers["X-Request-ID"] in logged  # the host's JSON log line carries it


def test_a_host_logs_each_request_once_and_never_a_secret_in_its_path(cluster):
    """The app writes the access log (one JSON line, secrets masked); gunicorn must not add
    its own line with the raw path, which would print a calendar feed's secret."""
    browser = Browser(cluster["port"], "127.0.0.26")
    status, headers, _ = browser.request("GET", "/calendar/s3cr3t-feed-token.ics")
    assert status == 404
    time.sleep(0.2)  # the host writes its line after the answer
    logged = "".join((cluster["root"] / f"host{n}.log").read_text() for n in range(2))
    assert logged.count(headers["X-Request-ID"]) == 1
    assert "s3cr3t" not in logged
    assert '"gunicorn.access"' not in logged


def test_the_two_hosts_on_one_machine_open_no_shared_control_socket(cluster):
    """gunicorn 25 and later would give both hosts one control socket path: off by default."""
    logged = "".join((cluster["root"] / f"host{n}.log").read_text() for n in range(2))
    assert "Booting worker" in logged
    assert "Control socket" not in logged


def test_two_reminder_runs_started_at_once_on_the_two_hosts_send_each_once(cluster):
    inbox = Inbox()
    keep = inbox.handle_DATA

    async def slow_data(server, session, envelope):
        await asyncio.sleep(0.02)  # long enough for the two runs to overlap
        return await keep(server, session, envelope)

    inbox.handle_DATA = slow_data
    mail_port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=mail_port)
    controller.start()
    try:
        env = {**cluster["site"].env, "PMOLEARN_MAIL_SERVER": "127.0.0.1",
               "PMOLEARN_MAIL_PORT": str(mail_port), "PMOLEARN_LOG_FORMAT": "text"}  # fmt: skip
        runs = [
            subprocess.Popen(
                [PMOLEARN, "reminders", "send"],
                env={**env, "HOSTNAME": f"host{n}"},
                cwd=cluster["site"].folder,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )  # fmt: skip
            for n in range(2)
        ]
        outputs = [run.communicate(timeout=180)[0] for run in runs]
    finally:
        controller.stop()
    assert [run.returncode for run in runs] == [0, 0], outputs
    engine = create_engine(cluster["site"].url)
    with engine.connect() as connection:
        sent = connection.scalar(
            select(func.count()).select_from(Reminder)
            .where(Reminder.channel == "email", Reminder.sent_at.is_not(None))
        )  # fmt: skip
    engine.dispose()
    assert sent > 0, outputs
    said = [int(o.split("emails sent ")[1].split(",")[0]) for o in outputs]
    assert sum(said) == len(inbox.messages), outputs  # what each run says it sent, it sent
    pairs = [(m["To"], m["Subject"]) for m in inbox.messages]
    assert len(set(pairs)) == len(pairs)  # nobody got the same reminder twice
