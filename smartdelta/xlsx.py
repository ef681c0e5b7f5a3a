"""A one-sheet XLSX workbook written as a stream: the first bytes leave before the first row is read.

openpyxl (also in write-only mode) assembles the ZIP archive only when the workbook is saved,
so a download waited for its last row before its first byte (9 s for the project export at
ten times today's data). An XLSX file is a ZIP of a few XML parts; four are fixed and small
(content types, relations, workbook, styles) and one holds the rows. This writes the fixed
parts first and then the sheet, row by row, deflated as it goes; Python's `zipfile` writes to a
stream that cannot seek by putting each part's sizes after its data (a data descriptor), which
Excel, LibreOffice and openpyxl read. The tests read every workbook back with openpyxl.

Cells are what `smartdelta.exports.safe_cell` makes of a value: text (inline strings), numbers
and dates (a serial day number with the date format); the header row is bold.
"""

import datetime
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

# Characters XML 1.0 does not allow (a NUL typed into a name); dropped from text cells.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Bytes collected before they are handed to the server: a few deflated rows per chunk.
CHUNK_BYTES = 64 * 1024
EXCEL_EPOCH = datetime.date(1899, 12, 30)

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Cell styles: 0 plain, 1 bold (the header), 2 a date (built-in number format 14).
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)
PLAIN, BOLD, DATE = 0, 1, 2


def _workbook(title: str) -> str:
    return (
        _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>'
        f'<sheet name={quoteattr(title)} sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def column(index: int) -> str:
    """The letters of a column: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value, style: int) -> str:
    if isinstance(value, bool):
        value = "ja" if value else "nee"
    if isinstance(value, (int, float, Decimal)):
        return f'<c r="{ref}"{_s(style)}><v>{value}</v></c>'
    if isinstance(value, datetime.date):
        serial = (value - EXCEL_EPOCH).days
        return f'<c r="{ref}" s="{DATE}"><v>{serial}</v></c>'
    text = escape(ILLEGAL_XML.sub("", str(value)))
    return f'<c r="{ref}" t="inlineStr"{_s(style)}><is><t xml:space="preserve">{text}</t></is></c>'


def _s(style: int) -> str:
    return f' s="{style}"' if style else ""


def _row(number: int, values: Sequence, style: int = PLAIN) -> str:
    cells = "".join(
        _cell(f"{column(index)}{number}", value, style)
        for index, value in enumerate(values)
        if value is not None and value != ""
    )
    return f'<row r="{number}">{cells}</row>'


class _Sink:
    """A write-only stream that keeps what was written until it is taken."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


def stream(header: Sequence[str], rows: Iterable[Sequence], title: str) -> Iterator[bytes]:
    """The workbook's bytes, chunk by chunk; `rows` are read as the chunks are taken."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook(title))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            sheet.write(_row(1, header, BOLD).encode())
            # Out before the first row is read (and its query run).
            yield sink.take()
            for number, values in enumerate(rows, start=2):
                sheet.write(_row(number, values).encode())
                if sink.size >= CHUNK_BYTES:
                    yield sink.take()
            sheet.write(b"</sheetData></worksheet>")
    yield sink.take()
