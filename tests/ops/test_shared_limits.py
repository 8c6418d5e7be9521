"""Login limits shared through Redis: two app instances (two hosts) count the same failures.

Needs the Redis at ``TEST_REDIS_URL`` (default 127.0.0.1:6379, database 15); skipped without it,
except in CI (``PMOLEARN_REQUIRE_REDIS``). The real multi-host run is ``tests/multihost``.
"""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from pmolearn import create_app
from pmolearn.extensions import db
from tests.conftest import PASSWORD, _config

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        if os.environ.get("PMOLEARN_REQUIRE_REDIS"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    return REDIS_URL


@pytest.fixture
def two_hosts(people, database_url, tmp_path, redis_url):
    """After `people`: its app binds the one limiter object too, and the last bound wins."""
    prefix = f"pmolearn-test-{uuid.uuid4().hex[:8]}"
    settings = {"RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_KEY_PREFIX": prefix}
    hosts = [create_app(_config(database_url, tmp_path, **settings)) for _ in range(2)]
    yield hosts, prefix
    for app in hosts:
        with app.app_context():
            db.engine.dispose()
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


def _post(app, email, password, address="192.0.2.10"):
    with app.app_context():
        return app.test_client().post(
            "/login", data={"email": email, "password": password},
            environ_base={"REMOTE_ADDR": address},
        )  # fmt: skip


def test_failures_on_one_host_count_on_the_other(two_hosts, people, redis_url):
    """In one process both apps share one limiter object, so the counts must be seen in Redis
    itself; separate processes on separate ports are ``tests/multihost``'s job."""
    (first, second), prefix = two_hosts
    email = people["practitioner"].email
    for n in range(10):
        host = first if n % 2 else second
        assert _post(host, email, f"wrong{n}").status_code == 200
    assert _post(first, email, PASSWORD).status_code == 429
    assert _post(second, email, PASSWORD).status_code == 429
    # the person, from their own address, is not locked out on either host
    assert _post(second, email, PASSWORD, address="192.0.2.99").status_code == 302
    keys = [k.decode() for k in redis.Redis.from_url(redis_url).scan_iter(f"*{prefix}*")]
    assert any(email in key and "192.0.2.10" in key for key in keys), keys
