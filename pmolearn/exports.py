"""Tables as downloads: CSV streamed row by row, XLSX written by XlsxWriter in constant-memory
mode (rows go to disk as they come, so a long report does not sit in memory) and streamed from
a temporary file. Used by capability and the reports; the columns are the caller's."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Sequence

import xlsxwriter
from flask import Response, stream_with_context

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 64 * 1024


def _safe(value):
    """Spreadsheet formula injection: text starting with = + - @ is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _disposition(filename: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_safe(v) for v in row])
            if buffer.tell() > CHUNK:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={**_disposition(filename), "Cache-Control": "no-store"},
    )


def xlsx_response(
    filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence]
) -> Response:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the streaming generator closes it
    book = xlsxwriter.Workbook(
        spool, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    page = book.add_worksheet(sheet[:31])
    page.write_row(0, 0, list(header), bold)
    page.freeze_panes(1, 0)
    for n, row in enumerate(rows, start=1):
        page.write_row(n, 0, [_safe(v) for v in row])
    book.close()
    size = spool.tell()
    spool.seek(0)

    def chunks():
        try:
            while block := spool.read(CHUNK):
                yield block
        finally:
            spool.close()

    return Response(
        chunks(),
        mimetype=XLSX,
        headers={
            **_disposition(filename),
            "Content-Length": str(size),
            "Cache-Control": "no-store",
        },
    )


def table_response(fmt: str, filename: str, sheet: str, header, rows) -> Response:
    if fmt == "xlsx":
        return xlsx_response(f"{filename}.xlsx", sheet, header, rows)
    return csv_response(f"{filename}.csv", header, rows)
