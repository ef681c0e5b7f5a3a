"""CSV and XLSX downloads, safe to open in a spreadsheet.

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a
formula by Excel or LibreOffice (CSV injection); such cells get a leading apostrophe. Numbers
(Decimal, int, float) stay numbers so totals still add up in the sheet.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A semicolon-separated UTF-8 CSV (with BOM) as Dutch Excel expects, decimal comma."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        cells = []
        for value in row:
            value = safe_cell(value)
            if isinstance(value, Decimal):
                value = f"{value:.2f}".replace(".", ",")
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            cells.append(value)
        writer.writerow(cells)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence], title: str = "Export"
) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([safe_cell(h) for h in header])
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename)


EXPORT_FORMATS = ("csv", "xlsx")


def export_response(
    fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence], title: str
) -> HttpResponse:
    """The download in the format the URL asked for (`csv` or `xlsx`; views 404 on others)."""
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows, title=title)
    return csv_response(filename, header, rows)
