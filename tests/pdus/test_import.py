"""CSV import of past PDUs: every row valid or nothing written; errors name line and column."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from pmolearn import clock
from pmolearn.audit.models import AuditEvent
from pmolearn.extensions import db
from pmolearn.pdus.import_file import COLUMNS, ImportFailed
from pmolearn.pdus.importer import import_activities
from pmolearn.pdus.models import PduActivity
from tests.pdus.helpers import course, hold_pmp, log

HEADER = "email,title,activity_type,completed_on,pdus,ways_of_working,certifications"


def activity_count() -> int:
    return db.session.scalar(select(func.count()).select_from(PduActivity))


def csv_file(tmp_path, *lines: str, encoding="utf-8"):
    path = tmp_path / "history.csv"
    path.write_bytes("\n".join(lines).encode(encoding) + b"\n")
    return path


@pytest.fixture
def holder(catalog, people):
    """The practitioner holds a PMP earned on 2024-03-01."""
    hold_pmp(people["practitioner"])
    return people["practitioner"]


def run_import(runner, path, *args):
    return runner.invoke(args=["import", "pdus", str(path), *args])


# --- command line --------------------------------------------------------------------------


def test_cli_imports_every_row_with_an_audit_trail(runner, holder, people, tmp_path):
    path = csv_file(
        tmp_path,
        HEADER + ",status",
        "prac@example.org,Agile course,course,2024-05-10,7.5,7.5,PMP,",
        "PRAC@example.org,Chapter meeting,organization_meeting,2024-06-01,1.5,1.5,pmp,draft",
        "hr@example.org,Mentoring juniors,share_knowledge,2023-01-15,2,,,",
    )

    result = run_import(runner, path)

    assert result.exit_code == 0, result.output
    assert "Imported 3 activities for 2 people." in result.output
    activities = db.session.scalars(select(PduActivity).order_by(PduActivity.id)).all()
    assert [a.title for a in activities] == ["Agile course", "Chapter meeting", "Mentoring juniors"]
    assert [a.status for a in activities] == ["claimed", "draft", "claimed"]
    assert [len(a.credentials) for a in activities] == [1, 1, 0]
    assert activities[2].person_id == people["hr"].id
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "pdu_activity")
    ).all()
    assert len(events) == 3
    assert {(e.action, e.actor_id) for e in events} == {("create", None)}


def test_cli_bad_row_names_line_and_field_and_imports_nothing(runner, holder, tmp_path):
    path = csv_file(
        tmp_path,
        HEADER,
        "prac@example.org,Agile course,course,2024-05-10,7.5,7.5,PMP",
        "prac@example.org,Odd amount,course,2024-05-11,1.1,1.1,PMP",
        "prac@example.org,Another course,course,2024-05-12,2,2,PMP",
    )
    before = activity_count()

    result = run_import(runner, path)

    assert result.exit_code == 1
    assert "line 3, pdus: Must be in steps of 0.25" in result.output
    assert "Nothing imported" in result.output
    assert activity_count() == before == 0


def test_cli_reports_every_error_at_once(runner, holder, tmp_path):
    path = csv_file(
        tmp_path,
        HEADER,
        "nobody@example.org,A,course,2024-05-10,1,1,",
        "prac@example.org,,dancing,2099-01-01,x,,",
    )
    result = run_import(runner, path)
    assert result.exit_code == 1
    for expected in (
        "line 2, email: No person with email nobody@example.org.",
        "line 3, title: Required.",
        "line 3, activity_type: Unknown activity type",
        "line 3, completed_on: Cannot be in the future.",
        "line 3, pdus: Must be a number",
    ):
        assert expected in result.output


def test_cli_dry_run_writes_nothing(runner, holder, tmp_path):
    path = csv_file(tmp_path, HEADER, "prac@example.org,Agile course,course,2024-05-10,3,3,PMP")
    result = run_import(runner, path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Would import 1 activities for 1 people." in result.output
    assert activity_count() == 0


def test_unknown_column_and_missing_required_column(runner, holder, tmp_path):
    path = csv_file(
        tmp_path, "email,title,colour,completed_on", "prac@example.org,A,red,2024-05-10"
    )
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "line 1, colour: Unknown column" in result.output
    assert "line 1, activity_type: Required column is missing." in result.output
    assert "line 1, pdus: Required column is missing." in result.output


def test_cli_needs_the_email_column(runner, holder, tmp_path):
    path = csv_file(tmp_path, "title,activity_type,completed_on,pdus", "A,volunteer,2024-05-10,1")
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "line 1, email: Required column is missing." in result.output


def test_unknown_and_unheld_certification_codes(runner, holder, tmp_path):
    path = csv_file(
        tmp_path,
        HEADER,
        "prac@example.org,Agile course,course,2024-05-10,3,3,XYZ",
        "prac@example.org,Other course,course,2024-05-11,3,3,PMP;PgMP",
    )
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "line 2, certifications: Unknown certification code 'XYZ'." in result.output
    assert "line 3, certifications: prac@example.org holds no PgMP credential" in result.output
    assert activity_count() == 0


def test_activity_before_the_credential_was_earned(runner, holder, tmp_path):
    path = csv_file(tmp_path, HEADER, "prac@example.org,Old course,course,2020-05-10,3,3,PMP")
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "line 2, certifications: Completed before PMP was earned" in result.output


def test_non_utf8_file_is_refused_clearly(runner, holder, tmp_path):
    path = csv_file(
        tmp_path,
        HEADER,
        "prac@example.org,Agile course,course,2024-05-10,3,3,PMP",
        "prac@example.org,Café talk,course,2024-05-11,3,3,PMP",
        encoding="latin-1",
    )
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "line 3, file: The file is not UTF-8 text" in result.output
    assert activity_count() == 0


def test_excel_bom_and_crlf_are_accepted(runner, holder, tmp_path):
    path = tmp_path / "excel.csv"
    text = HEADER + "\r\nprac@example.org,Café course,course,2024-05-10,3,3,PMP\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    result = run_import(runner, path)
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(PduActivity.title)) == "Café course"


def test_duplicate_rows_in_the_file_and_already_recorded(runner, holder, tmp_path):
    log(holder, course("Logged before", "2024-04-01", "2"))
    path = csv_file(
        tmp_path,
        HEADER,
        "prac@example.org,Agile course,course,2024-05-10,1.5,1.5,",
        "prac@example.org,agile course ,course,2024-05-10,1.50,1.50,",
        "prac@example.org,Logged before,course,2024-04-01,2,2,",
    )
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "line 3, title: Repeats line 2" in result.output
    assert "line 4, title: Already recorded as activity" in result.output
    assert activity_count() == 1


def test_empty_file_header_only_and_too_many_rows(app, holder):
    today = clock.today()
    for source, expected in (
        (b"", "line 1, file: The file is empty"),
        (HEADER.encode(), "line 2, file: No activities"),
        (
            (HEADER + "\n" + "prac@example.org,A,volunteer,2024-05-10,1,,\n" * 5001).encode(),
            "line 5002, file: More than 5,000 activities",
        ),
    ):
        with pytest.raises(ImportFailed) as failed:
            import_activities(source, person=None, actor=None, today=today)
        (error,) = failed.value.errors
        assert str(error).startswith(expected)


def test_area_split_error_names_the_area_columns(app, holder):
    source = "title,activity_type,completed_on,pdus,ways_of_working,power_skills\n"
    source += "Course,course,2024-05-10,3,1,1\n"
    with pytest.raises(ImportFailed) as failed:
        import_activities(source, person=holder, actor=holder, today=clock.today())
    (error,) = failed.value.errors
    assert (error.line, error.field) == (2, "ways_of_working/power_skills/business_acumen")
    assert "adds up to 2" in error.message


def test_quoted_multiline_notes_keep_line_numbers(app, holder):
    source = 'title,activity_type,completed_on,pdus,notes\nA,volunteer,2024-05-10,1,"two\nlines"\n'
    source += "B,volunteer,2024-05-11,1.1,\n"
    with pytest.raises(ImportFailed) as failed:
        import_activities(source, person=holder, actor=holder, today=clock.today())
    assert [(e.line, e.field) for e in failed.value.errors] == [(4, "pdus")]


# --- upload page ---------------------------------------------------------------------------


def upload(client, text: str | bytes, filename="history.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        "/pdus/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def test_page_shows_the_upload_form(client, login, holder):
    login(holder)
    page = client.get("/pdus/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page
    assert "/pdus/import/template.csv" in page


def test_upload_imports_own_history(client, login, holder):
    login(holder)
    response = upload(
        client,
        "title,activity_type,completed_on,pdus,ways_of_working,certifications\n"
        "Agile course,course,2024-05-10,7.5,7.5,PMP\n"
        "Chapter talk,give_presentation,2024-06-10,2,,PMP\n",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")
    assert "Imported 2 PDU activities." in client.get("/").get_data(as_text=True)
    people_ids = set(db.session.scalars(select(PduActivity.person_id)))
    assert people_ids == {holder.id}
    audit = select(AuditEvent.actor_id).where(AuditEvent.entity_type == "pdu_activity")
    actors = set(db.session.scalars(audit))
    assert actors == {holder.id}


def test_upload_failure_shows_the_error_table_and_imports_nothing(client, login, holder):
    login(holder)
    response = upload(
        client,
        "email,title,activity_type,completed_on,pdus,ways_of_working\n"
        "prac@example.org,Agile course,course,2024-05-10,7.5,7.5\n"
        "prac@example.org,Odd,course,2024-05-11,1.1,1.1\n"
        "hr@example.org,Not mine,volunteer,2024-05-12,1,\n",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    assert "<td>3</td>" in page and "<code>pdus</code>" in page
    assert "Must be in steps of 0.25" in page
    assert "<td>4</td>" in page and "Must be your own email" in page
    assert activity_count() == 0


def test_upload_refuses_a_non_csv_file_and_a_missing_file(client, login, holder):
    login(holder)
    response = upload(client, "whatever", filename="history.xlsx")
    assert response.status_code == 422
    assert "Upload a .csv file" in response.get_data(as_text=True)
    response = client.post("/pdus/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose a CSV file." in response.get_data(as_text=True)


def test_template_download_round_trips(client, login, holder):
    login(holder)
    response = client.get("/pdus/import/template.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert rows[1][0] == holder.email
    # The example row is valid as it stands for a PMP holder.
    assert upload(client, response.data).status_code == 302
    assert activity_count() == 1


def test_pages_need_sign_in(client, people):
    assert client.get("/pdus/import").status_code == 302
    assert client.get("/pdus/import/template.csv").status_code == 302
