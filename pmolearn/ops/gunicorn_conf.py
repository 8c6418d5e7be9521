"""gunicorn settings for pmolearn: ``gunicorn -c python:pmolearn.ops.gunicorn_conf`` from any
directory (the repository's ``gunicorn.conf.py`` is this file, for ``gunicorn`` run there).

Every value can be overridden on the command line or through ``GUNICORN_CMD_ARGS``.
"""

from __future__ import annotations

import multiprocessing
import os

from gunicorn.glogging import Logger

from pmolearn.ops.deployment import WARNED, memory_limits_warning
from pmolearn.ops.requestlog import TEXT_FORMAT

wsgi_app = "pmolearn:create_app()"
bind = os.environ.get("PMOLEARN_BIND", "0.0.0.0:8000")

#: Sync workers: a request is a few milliseconds of SQL and templates. gunicorn's rule of thumb
#: (two per core, plus one), at most 9 so a small database is not swamped with connections.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 9))
#: A page that takes 30 s is broken: the worker is restarted rather than left hanging.
timeout = 30
graceful_timeout = 20
#: Behind a load balancer that keeps connections open.
keepalive = 5
#: Recycle workers now and then, staggered, so a slow leak can never take a host down. Not
#: often: a worker's start costs about 1.2 s of CPU (imports, the app factory, cold caches).
#: At 2,000 a busy worker restarted every few seconds, and the restarts were the p99: on the
#: benchmark's hello world 308 ms at 2,000 and 2.5 ms without recycling.
max_requests = 20000
max_requests_jitter = 2000


#: gunicorn 25 and later open a control socket for ``gunicornc`` at one path per user
#: (``~/.gunicorn/gunicorn.ctl``). Two instances on one machine (staging beside production, the
#: multi-host test) would share it, and ``gunicornc`` would manage, and could stop, whichever
#: started last. Off unless ``PMOLEARN_CONTROL_SOCKET`` names this instance's own path. (Older
#: gunicorn ignores both names.)
if os.environ.get("PMOLEARN_CONTROL_SOCKET"):
    control_socket = os.environ["PMOLEARN_CONTROL_SOCKET"]
    control_socket_disable = False
else:
    control_socket_disable = True


class AppWritesTheAccessLog(Logger):
    """gunicorn's logger without its access log. The app writes that log itself, one JSON line
    per request with its request id, the person and the route (``pmolearn.ops.requestlog``).
    gunicorn's own line would print the raw path, and so the secret in a calendar-feed or
    password-link URL. ``accesslog = None`` is not enough: any ``logconfig_dict`` turns
    gunicorn's access log back on."""

    def access(self, resp, req, environ, request_time) -> None:
        return None


logger_class = AppWritesTheAccessLog
accesslog = None
errorlog = "-"
loglevel = os.environ.get("PMOLEARN_LOG_LEVEL", "info")
#: The proxy headers are the app's business (PMOLEARN_TRUSTED_PROXIES feeds ProxyFix), so
#: gunicorn must not also believe X-Forwarded-Proto from loopback on its own.
forwarded_allow_ips = ""
_TO_STDERR = {
    "class": "logging.StreamHandler",
    "formatter": "app",
    "filters": ["request_id"],
    "stream": "ext://sys.stderr",
}
_FORMATTER = (
    {"format": TEXT_FORMAT}
    if os.environ.get("PMOLEARN_LOG_FORMAT", "json").strip('"') == "text"
    else {"()": "pmolearn.ops.requestlog.JsonFormatter"}
)
#: gunicorn's own messages in the same format as the app's (its defaults name these handlers;
#: ``console`` is its access log's, which ``AppWritesTheAccessLog`` silences).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"app": _FORMATTER},
    "filters": {"request_id": {"()": "pmolearn.ops.requestlog.RequestIdFilter"}},
    "handlers": {"console": _TO_STDERR, "error_console": _TO_STDERR},
    "root": {"level": "WARNING", "handlers": []},
    "loggers": {
        "gunicorn.error": {"handlers": ["error_console"], "level": "INFO", "propagate": False},
    },
}


def on_starting(server) -> None:
    """Say loudly, once, when the login limit cannot hold across the workers: gunicorn knows
    their number for certain here, whether it came from this file, the command line or the
    environment. The workers inherit ``WARNED`` and do not say it again."""
    storage = os.environ.get("PMOLEARN_RATELIMIT_STORAGE_URI", "memory://")
    if storage.startswith("memory://") and server.cfg.workers > 1:
        server.log.warning(memory_limits_warning(server.cfg.workers))
        os.environ[WARNED] = "1"
