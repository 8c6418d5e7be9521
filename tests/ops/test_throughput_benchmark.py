"""The throughput benchmark's own arithmetic: the CPU a server's workers spend, read from /proc,
and a row judged against the floor measured around it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import throughput  # noqa: E402

BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads Linux's /proc")
def test_the_workers_cpu_is_what_the_children_of_the_server_spent():
    before = throughput.workers_cpu(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", BURN + "time.sleep(30)"])  # noqa: S603
    try:
        deadline = time.monotonic() + 20
        spent = 0.0
        while time.monotonic() < deadline and spent < 0.25:
            time.sleep(0.1)
            spent = throughput.workers_cpu(os.getpid()) - before
        # The child's burn (0.3 s, plus its start; /proc counts whole clock ticks, rounded
        # down), counted once, and not the test's own time.
        assert 0.25 <= spent < 2.0
    finally:
        child.kill()
        child.wait()


def test_without_a_server_there_is_no_cpu_figure():
    assert throughput.workers_cpu(0) is None


def test_a_row_is_a_share_of_the_floor_around_it_with_its_cpu_per_request(monkeypatch):
    """Floors of 1,000 and 3,000 req/s around a row of 300: 15 % of their mean, within a
    page's budget; the CPU read before and after each measurement, divided by its requests."""
    answers = iter([
        (1000.0, 1.0, 5.0, 0, 1000),  # the floor before
        (50.0, 4.0, 9.0, 0, 50),  # warming up
        (300.0, 5.0, 20.0, 0, 600),  # the row
        (3000.0, 1.0, 5.0, 0, 3000),  # the floor after
    ])  # fmt: skip
    clock = iter([10.0, 10.5, 20.0, 21.2, 30.0, 31.5])
    monkeypatch.setattr(throughput, "load", lambda *_args: next(answers))
    monkeypatch.setattr(throughput, "workers_cpu", lambda _server: next(clock))
    floors, (row,) = throughput.measure_rows(
        [("dashboard", "page", "http://x/", {})],
        "http://floor/",
        SimpleNamespace(seconds=2, connections=4),
        app_server=1,
        floor_server=2,
    )
    assert [f.rps for f in floors] == [1000.0, 3000.0]
    assert row.floor == 2000.0
    assert row.share == pytest.approx(0.15)
    assert row.within
    assert row.cpu_ms == pytest.approx(1.2 / 600 * 1000)  # 2 ms a request
    assert floors[0].cpu_ms == pytest.approx(0.5 / 1000 * 1000)
    assert floors[1].cpu_ms == pytest.approx(1.5 / 3000 * 1000)


def test_reference_rows_are_shown_but_not_judged(capsys):
    """The frame's rows (``benchmarks/frame.py``) say what a page pays before its content: they
    have no budget, so a low share is not counted as outside it, while a real row still is."""
    floor = throughput.Result("floor", "floor", 10_000.0, 0.4, 5.0, 0)
    frame = throughput.Result("reference: frame", "reference", 1_000.0, 2.0, 3.0, 0, floor=10_000)
    page = throughput.Result("dashboard", "page", 600.0, 6.0, 8.0, 0, floor=10_000)
    assert frame.within and not page.within
    throughput.report([floor], [page, frame])
    out = capsys.readouterr().out
    assert "| reference: frame | 1,000 | 10.0% |" in out
    assert "reference, no budget" in out
    assert "1 of 1 outside the budget: dashboard" in out
