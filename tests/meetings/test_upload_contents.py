"""What is inside an uploaded paper (issue 32, "Files people upload").

Every hostile file is built here, small and fast: the five the issue names (a PDF with
OpenAction JavaScript, an HTML/PDF polyglot, a DOCX with an external template, a DOCX that
inflates far beyond its size and an .xlsx with a macro part that declares an ordinary sheet),
variants that hide the same thing another way, and clean files that must still be accepted.
"""

import datetime
import io
import struct
import zipfile
import zlib

import openpyxl
import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pikepdf import Array, Dictionary, Name, String

from meetings import meetings
from meetings.models import MeetingPaper
from smartdelta.errors import DomainError
from tables.demo import demo_pdf
from tests.conftest import client_for

# -- PDF builders --------------------------------------------------------------------------------


def written_pdf(catalog_extra: bytes = b"", header: bytes = b"%PDF-1.4\n") -> bytes:
    """A one-page PDF written byte by byte, with a correct cross-reference table, so a test can
    put exactly what it wants in the catalog or the header."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = header
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def object_stream_pdf(filler: int) -> bytes:
    """Catalog, page tree and page written plainly; the catalog's OpenAction (object 5) is
    JavaScript in a compressed object stream (object 6), after a string of `filler` spaces."""
    inner = [b"(" + b" " * filler + b")", b"<< /S /JavaScript /JS (app.alert[1]) >>"]
    header = b"4 0 5 %d\n" % (len(inner[0]) + 1)
    packed = zlib.compress(header + b"\n".join(inner), 9)
    plain = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        6: b"<< /Type /ObjStm /N 2 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream",
    }
    out = b"%PDF-1.5\n"
    rows = {0: (0, 0, 65535), 4: (2, 6, 0), 5: (2, 6, 1)}
    for number, body in plain.items():
        rows[number] = (1, len(out), 0)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    rows[7] = (1, len(out), 0)
    table = b"".join(struct.pack(">BIH", *rows[number]) for number in range(8))
    out += b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(
        table
    )
    return out + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % rows[7][1]


def made_pdf(change=None, **save) -> bytes:
    """A one-page PDF made with pikepdf, after `change(pdf)`."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if change is not None:
        change(pdf)
    buffer = io.BytesIO()
    pdf.save(buffer, **save)
    return buffer.getvalue()


def script():
    return Dictionary(S=Name.JavaScript, JS=String("app.alert(document.cookie)"))


def open_action_javascript(pdf):
    pdf.Root.OpenAction = script()


def indirect_open_action(pdf):
    pdf.Root.OpenAction = pdf.make_indirect(script())


def names_tree_javascript(pdf):
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("start"), pdf.make_indirect(script())]))
    )


def link_with_javascript(pdf):
    # A direct action inside a direct annotation inside the page's array of annotations.
    pdf.pages[0].Annots = Array(
        [Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 100, 100], A=script())]
    )


def launch_action(pdf):
    pdf.Root.OpenAction = Dictionary(S=Name.Launch, F=String("C:\\Windows\\System32\\cmd.exe"))


def embedded_file(pdf):
    pdf.attachments["factuur.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00")


def uri_link(pdf):
    pdf.pages[0].Annots = Array(
        [
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=[0, 0, 100, 100],
                A=Dictionary(S=Name.URI, URI=String("https://www.smartdelta.nl/")),
            )
        ]
    )
    pdf.docinfo["/Title"] = "Voortgangsrapportage"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refused(file: SimpleUploadedFile) -> str:
    with pytest.raises(DomainError) as error:
        meetings.check_paper_file(file)
    return str(error.value)


JAVASCRIPT = "Dit PDF-bestand bevat JavaScript; dat nemen we niet aan. Sla het op zonder scripts (bijvoorbeeld via Afdrukken naar PDF) en probeer het opnieuw."
POLYGLOT = "Dit PDF-bestand is tegelijk een webpagina (er staat HTML in); dat nemen we niet aan."
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


# -- PDF -----------------------------------------------------------------------------------------


def test_a_pdf_with_openaction_javascript_is_refused():
    assert refused(upload("agenda.pdf", made_pdf(open_action_javascript))) == JAVASCRIPT


@pytest.mark.parametrize(
    "content",
    [
        made_pdf(indirect_open_action, object_stream_mode=pikepdf.ObjectStreamMode.generate),
        made_pdf(names_tree_javascript),
        made_pdf(link_with_javascript),
        # Names written with #-escapes are read as the names they spell.
        written_pdf(b"/OpenAction << /S /Java#53cript /J#53 (app.alert[1]) >>"),
    ],
    ids=["in-een-objectstroom", "namenboom", "koppeling-op-pagina", "verstopte-namen"],
)
def test_javascript_is_found_wherever_the_pdf_puts_it(content):
    assert refused(upload("agenda.pdf", content)) == JAVASCRIPT


def test_launch_actions_and_embedded_files_are_refused():
    assert "opdracht om een programma of ander bestand te starten" in refused(
        upload("agenda.pdf", made_pdf(launch_action))
    )
    assert "bevat ingesloten bestanden" in refused(upload("agenda.pdf", made_pdf(embedded_file)))


def test_an_html_pdf_polyglot_is_refused():
    # A PDF every reader opens whose first comment is a web page.
    polyglot = written_pdf(header=b"%PDF-1.4\n%" + HTML + b"\n")
    with pikepdf.open(io.BytesIO(polyglot)) as pdf:
        assert len(pdf.pages) == 1
    assert refused(upload("agenda.pdf", polyglot)).startswith(POLYGLOT)
    # The classic form: the web page first, the PDF inside an HTML comment.
    wrapped = b"<!doctype html>" + HTML + b"<!--\n" + written_pdf() + b"-->"
    assert refused(upload("agenda.pdf", wrapped)).startswith(POLYGLOT)


def test_objects_too_large_to_inflate_are_refused_not_left_unchecked():
    # Within the limit the script in the object stream is found.
    assert refused(upload("agenda.pdf", object_stream_pdf(filler=10))) == JAVASCRIPT
    # Past it qpdf reads the stream's objects as null; the file is refused, not accepted blind.
    previous = pikepdf.settings.set_qpdf_limits(flate_max_memory=1024 * 1024)
    try:
        message = refused(upload("agenda.pdf", object_stream_pdf(filler=2 * 1024 * 1024)))
    finally:
        pikepdf.settings.set_qpdf_limits(**previous)
    assert "kan niet als PDF worden gelezen" in message


def test_a_pdf_must_start_as_a_pdf_and_be_readable():
    assert "begint niet als PDF" in refused(upload("agenda.pdf", b"junk\n" + written_pdf()))
    assert "‘agenda.pdf’ kan niet als PDF worden gelezen" in refused(
        upload("agenda.pdf", b"%PDF-1.4\nniets dan tekst")
    )
    locked = made_pdf(encryption=pikepdf.Encryption(user="geheim", owner="geheim"))
    assert "met een wachtwoord beveiligd" in refused(upload("agenda.pdf", locked))


@pytest.mark.parametrize(
    "content",
    [
        demo_pdf("Notitie belangen en commitment"),
        written_pdf(),
        made_pdf(uri_link, object_stream_mode=pikepdf.ObjectStreamMode.generate),
    ],
    ids=["demo", "met-de-hand", "pikepdf-met-link"],
)
def test_a_clean_pdf_is_accepted(content):
    assert meetings.check_paper_file(upload("Agenda.PDF", content)) == (
        "Agenda.pdf",
        meetings.PDF,
    )


# -- Office builders -----------------------------------------------------------------------------

CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SETTINGS = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
VBA = "application/vnd.ms-office.vbaProject"


def content_types(overrides: dict[str, str], defaults: dict[str, str] | None = None) -> str:
    defaults = {
        "rels": "application/vnd.openxmlformats-package.relationships+xml",
        "xml": "application/xml",
        **(defaults or {}),
    }
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CONTENT_TYPES}">'
        + "".join(f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in defaults.items())
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides.items())
        + "</Types>"
    )


def relationships(*relations: tuple[str, str, bool]) -> str:
    """(type, target, external) for each relationship."""
    rows = "".join(
        f'<Relationship Id="rId{number}" Type="{kind}" Target="{target}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for number, (kind, target, external) in enumerate(relations, start=1)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONSHIPS}">{rows}</Relationships>'


def zipped(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_parts(settings_relations: tuple = ()) -> dict[str, str | bytes]:
    """A small Word document with a hyperlink to a web site, as Word writes one."""
    parts = {
        "[Content_Types].xml": content_types(
            {"/word/document.xml": meetings.MAIN_PART[".docx"], "/word/settings.xml": SETTINGS}
        ),
        "_rels/.rels": relationships((f"{OFFICE}/officeDocument", "word/document.xml", False)),
        "word/document.xml": (
            f'<w:document xmlns:w="{WORD}" xmlns:r="{OFFICE}"><w:body><w:p>'
            '<w:hyperlink r:id="rId2"><w:r><w:t>Smart Delta</w:t></w:r></w:hyperlink>'
            "</w:p></w:body></w:document>"
        ),
        "word/_rels/document.xml.rels": relationships(
            (f"{OFFICE}/settings", "settings.xml", False),
            (f"{OFFICE}/hyperlink", "https://www.smartdelta.nl/", True),
        ),
        "word/settings.xml": f'<w:settings xmlns:w="{WORD}" xmlns:r="{OFFICE}"/>',
    }
    if settings_relations:
        parts["word/_rels/settings.xml.rels"] = relationships(*settings_relations)
    return parts


def clean_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Project", "Bijdrage"])
    workbook.active.append(["Waterstof", 12500])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def repacked(package: bytes, change) -> bytes:
    """`package` with its parts changed by `change(parts)`, a dict of name to bytes."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    change(parts)
    return zipped(parts)


def declare_size(package: bytes, member: str, size: int) -> bytes:
    """`package` with the unpacked size of `member` set to `size` in its local header and its
    central directory entry: the zip says it inflates that far, the bytes stay small."""
    data = bytearray(package)
    name = member.encode()
    for signature, name_at, size_at in ((b"PK\x03\x04", 26, 22), (b"PK\x01\x02", 28, 24)):
        start = data.find(signature)
        while start != -1:
            length = struct.unpack_from("<H", data, start + name_at)[0]
            header = 30 if signature == b"PK\x03\x04" else 46
            if data[start + header : start + header + length] == name:
                struct.pack_into("<I", data, start + size_at, size)
            start = data.find(signature, start + 1)
    return bytes(data)


# -- Office --------------------------------------------------------------------------------------

# The start of an OLE compound file, which is what a vbaProject.bin is.
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b'Attribute VB_Name = "Module1"' * 20


def test_a_docx_with_an_external_template_is_refused():
    template = (f"{OFFICE}/attachedTemplate", "http://aanvaller.example/sjabloon.dotm", True)
    content = zipped(docx_parts(settings_relations=(template,)))
    assert refused(upload("notitie.docx", content)) == (
        "Dit DOCX-bestand haalt bij het openen iets van buiten het bestand op (een sjabloon, "
        "een gekoppeld bestand of een afbeelding); dat nemen we niet aan. Verbreek de koppeling "
        "of het sjabloon, sla het op en probeer het opnieuw."
    )


def test_an_external_link_in_a_workbook_is_refused():
    path = (f"{OFFICE}/externalLinkPath", "file:///\\\\server\\share\\geheim.xlsx", True)

    def link(parts):
        parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = relationships(path).encode()

    linked = repacked(clean_xlsx(), link)
    assert "haalt bij het openen iets van buiten" in refused(upload("begroting.xlsx", linked))


def test_a_docx_that_inflates_beyond_the_limit_is_refused():
    # 2 MB of zeros packs to about 2 kB: a ratio near 1000, real bytes, a small upload.
    bomb = zipped({**docx_parts(), "word/media/image1.png": bytes(2 * 1024 * 1024)})
    assert len(bomb) < 20 * 1024
    assert "pakt uit tot meer dan 100 keer zijn eigen grootte" in refused(
        upload("notitie.docx", bomb)
    )
    # The file declares 2 GiB; its central directory alone refuses it, nothing inflated.
    declared = declare_size(zipped(docx_parts()), "word/document.xml", 2 * 1024**3)
    assert refused(upload("notitie.docx", declared)).startswith(
        "Dit DOCX-bestand pakt uit tot meer dan 100 MB; dat nemen we niet aan."
    )


def declare(parts: dict, default: str) -> None:
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace("<Default ", default + "<Default ", 1).encode()


def vba_project(parts):
    """As Excel writes a macro workbook, but with the ordinary sheet as its main part."""
    parts["xl/vbaProject.bin"] = OLE
    declare(parts, f'<Default Extension="bin" ContentType="{VBA}"/>')
    relate(parts, "vbaProject.bin")


def vba_project_as_picture(parts):
    parts["xl/media/image1.png"] = OLE
    declare(parts, f'<Override PartName="/xl/media/image1.png" ContentType="{VBA}"/>')


def vba_project_by_relationship_only(parts):
    parts["xl/data1.dat"] = OLE
    declare(parts, '<Default Extension="dat" ContentType="application/octet-stream"/>')
    relate(parts, "data1.dat")


def relate(parts: dict, target: str) -> None:
    kind = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    row = f'<Relationship Id="rIdVba" Type="{kind}" Target="{target}"/>'
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>", row + "</Relationships>"
    ).encode()


@pytest.mark.parametrize(
    "change",
    [vba_project, vba_project_as_picture, vba_project_by_relationship_only],
    ids=["vbaProject.bin", "als-afbeelding", "alleen-de-relatie"],
)
def test_an_xlsx_with_a_macro_part_that_declares_an_ordinary_sheet_is_refused(change):
    content = repacked(clean_xlsx(), change)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert meetings.MAIN_PART[".xlsx"] in archive.read("[Content_Types].xml").decode()
    assert refused(upload("begroting.xlsx", content)) == (
        "Dit XLSX-bestand bevat macro’s of andere programmacode (VBA, ActiveX); dat nemen we niet "
        "aan. Sla het op zonder macro’s, als gewoon .xlsx-bestand, en probeer het opnieuw."
    )


def test_a_part_with_a_dtd_or_two_parts_of_one_name_make_no_office_file():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]>'
        f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="r" Type="&a;" Target="x"/>'
        "</Relationships>"
    )
    content = zipped({**docx_parts(), "word/_rels/settings.xml.rels": laughs})
    assert "is geen DOCX-bestand" in refused(upload("notitie.docx", content))
    buffer = io.BytesIO(zipped(docx_parts()))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("[content_types].xml", "<Types/>")
    assert "is geen DOCX-bestand" in refused(upload("notitie.docx", buffer.getvalue()))


def test_a_clean_docx_with_a_hyperlink_and_a_clean_xlsx_are_accepted():
    assert meetings.check_paper_file(upload("notitie.docx", zipped(docx_parts()))) == (
        "notitie.docx",
        meetings.DOCX,
    )
    assert meetings.check_paper_file(upload("begroting.xlsx", clean_xlsx())) == (
        "begroting.xlsx",
        meetings.XLSX,
    )


# -- through the upload page ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("agenda.pdf", made_pdf(open_action_javascript), JAVASCRIPT),
        (
            "begroting.xlsx",
            repacked(clean_xlsx(), vba_project),
            "Dit XLSX-bestand bevat macro’s of andere programmacode",
        ),
    ],
    ids=["pdf-met-javascript", "xlsx-met-macro"],
)
def test_the_upload_page_shows_the_refusal_and_stores_nothing(
    board_table, programme_office, settings, name, content, message
):
    meeting = meetings.plan_meeting(
        programme_office,
        board_table,
        date=timezone.localdate() + datetime.timedelta(days=20),
        location="Dordrecht",
    )
    item = meetings.add_agenda_item(programme_office, meeting, title="Portfolio")
    url = reverse("meetings:paper-upload", args=[meeting.pk, item.pk])
    response = client_for(programme_office).post(url, {"file": upload(name, content)})
    assert response.status_code == 200
    assert escape(message) in response.text
    assert not MeetingPaper.objects.exists()
    assert not any(settings.PAPERS_ROOT.rglob("*"))
