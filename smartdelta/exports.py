"""CSV and XLSX downloads, safe to open in a spreadsheet, in memory that does not grow with the data.

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a
formula by Excel or LibreOffice (CSV injection); such cells get a leading apostrophe. Numbers
(Decimal, int, float) stay numbers so totals still add up in the sheet.

Both formats take `rows` as any iterable, read once: views pass a generator over
`queryset.iterator(chunk_size=...)`, so neither the rows nor the model objects are all in
memory at once. Both stream: the header goes out before the first row is read (the XLSX as a
ZIP written part by part, `smartdelta/xlsx.py`).
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import StreamingHttpResponse

from . import xlsx

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows per chunk of the CSV stream: large enough that chunks are not tiny writes, small enough
# that the first arrives at once.
CSV_ROWS_PER_CHUNK = 500
# Characters Excel refuses in a sheet name; a name is at most 31 characters long, may not start
# or end with an apostrophe, and "History" is reserved.
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:\x00-\x1f]")
SHEET_TITLE_MAX = 31


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (int, float, Decimal, datetime.date)):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def sheet_title(name: str, default: str = "Export") -> str:
    """A sheet name Excel and openpyxl accept, as close to `name` as may be."""
    title = SHEET_TITLE_FORBIDDEN.sub("-", str(name))
    title = " ".join(title.split())[:SHEET_TITLE_MAX].strip().strip("'").strip()
    if not title or title.lower() == "history":
        return default
    return title


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_cell(value):
    value = safe_cell(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _csv_chunks(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    buffer.write("\ufeff")
    writer.writerow([safe_cell(h) for h in header])
    # The header goes out before the first row is read (and its query run).
    yield buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for number, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(value) for value in row])
        if number % CSV_ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence]
) -> StreamingHttpResponse:
    """A semicolon-separated UTF-8 CSV (with BOM) as Dutch Excel expects, decimal comma."""
    response = StreamingHttpResponse(
        _csv_chunks(header, rows), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, filename)


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence], title: str = "Export"
) -> StreamingHttpResponse:
    """One sheet, streamed as it is written (`smartdelta.xlsx`), the header row in bold."""
    safe_rows = ([safe_cell(value) for value in row] for row in rows)
    chunks = xlsx.stream([safe_cell(h) for h in header], safe_rows, sheet_title(title))
    return _attachment(StreamingHttpResponse(chunks, content_type=XLSX_TYPE), filename)


EXPORT_FORMATS = ("csv", "xlsx")


def export_response(
    fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence], title: str
) -> StreamingHttpResponse:
    """The download in the format the URL asked for (`csv` or `xlsx`; views 404 on others)."""
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows, title=title)
    return csv_response(filename, header, rows)
