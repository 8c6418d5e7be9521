"""Running pmolearn: health and readiness, request logs, proxies and HTTPS, backups.

It sits below every feature (it reads the database and the evidence folder, never a feature's
rules); the factory and the command line wire it in.
"""

from __future__ import annotations

from flask import Flask

from pmolearn.ops import deployment, requestlog
from pmolearn.ops.health import bp


def configure(app: Flask) -> None:
    """Settings that follow from other settings; called once the configuration is loaded."""
    deployment.configure(app)


def init_app(app: Flask) -> None:
    requestlog.install_logging(app)
    # First of all hooks: every later hook, and every log record, has the request id.
    app.before_request_funcs.setdefault(None, []).insert(0, requestlog.start)
    app.after_request(deployment.cache_and_transport_headers)
    app.after_request(requestlog.finish(app))
    app.register_blueprint(bp)
    deployment.install_proxy_fix(app)
    deployment.warn_about_memory_limits(app)
