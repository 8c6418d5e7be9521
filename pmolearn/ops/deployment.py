"""What changes when pmolearn runs behind a proxy, over HTTPS, on several hosts.

- ``PMOLEARN_TRUSTED_PROXIES`` (0 by default): how many reverse proxies stand in front. Werkzeug's
  ProxyFix then takes the client address, scheme, host and port from that many ``X-Forwarded-*``
  hops, and ignores whatever a client wrote in them itself; with 0 nothing is trusted.
- An ``https`` ``PMOLEARN_BASE_URL`` makes the session and remember-me cookies Secure and sends
  HSTS, unless ``PMOLEARN_SESSION_COOKIE_SECURE=false`` says otherwise.
- Signed-in pages and every API answer carry ``Cache-Control: no-store``: a shared cache or the
  browser's back button must not show one person's records to the next.
- The login limiter counts in memory unless told otherwise; each worker then counts on its own,
  which is said loudly at start when the server runs more than one.
"""

from __future__ import annotations

import logging
import os
import shlex
import sys

from flask import Flask, current_app, request
from gunicorn.config import Config as GunicornConfig
from werkzeug.middleware.proxy_fix import ProxyFix

from pmolearn.ops.requestlog import person_seen

log = logging.getLogger("pmolearn.deployment")

HSTS = "max-age=31536000; includeSubDomains"


def configure(app: Flask) -> None:
    """Settings that follow from others: the cookie flags from the public address."""
    https = str(app.config["BASE_URL"]).lower().startswith("https://")
    secure = app.config.get("SESSION_COOKIE_SECURE")
    secure = https if secure is None else bool(secure)  # not set: follow the public address
    app.config["SESSION_COOKIE_SECURE"] = secure
    if app.config.get("REMEMBER_COOKIE_SECURE") is None:
        app.config["REMEMBER_COOKIE_SECURE"] = secure
    app.config["HSTS"] = secure and https


def install_proxy_fix(app: Flask) -> None:
    count = app.config["TRUSTED_PROXIES"]  # a whole number from 0 to 10 (check_settings)
    if count:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count
        )


def cache_and_transport_headers(response):
    """``after_request``: no-store on what is personal, HSTS over HTTPS."""
    if request.path.startswith("/api/") or person_seen() is not None:
        response.headers["Cache-Control"] = "no-store"
    if current_app.config["HSTS"] and request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


#: Set by gunicorn's ``on_starting`` hook (``gunicorn_conf``) once it has warned with the worker
#: count it knows for certain; the workers inherit it and stay quiet.
WARNED = "PMOLEARN_MEMORY_LIMITS_WARNED"


def memory_limits_warning(workers: int) -> str:
    """The one warning about an in-memory limiter under several workers (app and gunicorn)."""
    return (
        f"PMOLEARN_RATELIMIT_STORAGE_URI is memory:// under {workers} workers: each worker counts "
        f"sign-in failures on its own, so the login limit is {workers} times too lax. Set "
        "PMOLEARN_RATELIMIT_STORAGE_URI=redis://… to share it between workers and hosts "
        "(README, Production)."
    )


def warn_about_memory_limits(app: Flask) -> None:
    """Say loudly when login limits cannot hold: an in-memory store under several workers."""
    uri = str(app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
    if not uri.startswith("memory://") or app.testing or os.environ.get(WARNED):
        return
    workers = _server_workers()
    if workers > 1:
        log.warning(memory_limits_warning(workers))


def _server_workers() -> int:
    """Workers of the gunicorn we run under, as gunicorn itself reads them: its command line,
    ``GUNICORN_CMD_ARGS`` and ``WEB_CONCURRENCY`` (a config file is checked by its own hook,
    see ``gunicorn.conf.py``). 1 under any other server."""
    if "gunicorn" not in sys.argv[0]:
        return 1
    parser = GunicornConfig().parser()
    argv = [*shlex.split(os.environ.get("GUNICORN_CMD_ARGS", "")), *sys.argv[1:]]
    try:
        workers = parser.parse_known_args(argv)[0].workers
    except SystemExit:  # gunicorn's parser gives up on what it cannot read
        workers = None
    if workers is None:
        workers = os.environ.get("WEB_CONCURRENCY", "1")
    try:
        return int(workers)
    except ValueError:
        return 1
