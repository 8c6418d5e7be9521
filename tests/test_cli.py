"""The console script's own commands, run as a user runs them."""

from __future__ import annotations

from sqlalchemy import func, select

from pmolearn.catalog.models import Certification
from pmolearn.extensions import db


def test_seed_twice_changes_nothing_the_second_time(runner, app, empty_catalog):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "certifications created 8" in first.output
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0, second.output
    assert "already up to date" in second.output
    assert db.session.scalar(select(func.count()).select_from(Certification)) == 8


def test_seed_reports_a_bad_seeds_folder(runner, app, tmp_path):
    (tmp_path / "certifications.yaml").write_text("schema_version: 99\n")
    result = runner.invoke(args=["seed", "--dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "schema_version" in result.output


def test_demo_prints_the_four_sign_ins(runner, app, catalog):
    result = runner.invoke(args=["demo", "--staff", "30", "--seed", "5", "--password", "secret-pw"])
    assert result.exit_code == 0, result.output
    for email in (
        "admin@example.com",
        "hr@example.com",
        "pmo@example.com",
        "practitioner@example.com",
    ):
        assert email in result.output
    assert "secret-pw" in result.output


def test_demo_refuses_a_short_password(runner, app):
    result = runner.invoke(args=["demo", "--password", "short"])
    assert result.exit_code != 0
    assert "8 characters" in result.output
