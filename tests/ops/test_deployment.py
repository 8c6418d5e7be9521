"""Behind a reverse proxy, over HTTPS, on several hosts (issue 11, part 1 and 2)."""

from __future__ import annotations

import importlib
import json
import logging
import os

import pytest

from pmolearn import create_app
from pmolearn.ops import deployment, gunicorn_conf, requestlog
from tests.conftest import PASSWORD


def _fail_login(client, email, address=None, forwarded=None, n=0):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    environ = {"REMOTE_ADDR": address} if address else {}
    return client.post("/login", data={"email": email, "password": f"wrong{n}"},
                       headers=headers, environ_base=environ)  # fmt: skip


# --- the client's address -------------------------------------------------------------------


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, people):
    """Anyone can write X-Forwarded-For: by default it changes nobody's address."""
    email = people["practitioner"].email
    for n in range(10):
        assert _fail_login(client, email, forwarded=f"198.51.100.{n}", n=n).status_code == 200
    assert _fail_login(client, email, forwarded="198.51.100.200").status_code == 429


def test_behind_one_proxy_each_client_has_its_own_address(make_app, people):
    """The balancer's address is shared by everyone: one client's failures must not lock out
    another; the limit follows the address the proxy saw."""
    app = make_app(TRUSTED_PROXIES=1)
    email = people["practitioner"].email
    with app.app_context():
        client = app.test_client()
        for n in range(10):
            response = _fail_login(client, email, "10.9.9.9", forwarded="198.51.100.1", n=n)
            assert response.status_code == 200
        assert _fail_login(client, email, "10.9.9.9", forwarded="198.51.100.1").status_code == 429
        ok = client.post("/login", data={"email": email, "password": PASSWORD},
                         headers={"X-Forwarded-For": "198.51.100.2"},
                         environ_base={"REMOTE_ADDR": "10.9.9.9"})  # fmt: skip
        assert ok.status_code == 302


def test_behind_one_proxy_a_forged_hop_is_not_believed(make_app, people):
    """A client that writes its own X-Forwarded-For only adds a hop in front of the real one."""
    app = make_app(TRUSTED_PROXIES=1)
    email = people["practitioner"].email
    with app.app_context():
        client = app.test_client()
        for n in range(10):
            forged = f"203.0.113.{n}, 198.51.100.1"  # what the proxy appends comes last
            assert _fail_login(client, email, "10.9.9.9", forwarded=forged, n=n).status_code == 200
        assert _fail_login(client, email, "10.9.9.9", forwarded="1.1.1.1, 198.51.100.1",
                           n=99).status_code == 429  # fmt: skip


@pytest.mark.parametrize("value", ["two", "-1", "11"])
def test_a_trusted_proxies_value_that_makes_no_sense_stops_the_start(make_app, value):
    with pytest.raises(ValueError, match="PMOLEARN_TRUSTED_PROXIES"):
        make_app(TRUSTED_PROXIES=value)


def test_links_in_answers_come_from_the_base_url_not_the_host_header(make_app, people, bearer):
    app = make_app(TRUSTED_PROXIES=1, BASE_URL="https://learn.example.com")
    token = bearer("practitioner")
    with app.app_context():
        response = app.test_client().get(
            "/api/v1/me",
            headers={**token, "Host": "evil.example",
                     "X-Forwarded-Host": "evil.example"},
        )  # fmt: skip
    assert response.status_code == 200
    assert response.json["calendar_url"].startswith("https://learn.example.com/")
    assert "evil" not in response.get_data(as_text=True)


# --- HTTPS ----------------------------------------------------------------------------------


def _session_cookie(response) -> str:
    return next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))


def _sign_in(client, people, **kwargs):
    return client.post("/login", data={"email": people["admin"].email, "password": PASSWORD},
                       **kwargs)  # fmt: skip


def test_an_https_base_url_makes_cookies_secure_and_sends_hsts(make_app, people):
    app = make_app(TRUSTED_PROXIES=1, BASE_URL="https://learn.example.com")
    with app.app_context():
        client = app.test_client()
        response = _sign_in(client, people, headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 302
    assert "Secure" in _session_cookie(response)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_hsts_is_never_sent_over_plain_http(make_app, people):
    app = make_app(BASE_URL="https://learn.example.com")
    with app.app_context():
        response = app.test_client().get("/login")
    assert "Strict-Transport-Security" not in response.headers


def test_session_cookie_secure_false_still_opts_out(make_app, people):
    app = make_app(BASE_URL="https://learn.example.com", SESSION_COOKIE_SECURE=False)
    with app.app_context():
        response = _sign_in(app.test_client(), people, headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in _session_cookie(response)
    assert "Strict-Transport-Security" not in response.headers


def test_plain_http_base_url_keeps_plain_cookies(client, people):
    """``make run`` and the tests serve plain HTTP on loopback: the cookie must still work."""
    response = _sign_in(client, people)
    assert response.status_code == 302
    assert "Secure" not in _session_cookie(response)
    assert "HttpOnly" in _session_cookie(response)


# --- caching --------------------------------------------------------------------------------


def test_signed_in_pages_and_api_answers_are_not_stored(client, people, login, bearer):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    login(people["practitioner"])
    for url in ("/", "/pdus", "/profile", f"/people/{people['practitioner'].id}"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    api = client.get("/api/v1/me", headers=bearer("practitioner"))
    assert api.headers["Cache-Control"] == "no-store"
    anonymous = client.application.test_client().get("/api/v1/me")
    assert anonymous.status_code == 401
    assert anonymous.headers["Cache-Control"] == "no-store"


# --- request ids and logs -------------------------------------------------------------------


def test_every_answer_carries_a_request_id(client):
    first, second = client.get("/login"), client.get("/login")
    assert len(first.headers["X-Request-ID"]) == 32
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_a_sane_request_id_from_the_proxy_is_kept_and_a_strange_one_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "nginx-0123456789abcdef"})
    assert kept.headers["X-Request-ID"] == "nginx-0123456789abcdef"
    replaced = client.get("/healthz", headers={"X-Request-ID": 'x" {"level": "fake"}'})
    assert len(replaced.headers["X-Request-ID"]) == 32


def test_one_json_line_per_request_with_its_id_and_no_secret(client, people, login, caplog):
    login(people["practitioner"])
    caplog.set_level(logging.INFO, logger="pmolearn.request")
    response = client.get("/pdus?page=1")
    feed = client.get("/calendar/s3cr3t-token-value.ics")
    records = [r for r in caplog.records if r.name == "pmolearn.request"]
    assert len(records) == 2
    line = json.loads(requestlog.JsonFormatter().format(records[0]))
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["method"] == "GET" and line["path"] == "/pdus" and line["status"] == 200
    assert line["person_id"] == people["practitioner"].id
    assert line["level"] == "info" and line["duration_ms"] >= 0
    assert feed.status_code == 404
    masked = json.loads(requestlog.JsonFormatter().format(records[1]))
    assert "s3cr3t" not in json.dumps(masked) and masked["path"].endswith("<token>.ics")


def test_an_unhandled_error_is_logged_in_json_with_the_request_id(client, caplog, monkeypatch):
    app = client.application
    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr("pmolearn.ops.health.not_ready_reason", _boom)
    caplog.set_level(logging.INFO)
    response = client.get("/readyz")
    assert response.status_code == 500
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors
    formatted = json.loads(requestlog.JsonFormatter().format(errors[0]))
    assert "error" in formatted and "RuntimeError" in formatted["error"]


def _boom():
    raise RuntimeError("boom")


# --- the limiter's store --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "env", "warned"),
    [
        (["gunicorn", "-w", "4", "pmolearn:create_app()"], {}, True),
        (["gunicorn", "--workers=2", "pmolearn:create_app()"], {}, True),
        (["gunicorn", "pmolearn:create_app()"], {"WEB_CONCURRENCY": "3"}, True),
        (["gunicorn", "pmolearn:create_app()"], {"GUNICORN_CMD_ARGS": "--workers 2"}, True),
        (["gunicorn", "-w", "1", "pmolearn:create_app()"], {}, False),
        (["pmolearn", "run"], {"WEB_CONCURRENCY": "3"}, False),
    ],
)
def test_memory_limits_under_several_workers_are_said_loudly(monkeypatch, caplog, argv, env,
                                                             warned):  # fmt: skip
    monkeypatch.setattr("sys.argv", argv)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("GUNICORN_CMD_ARGS", raising=False)
    monkeypatch.delenv(deployment.WARNED, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    app = create_app({"SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="pmolearn"):
        deployment.warn_about_memory_limits(app)
    said = [r for r in caplog.records if "memory://" in r.getMessage()]
    assert bool(said) is warned


def test_gunicorns_hook_warns_once_with_the_worker_count_and_the_workers_stay_quiet(
    monkeypatch, caplog
):
    """gunicorn knows the count from its config file too: its hook says it, with the app's own
    words, and the workers (which inherit the environment) do not say it again."""

    class Log:
        said: list[str] = []

        def warning(self, message):
            self.said.append(message)

    class Server:
        cfg = type("Cfg", (), {"workers": 5})()
        log = Log()

    monkeypatch.delenv("PMOLEARN_RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.setenv(deployment.WARNED, "")  # so the hook's "1" is undone after the test
    gunicorn_conf.on_starting(Server())
    assert Server.log.said == [deployment.memory_limits_warning(5)]
    assert "5 times too lax" in Server.log.said[0]
    monkeypatch.setattr("sys.argv", ["gunicorn", "-w", "5", "pmolearn:create_app()"])
    app = create_app({"SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with caplog.at_level(logging.WARNING, logger="pmolearn"):
        deployment.warn_about_memory_limits(app)
    assert not [r for r in caplog.records if "memory://" in r.getMessage()]


def test_gunicorns_hook_is_quiet_about_one_worker_or_redis(monkeypatch):
    said = []
    log = type("Log", (), {"warning": lambda self, m: said.append(m)})()
    monkeypatch.setenv(deployment.WARNED, "")
    for workers, storage in ((1, "memory://"), (4, "redis://127.0.0.1:6379/15")):
        monkeypatch.setenv("PMOLEARN_RATELIMIT_STORAGE_URI", storage)
        server = type("Server", (), {"cfg": type("Cfg", (), {"workers": workers})(), "log": log})
        gunicorn_conf.on_starting(server())
    assert said == []
    assert not os.environ.get(deployment.WARNED)


def test_a_redis_store_is_not_warned_about(monkeypatch, caplog):
    monkeypatch.setattr("sys.argv", ["gunicorn", "-w", "4", "pmolearn:create_app()"])
    app = create_app({"SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15"})  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="pmolearn"):
        deployment.warn_about_memory_limits(app)
    assert not [r for r in caplog.records if "memory://" in r.getMessage()]


# --- gunicorn's control socket --------------------------------------------------------------


@pytest.fixture
def gunicorn_settings(monkeypatch):
    """``gunicorn_settings(**env)``: the settings gunicorn itself reads from the package's
    config file (``-c python:pmolearn.ops.gunicorn_conf``) under this environment."""
    wsgiapp = pytest.importorskip("gunicorn.app.wsgiapp")

    def read(**env):
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        importlib.reload(gunicorn_conf)
        monkeypatch.setattr("sys.argv", ["gunicorn", "-c", "python:pmolearn.ops.gunicorn_conf"])
        return wsgiapp.WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg

    yield read
    monkeypatch.undo()
    importlib.reload(gunicorn_conf)


def test_gunicorn_opens_no_control_socket_that_two_instances_would_share(
    gunicorn_settings, monkeypatch
):
    """gunicorn 25 and later open a control socket at one path per user
    (``~/.gunicorn/gunicorn.ctl``): two instances on one machine would share it, and
    ``gunicornc`` would manage (and could stop) whichever started last."""
    monkeypatch.delenv("PMOLEARN_CONTROL_SOCKET", raising=False)
    cfg = gunicorn_settings()
    if "control_socket_disable" not in cfg.settings:
        pytest.skip("this gunicorn has no control socket (before 25)")
    assert cfg.control_socket_disable is True
    mine = gunicorn_settings(PMOLEARN_CONTROL_SOCKET="/run/pmolearn/gunicorn.ctl")
    assert mine.control_socket_disable is False
    assert mine.control_socket == "/run/pmolearn/gunicorn.ctl"
