"""Exports stream in memory that does not grow with the data, and stay safe to open."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from portfolio.models import Variant
from smartdelta import exports
from tests.conftest import client_for, make_position, make_project, make_theme

HEADER = ["Naam", "Bedrag", "Opmerking"]


class Rows:
    """Rows handed out one by one, counting how many were read."""

    def __init__(self, count):
        self.count = count
        self.read = 0

    def __iter__(self):
        for n in range(self.count):
            self.read += 1
            yield [f"Project {n}", Decimal("1234.50"), "=SUM(A1:A9)" if n == 0 else "-"]


def _csv_rows(data: bytes):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_is_streamed_header_first_before_any_row_is_read():
    rows = Rows(1201)
    response = exports.csv_response("x.csv", HEADER, rows)
    assert isinstance(response, StreamingHttpResponse)
    chunks = iter(response.streaming_content)
    first = next(chunks)
    assert first == "\ufeffNaam;Bedrag;Opmerking\r\n".encode()
    assert rows.read == 0
    second = next(chunks)
    # One chunk of rows at a time, not the whole file.
    assert rows.read == exports.CSV_ROWS_PER_CHUNK
    assert second.count(b"\r\n") == exports.CSV_ROWS_PER_CHUNK
    data = first + second + b"".join(chunks)
    assert rows.read == 1201
    parsed = _csv_rows(data)
    assert parsed[0] == HEADER and len(parsed) == 1202
    assert parsed[1] == ["Project 0", "1234,50", "'=SUM(A1:A9)"]
    assert parsed[2][2] == "'-"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_xlsx_is_streamed_fixed_parts_first_before_any_row_is_read():
    rows = Rows(30000)
    response = exports.xlsx_response("x.xlsx", HEADER, rows, title="Portfolio")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == exports.XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="x.xlsx"'
    chunks = iter(response.streaming_content)
    first = next(chunks)
    assert first.startswith(b"PK") and rows.read == 0
    second = next(chunks)
    # A chunk holds some rows, not the whole sheet.
    assert 0 < rows.read < 30000 and second
    data = first + second + b"".join(chunks)
    assert rows.read == 30000
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Portfolio"
    assert [c.value for c in sheet[1]] == HEADER and sheet["A1"].font.bold
    assert not sheet["A2"].font.bold
    assert sheet["B2"].value == 1234.5  # numbers stay numbers
    assert sheet["C2"].value == "'=SUM(A1:A9)"
    assert sheet["C3"].value == "'-"
    assert sheet.max_row == 30001 and sheet["A30001"].value == "Project 29999"


def test_xlsx_cells_keep_their_type_and_lose_what_xml_refuses():
    day = datetime.date(2026, 11, 30)
    row = [
        "Tab\tin <b>&amp;</b>\x00 naam",
        7,
        Decimal("0.10"),
        day,
        True,
        None,
        "  spaties  ",
    ]
    data = exports.xlsx_response("x.xlsx", [f"K{n}" for n in range(30)], [row], "T").getvalue()
    sheet = load_workbook(io.BytesIO(data)).active
    values = [c.value for c in sheet[2]]
    assert values[0] == "Tab\tin <b>&amp;</b> naam"
    assert values[1:3] == [7, 0.1]
    assert values[3] == datetime.datetime(2026, 11, 30) and sheet["D2"].is_date
    assert values[4] == "ja" and values[5] is None and values[6] == "  spaties  "
    assert sheet["AD1"].value == "K29"  # column letters past Z


@pytest.mark.parametrize(
    "name, title",
    [
        ("Wonen/Werken: [fase 1]?*", "Wonen-Werken- -fase 1---"),
        ("Energie\\Water", "Energie-Water"),
        ("'Quoted'", "Quoted"),
        ("Een heel lang thema dat niet op een tabblad past", "Een heel lang thema dat niet op"),
        ("///", "---"),
        ("", "Export"),
        ("History", "Export"),
        ("Tab\tin\x00naam", "Tab-in-naam"),
    ],
)
def test_sheet_titles_drop_what_excel_refuses(name, title):
    assert exports.sheet_title(name) == title
    assert len(exports.sheet_title(name)) <= 31


def test_hostile_theme_name_exports_fine(core_municipalities, councillor_dordrecht):
    theme = make_theme("Wonen/Werken: [fase 1]?* \\ en nog veel meer tekst", order=9)
    project = make_project("Project\x1b met <b>opmaak</b>", theme=theme)
    make_position(
        project, core_municipalities["Dordrecht"], Variant.SOLIDARITY, amount=Decimal("10")
    )
    client = client_for(councillor_dordrecht)
    response = client.get(f"/projecten/sorteerbak/{theme.slug}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet.title == "Wonen-Werken- -fase 1--- - en n"  # 31 characters
    assert sheet["A2"].value == "Project met <b>opmaak</b>"
    response = client.get("/projecten/export.xlsx")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.getvalue())).active["B2"].value == theme.name


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_project_export_reads_projects_in_chunks_in_a_fixed_number_of_queries(
    django_assert_num_queries, core_municipalities, theme, councillor_dordrecht, fmt
):
    client = client_for(councillor_dordrecht)
    client.get("/")  # the session and user, loaded once

    def export():
        response = client.get(f"/projecten/export.{fmt}")
        return response.getvalue()

    make_project("Eerste", theme=theme)
    # session, user, core municipalities, the projects, their positions
    with django_assert_num_queries(5):
        export()
    for n in range(9):
        make_project(f"Project {n}", theme=theme)
    with django_assert_num_queries(5):
        data = export()
    if fmt == "csv":
        assert len(_csv_rows(data)) == 11


def test_project_export_reads_positions_per_chunk_of_projects(
    django_assert_num_queries, monkeypatch, core_municipalities, theme, councillor_dordrecht
):
    from portfolio import views

    monkeypatch.setattr(views, "EXPORT_CHUNK", 4)
    for n in range(10):
        make_project(f"Project {n}", theme=theme)
    client = client_for(councillor_dordrecht)
    client.get("/")
    # session, user, core municipalities, the projects (one query, fetched 4 at a time), and
    # the positions of each chunk of 4, 4 and 2 projects
    with django_assert_num_queries(7):
        data = client.get("/projecten/export.csv").getvalue()
    assert len(_csv_rows(data)) == 11


def test_project_export_streams_through_the_view(core_municipalities, theme, councillor_dordrecht):
    project = make_project('=HYPERLINK("http://evil")', theme=theme)
    make_position(
        project,
        core_municipalities["Dordrecht"],
        Variant.SOLIDARITY,
        amount=Decimal("5"),
        status="ingediend",  # a councillor sees submitted positions, not concepts
    )
    response = client_for(councillor_dordrecht).get("/projecten/export.csv")
    assert response.status_code == 200 and response.streaming
    rows = _csv_rows(response.getvalue())
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'
    assert rows[1][4] == "900000,00"
    assert rows[1][rows[0].index("Dordrecht")] == Variant.SOLIDARITY.label
