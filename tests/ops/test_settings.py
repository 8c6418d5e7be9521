"""Settings are checked at start: a value the app cannot use stops it with the variable's name,
instead of a 500 on the first page that reads it or a login limit silently off (issue 11)."""

from __future__ import annotations

import math

import pytest

from pmolearn.config import SettingError
from tests.conftest import PASSWORD

BAD = [
    ("PAGE_SIZE", "abc"), ("PAGE_SIZE", 0), ("PER_PAGE_MAX", "abc"), ("PER_PAGE_DEFAULT", 2.5),
    ("RENEWALS_WINDOW_DAYS", "abc"), ("RENEWALS_ROWS", True), ("TRUSTED_PROXIES", 1.5),
    ("MAIL_PORT", "x"), ("CATALOG_RECHECK_SECONDS", "abc"), ("CATALOG_RECHECK_SECONDS", -1),
    ("LOGIN_RATE_LIMIT", "abc"), ("LOGIN_ADDRESS_RATE_LIMIT", ""), ("RESET_RATE_LIMIT", 5),
    ("SESSION_COOKIE_SECURE", "maybe"), ("REQUEST_LOG", "sometimes"), ("LOG_FORMAT", "xml"),
    # PMOLEARN_…=NaN and =Infinity reach the app as floats (Flask reads the values as JSON):
    # a NaN time limit let form tokens never expire.
    ("WTF_CSRF_TIME_LIMIT", math.nan), ("WTF_CSRF_TIME_LIMIT", math.inf),
    ("CATALOG_RECHECK_SECONDS", math.nan),
]  # fmt: skip


@pytest.mark.parametrize(("name", "value"), BAD)
def test_a_setting_the_app_cannot_use_stops_the_start_and_names_it(make_app, name, value):
    with pytest.raises(SettingError, match=f"PMOLEARN_{name} must be"):
        make_app(**{name: value})


@pytest.mark.parametrize("word", ["False", "false", "off", "OFF", "no", "0"])
def test_off_is_understood_however_it_is_written(make_app, people, word):
    app = make_app(BASE_URL="https://learn.example.com", SESSION_COOKIE_SECURE=word,
                   REQUEST_LOG=word)  # fmt: skip
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["REQUEST_LOG"] is False
    assert app.config["HSTS"] is False
    with app.app_context():
        response = app.test_client().post(
            "/login", data={"email": people["admin"].email, "password": PASSWORD},
            headers={"X-Forwarded-Proto": "https"},
        )  # fmt: skip
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "Secure" not in cookie


@pytest.mark.parametrize("word", ["True", "yes", "on", "1"])
def test_on_is_understood_however_it_is_written(make_app, word):
    assert make_app(SESSION_COOKIE_SECURE=word).config["SESSION_COOKIE_SECURE"] is True


def test_numbers_written_as_text_are_read_as_numbers(make_app):
    assert make_app(PAGE_SIZE=" 25 ").config["PAGE_SIZE"] == 25


def test_with_redis_unreachable_people_still_sign_in_and_failures_are_still_limited(
    make_app, people, monkeypatch
):
    """Each host counts in its own memory until Redis is back, instead of a 500 for everyone."""
    from pmolearn.extensions import limiter

    # The one limiter object outlives this app: its "storage is down" flag must not reach the
    # next test's app (a real process has one app; it checks Redis again now and then).
    monkeypatch.setattr(limiter, "_storage_dead", False)
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/9",
                   LOGIN_RATE_LIMIT="3 per minute")  # fmt: skip
    email = people["practitioner"].email
    with app.app_context():
        client = app.test_client()
        refused = [
            client.post("/login", data={"email": email, "password": f"wrong{n}"}).status_code
            for n in range(4)
        ]
        signed_in = client.post("/login", data={"email": email, "password": PASSWORD},
                                environ_base={"REMOTE_ADDR": "192.0.2.77"})  # fmt: skip
    assert refused == [200, 200, 200, 429]
    assert signed_in.status_code == 302


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_each_log_format_writes_one_line_per_request_with_its_id(make_app, capsys, log_format):
    import json
    import logging

    from pmolearn.ops import requestlog

    logger = logging.getLogger("pmolearn")
    kept = list(logger.handlers)
    app = make_app(LOG_FORMAT=log_format)
    app.testing = False  # the suite's apps leave logging to pytest; a server's do not
    try:
        logger.handlers = [h for h in logger.handlers if not getattr(h, "_pmolearn", False)]
        requestlog.install_logging(app)
        with app.app_context():
            response = app.test_client().get("/healthz")
    finally:
        logger.handlers = kept
    request_id = response.headers["X-Request-ID"]
    lines = [line for line in capsys.readouterr().err.splitlines() if "/healthz" in line]
    assert len(lines) == 1
    if log_format == "json":
        assert json.loads(lines[0])["request_id"] == request_id
    else:
        assert f"[{request_id}] GET /healthz 200" in lines[0]


def test_the_command_line_says_a_bad_setting_in_one_line(tmp_path):
    import os
    import subprocess

    from tests.ops.conftest import PMOLEARN

    env = {**os.environ, "PMOLEARN_LOGIN_RATE_LIMIT": "abc",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}  # fmt: skip
    result = subprocess.run([PMOLEARN, "db", "current"], env=env, cwd=tmp_path,  # noqa: S603
                            capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: PMOLEARN_LOGIN_RATE_LIMIT must be a rate limit such as \"10 per minute\", not 'abc'"
    )
