"""``pmolearn import people``: matched by email, the dry run says line by line what the real run
does (and the two agree), a bad file writes nothing unless told to skip its bad rows, managers
from the file or from pmolearn, internal mail domains accepted."""

from __future__ import annotations

from sqlalchemy import func, select

from pmolearn.extensions import db
from pmolearn.people.models import Person

HEADER = "email,name,org_unit,manager_email,job_title,roles,pmi_member\n"


def write(tmp_path, body: str, header: str = HEADER):
    path = tmp_path / "people.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Person))


def run(runner, path, *flags):
    return runner.invoke(args=["import", "people", str(path), *flags])


def test_the_dry_run_and_the_real_run_agree(runner, people, tmp_path):
    before = count()
    path = write(
        tmp_path,
        (
            "ana@corp.local,Ana Ortiz,DPMO,,PMO Analyst,,yes\n"
            f"boss@it.internal,Bo Boss,PMO,,Head,practitioner;pmo_head,no\n"
            f"{people['practitioner'].email},Prac Renamed,PMO,boss@it.internal,,,no\n"
            f"{people['colleague'].email},{people['colleague'].name},DPMO,,,,no\n"
        ),
    )  # managers may be on a later line
    dry = run(runner, path, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert count() == before
    real = run(runner, path)
    assert real.exit_code == 0, real.output
    lines = lambda out: [x for x in out.splitlines() if x.startswith("line ")]  # noqa: E731
    assert lines(dry.output) == lines(real.output)
    assert "would 2 create, 1 update, 1 unchanged, 0 refused" in dry.output
    assert count() == before + 2
    ana = db.session.scalar(select(Person).where(Person.email == "ana@corp.local"))
    assert ana.pmi_member and ana.org_unit.code == "DPMO"
    db.session.expire_all()
    prac = db.session.get(Person, people["practitioner"].id)
    boss = db.session.scalar(select(Person).where(Person.email == "boss@it.internal"))
    assert (prac.name, prac.manager_id) == ("Prac Renamed", boss.id)
    assert boss.role_codes == {"practitioner", "pmo_head"}


def test_a_bad_file_writes_nothing_and_names_each_line_and_field(runner, people, tmp_path):
    before = count()
    path = write(
        tmp_path,
        (
            "good@example.org,Good Row,PMO,,,,no\n"
            "not-an-email,Bad Email,PMO,,,,no\n"
            "nounit@example.org,No Unit,Atlantis,,,,no\n"
            "badmgr@example.org,Bad Manager,PMO,ghost@example.org,,,no\n"
            "badflag@example.org,Bad Flag,PMO,,,,perhaps\n"
            "good@example.org,Twice,PMO,,,,no\n"
        ),
    )
    result = run(runner, path)
    assert result.exit_code == 1
    for expected in (
        "line 3",
        "line 4 (nounit@example.org): org_unit",
        "ghost@example.org",
        "pmi_member",
        "line 7 (good@example.org): email: already on line 2",
    ):
        assert expected in result.output, expected
    assert count() == before
    skipped = run(runner, path, "--skip-invalid")
    assert skipped.exit_code == 0 and count() == before + 1


def test_a_file_with_wrong_columns_is_refused_whole(runner, people, tmp_path):
    path = write(tmp_path, "x@example.org,X\n", header="mail,full_name\n")
    result = run(runner, path)
    assert result.exit_code == 1 and "Missing column(s): email, name, org_unit" in result.output


def test_the_upload_page_previews_then_imports(client, people, login):
    import io

    login(people["admin"])
    body = (HEADER + "new@corp.local,New Person,PMO,,,,no\n").encode()
    preview = client.post(
        "/admin/people/import",
        data={"file": (io.BytesIO(body), "people.csv"), "dry_run": "y"},
        content_type="multipart/form-data",
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "will be created" in html
    assert not db.session.scalar(select(Person).where(Person.email == "new@corp.local"))
    done = client.post(
        "/admin/people/import",
        data={"file": (io.BytesIO(body), "people.csv")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 200 and "created" in done.get_data(as_text=True)
    assert db.session.scalar(select(Person).where(Person.email == "new@corp.local"))
    bad = client.post(
        "/admin/people/import",
        data={"file": (io.BytesIO(b"email,name\nx@y.org,X\n"), "people.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "Missing column" in bad.get_data(as_text=True)
    login(people["hr"])
    assert client.get("/admin/people/import").status_code == 403
