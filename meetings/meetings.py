"""Planning and running meetings of tables, regiekamers and the shareholders' meeting of Smart
Delta & Partners: the only writer of `Meeting`,
`AgendaItem`, `MeetingPaper` and `Attendance` (issue 15).

Who may: `permissions.can_plan_meeting` (the programme office; for a regiekamer also the chair
of the day). Every function takes the acting user first, runs in one transaction, re-checks
that permission (a refusal is a Dutch `DomainError` that changes nothing), locks and checks the
version the user saw where a row is changed (`smartdelta.versioning`), and stamps the user for
the history.

Papers: seed 004 names late papers as a problem of the tables ("Er is bijv. veel gezegd over
het tijdig versturen van stukken naar bestuurlijke tafels, ... Uiteindelijk zijn hierdoor
overleggen vaak “rommelig”"). So each meeting has a send-by date (ten days before it unless
the planner sets another), every paper keeps when it was delivered, the meeting page shows
what came late, and the members get one mail when the papers go out (`send_papers`).
"""

import datetime
import io
import os
import re
import unicodedata
import zipfile
import zlib
from xml.parsers import expat

import pikepdf
from django.conf import settings
from django.db import models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.fields import normalise_text
from smartdelta.formatting import format_date as datum
from smartdelta.formatting import format_datetime, one_line
from smartdelta.mail import absolute_url, queue_mail
from smartdelta.models import Organisation, User
from smartdelta.validators import REASON_MAX
from smartdelta.versioning import lock, stamp

from .models import AgendaItem, Attendance, Meeting, MeetingPaper, Presence

REFUSED = "Alleen het secretariaat van de {body} plant en beheert deze vergadering."


def require_planner(user: User, meeting: Meeting) -> None:
    """The one planner check (`permissions.can_plan_meeting_of`): a service refuses with a
    DomainError, a view turns that into 403 (`meeting_views.require_planner`)."""
    if not permissions.can_plan_meeting_of(user, meeting):
        raise DomainError(REFUSED.format(body=meeting.body))


def meeting_url(meeting: Meeting, name: str = "meeting-detail", *extra) -> str:
    """A URL of the meeting's own pages (`name`, with `extra` arguments after the meeting's),
    under /vergaderingen/<id>/ whichever body holds it (meetings/urls.py)."""
    return reverse(f"meetings:{name}", args=[meeting.pk, *extra])


# -- The meeting itself ------------------------------------------------------------------------


def _check_dates(date: datetime.date, papers_due: datetime.date | None) -> None:
    if papers_due is not None and papers_due > date:
        raise DomainError("De stukken moeten uiterlijk op de dag van de vergadering uit zijn.")


def plan_meeting(
    user: User,
    body: models.Model,
    *,
    date: datetime.date,
    start_time: datetime.time | None = None,
    location: str = "",
    papers_due: datetime.date | None = None,
) -> Meeting:
    """Plan a meeting of a board table, a regiekamer (a chair: within their own term) or the
    shareholders' meeting of Smart Delta & Partners."""
    if not permissions.can_plan_meeting(user, body, on=date):
        raise DomainError(
            REFUSED.format(body=body)
            + " Een voorzitter plant de vergaderingen van de eigen termijn."
        )
    _check_dates(date, papers_due)
    with transaction.atomic():
        meeting = Meeting(
            date=date,
            start_time=start_time,
            location=location.strip(),
            papers_due=papers_due,
        )
        # The body says which of the meeting's three links it fills (`meeting_field`).
        setattr(meeting, body.meeting_field, body)
        stamp(meeting, user)
        meeting.save()
    return meeting


def update_meeting(
    user: User,
    meeting: Meeting,
    *,
    date: datetime.date,
    start_time: datetime.time | None,
    location: str,
    papers_due: datetime.date | None,
    seen_version: int | None,
) -> Meeting:
    require_planner(user, meeting)
    if not permissions.can_plan_meeting(user, meeting.body, on=date):
        raise DomainError(
            f"Op {datum(date)} bent u geen voorzitter van de {meeting.body}: die vergadering "
            "plant de voorzitter van dat moment of het programmabureau."
        )
    _check_dates(date, papers_due)
    with transaction.atomic():
        current = lock(Meeting.objects, meeting.pk, seen_version, "Deze vergadering")
        if current.cancelled_on is not None:
            raise DomainError(CANCELLED)
        current.date = date
        current.start_time = start_time
        current.location = location.strip()
        current.papers_due = papers_due
        stamp(current, user)
        current.save()
    return current


CANCELLED = "Deze vergadering is afgelast en wordt niet meer gewijzigd: plan zo nodig een nieuwe."


def cancel_meeting(
    user: User, meeting: Meeting, *, reason: str, seen_version: int | None
) -> Meeting:
    """The meeting does not take place (issue 30). It stays, marked with the day and the
    reason, so the calendar feeds tell their subscribers (STATUS:CANCELLED) and its page says
    why; moving a meeting is changing its date (`update_meeting`), which the feeds follow too."""
    require_planner(user, meeting)
    reason = one_line(normalise_text(reason or ""))
    if not reason:
        raise DomainError("Schrijf op waarom de vergadering niet doorgaat.")
    if len(reason) > 500:
        raise DomainError("De reden is te lang: houd het bij 500 tekens.")
    with transaction.atomic():
        current = lock(Meeting.objects, meeting.pk, seen_version, "Deze vergadering")
        if current.cancelled_on is not None:
            raise DomainError("Deze vergadering is al afgelast.")
        if current.decisions_adopted_at is not None:
            raise DomainError(
                "Deze vergadering heeft een vastgestelde besluitenlijst: zij is gehouden en "
                "wordt niet meer afgelast."
            )
        current.cancelled_on = timezone.localdate()
        current.cancellation_reason = reason
        stamp(current, user)
        current.save()
    return current


# -- Agenda items ------------------------------------------------------------------------------


# Seed 004 (advice 1): "Op de bestuurlijke tafel worden in principe geen individuele projecten
# besproken. Het gesprek over individuele projecten vindt plaats tussen de (triple-helix en
# bestuurlijke) partners die zich aan het project gecommitteerd hebben."
PROJECT_AT_TABLE = (
    "Aan een bestuurlijke tafel worden in principe geen individuele projecten besproken: dat "
    "gesprek voeren de partners van het project. Schrijf op waarom de tafel dit project toch "
    "bespreekt."
)


def _project_reason(meeting: Meeting, project, reason: str) -> str:
    """The reason a board table discusses one project: required there, kept nowhere else."""
    reason = normalise_text(reason or "")
    if project is None or meeting.table_id is None:
        return ""
    if not reason:
        raise DomainError(PROJECT_AT_TABLE)
    if len(reason) > REASON_MAX:
        raise DomainError("De reden is te lang: hooguit 2.000 tekens.")
    return reason


def _check_links(meeting: Meeting, escalation, process_step, project) -> None:
    """An item is about at most one thing, and that thing belongs to the meeting's body."""
    if sum(x is not None for x in (escalation, process_step, project)) > 1:
        raise DomainError(
            "Een agendapunt gaat over één escalatie, één processtap óf één project; kies er "
            "hooguit één."
        )
    if escalation is not None:
        if meeting.is_regiekamer and escalation.regiekamer_id != meeting.regiekamer_id:
            raise DomainError(f"Kies een escalatie die bij de {meeting.regiekamer} ligt.")
        if meeting.is_general_meeting:
            raise DomainError(
                "Escalaties horen bij de regiekamers, niet bij de aandeelhoudersvergadering."
            )
        if meeting.table_id is not None and escalation.table_id != meeting.table_id:
            raise DomainError(f"Kies een escalatie over de {meeting.table}.")
    if process_step is not None and process_step.table_id != meeting.table_id:
        raise DomainError("Kies een processtap van deze tafel.")
    if project is not None and meeting.table_id is not None:
        if project.theme_id != meeting.table.theme_id:
            raise DomainError(f"Kies een project van het thema {meeting.table.theme.name}.")


def add_agenda_item(
    user: User,
    meeting: Meeting,
    *,
    title: str,
    description: str = "",
    escalation: models.Model | None = None,
    process_step: models.Model | None = None,
    project=None,
    project_reason: str = "",
) -> AgendaItem:
    """Add an item at the end of the agenda."""
    require_planner(user, meeting)
    _check_links(meeting, escalation, process_step, project)
    project_reason = _project_reason(meeting, project, project_reason)
    title = " ".join(title.split())
    if not title:
        raise DomainError("Geef het agendapunt een onderwerp.")
    with transaction.atomic():
        # The meeting row serialises the numbering of its items.
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        last = meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0
        item = AgendaItem(
            meeting=meeting,
            order=last + 1,
            title=title,
            description=description.strip(),
            escalation=escalation,
            process_step=process_step,
            project=project,
            project_reason=project_reason,
        )
        stamp(item, user)
        item.save()
    return item


def update_agenda_item(
    user: User,
    item: AgendaItem,
    *,
    title: str,
    description: str,
    escalation: models.Model | None,
    process_step: models.Model | None,
    project,
    project_reason: str = "",
    seen_version: int | None,
) -> AgendaItem:
    meeting = item.meeting
    require_planner(user, meeting)
    _check_links(meeting, escalation, process_step, project)
    project_reason = _project_reason(meeting, project, project_reason)
    title = " ".join(title.split())
    if not title:
        raise DomainError("Geef het agendapunt een onderwerp.")
    with transaction.atomic():
        current = lock(AgendaItem.objects, item.pk, seen_version, "Dit agendapunt")
        current.title = title
        current.description = description.strip()
        current.escalation = escalation
        current.process_step = process_step
        current.project = project
        current.project_reason = project_reason
        stamp(current, user)
        current.save()
    return current


def move_agenda_item(
    user: User, item: AgendaItem, direction: str, *, seen_version: int | None
) -> AgendaItem:
    """Swap the item with the one above (`op`) or below (`neer`) it."""
    meeting = item.meeting
    require_planner(user, meeting)
    if direction not in ("op", "neer"):
        raise DomainError("Kies omhoog of omlaag.")
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        current = lock(AgendaItem.objects, item.pk, seen_version, "Dit agendapunt")
        items = list(meeting.agenda_items.order_by("order", "pk"))
        index = next(i for i, other in enumerate(items) if other.pk == current.pk)
        target = index - 1 if direction == "op" else index + 1
        if not 0 <= target < len(items):
            raise DomainError(
                "Dit punt staat al bovenaan."
                if direction == "op"
                else "Dit punt staat al onderaan."
            )
        # Number the whole agenda 1..n in its new order, so equal numbers cannot stay.
        items[index], items[target] = items[target], items[index]
        for number, other in enumerate(items, start=1):
            if other.pk == current.pk:
                other = current
            if other.order != number:
                other.order = number
                stamp(other, user)
                other.save()
    return current


def remove_agenda_item(user: User, item: AgendaItem, *, seen_version: int | None) -> None:
    meeting = item.meeting
    require_planner(user, meeting)
    with transaction.atomic():
        current = lock(AgendaItem.objects, item.pk, seen_version, "Dit agendapunt")
        if current.papers.exists():
            raise DomainError(
                "Bij dit agendapunt horen stukken. Verwijder eerst de stukken, dan het punt."
            )
        current._history_user = user
        current.delete()


# -- Papers ------------------------------------------------------------------------------------

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALLOWED = {".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX}
# The main part an Office file declares in [Content_Types].xml: a .docm or .xlsm (macros)
# declares another one and is refused, whatever its name says.
MAIN_PART = {
    ".docx": DOCX + ".main+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
NAME_MAX = 150
WRONG_KIND = (
    "Alleen PDF-, Word- (.docx) en Excel-bestanden (.xlsx) kunnen als stuk worden geplaatst."
)
AGAIN = "(bijvoorbeeld via Afdrukken naar PDF) en probeer het opnieuw."

# PDF readers look for the header within the first 1024 bytes; whatever stands before it is
# how an HTML/PDF polyglot works, so nothing may.
PDF_HEADER_WINDOW = 1024
# Tags that make a browser or mail client run the file as a web page. Only whole tag names of
# four letters or more, so compressed bytes do not match by chance.
HTML_MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|object|embed)[\s/>]", re.IGNORECASE
)
PDF_HTML = f"Dit PDF-bestand is tegelijk een webpagina (er staat HTML in); dat nemen we niet aan. Sla het op als gewone PDF {AGAIN}"
PDF_PREFIX = f"Dit PDF-bestand begint niet als PDF: er staat iets vóór het begin. Sla het op als gewone PDF {AGAIN}"
PDF_UNREADABLE = (
    "‘{name}’ kan niet als PDF worden gelezen. Sla het opnieuw op als PDF en probeer het nog eens."
)
PDF_PASSWORD = "‘{name}’ is met een wachtwoord beveiligd, zodat de leden het niet kunnen openen. Sla het op zonder wachtwoord en probeer het opnieuw."
PDF_JAVASCRIPT = (
    f"Dit PDF-bestand bevat JavaScript; dat nemen we niet aan. Sla het op zonder scripts {AGAIN}"
)
PDF_LAUNCH = f"Dit PDF-bestand bevat een opdracht om een programma of ander bestand te starten; dat nemen we niet aan. Sla het op zonder die opdracht {AGAIN}"
PDF_EMBEDDED = f"Dit PDF-bestand bevat ingesloten bestanden (bijlagen in de PDF); dat nemen we niet aan. Plaats elke bijlage als eigen stuk en sla de PDF op zonder bijlagen {AGAIN}"

# What a file may unpack to. An Office file is judged from the zip's central directory before
# anything is read: 100 MB in all, and no part over 100 times its packed size. The ratio is
# Apache POI's default (ZipSecureFile), which also leaves parts under 100 kB alone: a small
# part cannot flood anything, and a short repetitive XML part may honestly pack that tightly.
UNPACKED_MAX = 100 * 1024 * 1024
OFFICE_RATIO_MAX = 100
OFFICE_RATIO_GRACE = 100 * 1024
# qpdf inflates a PDF's object streams to read the objects in them, by default without a limit
# (a 20 MB upload could unpack to gigabytes in the web process). The limit is process-wide;
# nothing else here reads PDFs with pikepdf. An object stream over it is refused as unreadable.
pikepdf.settings.set_qpdf_limits(flate_max_memory=UNPACKED_MAX, run_length_max_memory=UNPACKED_MAX)
# Parts that hold code: VBA projects (also under another name, found by their content or
# relationship type), Excel 4 macro sheets and ActiveX controls. Compared lower-case with part
# names, content types and relationship types alike.
OFFICE_CODE = ("vbaproject", "vbadata", "macroenabled", "macrosheet", "activex")
# Hyperlinks are the one external relationship we keep: Office follows them only on a click.
# Every other one (an attached template, a linked workbook, picture or frame) is fetched when
# the file opens, which tells the sender who read it or loads their content.
HYPERLINK = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink",
}
OFFICE_TOO_BIG = "Dit {kind}-bestand pakt uit tot meer dan {size}; dat nemen we niet aan. Verklein het (bijvoorbeeld door afbeeldingen te comprimeren) of splits het, en probeer het opnieuw."
OFFICE_RATIO = "Een onderdeel van dit {kind}-bestand pakt uit tot meer dan {ratio} keer zijn eigen grootte, zoals bij een zipbom; dat nemen we niet aan. Sla het opnieuw op in Word of Excel, of plaats het als PDF."
OFFICE_MACROS = "Dit {kind}-bestand bevat macro’s of andere programmacode (VBA, ActiveX); dat nemen we niet aan. Sla het op zonder macro’s, als gewoon .{extension}-bestand, en probeer het opnieuw."
OFFICE_EXTERNAL = "Dit {kind}-bestand haalt bij het openen iets van buiten het bestand op (een sjabloon, een gekoppeld bestand of een afbeelding); dat nemen we niet aan. Verbreek de koppeling of het sjabloon, sla het op en probeer het opnieuw."


def clean_filename(name: str) -> str:
    """The name a reader downloads: no folders, no control characters, at most 150 characters
    with its extension kept. Shown escaped and sent in Content-Disposition by Django, which
    quotes it; this only keeps what could never be a sensible file name out."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    stem, extension = os.path.splitext(name)
    extension = extension.lower()
    stem = stem[: NAME_MAX - len(extension)].strip(" .") or "stuk"
    return stem + extension


def _size_label(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB".replace(".", ",")


def check_paper_file(upload) -> tuple[str, str]:
    """Refuse anything but a real, inert PDF, DOCX or XLSX within the size limit.

    The extension names the kind and the content must match it and carry nothing active: a PDF
    starts with `%PDF-`, holds no HTML, opens in pikepdf and has no JavaScript, launch action or
    embedded file in any object; a DOCX or XLSX is a zip within the unpacking limits whose
    [Content_Types].xml declares that kind's main part, with no macro or ActiveX part and no
    external relationship but hyperlinks. Returns the clean name and the content type; raises
    DomainError with a Dutch message that says what was wrong otherwise.
    """
    if upload is None:
        raise DomainError("Kies een bestand.")
    name = clean_filename(upload.name or "")
    extension = os.path.splitext(name)[1]
    if extension not in ALLOWED:
        raise DomainError(WRONG_KIND)
    if not upload.size:
        raise DomainError("Dit bestand is leeg.")
    if upload.size > settings.PAPERS_MAX_BYTES:
        raise DomainError(
            f"Dit bestand is te groot: hooguit {_size_label(settings.PAPERS_MAX_BYTES)}."
        )
    not_kind = DomainError(
        f"De inhoud van ‘{name}’ is geen {extension[1:].upper()}-bestand. {WRONG_KIND}"
    )
    upload.seek(0)
    try:
        if extension == ".pdf":
            _check_pdf(upload.read(), name, not_kind)
        else:
            _check_office(upload, extension, not_kind)
    finally:
        upload.seek(0)
    return name, ALLOWED[extension]


def _check_pdf(data: bytes, name: str, not_kind: DomainError) -> None:
    if b"%PDF-" not in data[:PDF_HEADER_WINDOW]:
        raise not_kind
    if HTML_MARKUP.search(data):
        raise DomainError(PDF_HTML)
    if not data.startswith(b"%PDF-"):
        raise DomainError(PDF_PREFIX)
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                raise DomainError(PDF_UNREADABLE.format(name=name))
            problem = _pdf_problem(pdf)
    except pikepdf.PasswordError:
        raise DomainError(PDF_PASSWORD.format(name=name)) from None
    except pikepdf.PdfError:
        raise DomainError(PDF_UNREADABLE.format(name=name)) from None
    if problem:
        raise DomainError(problem)


def _pdf_problem(pdf: pikepdf.Pdf) -> str | None:
    """The worst active content in the PDF, or None.

    Visits every object in the file (those in object streams and those nothing refers to
    included) and the dictionaries and arrays written inside them; names come decoded by qpdf,
    so `/J#53` is found as `/JS`.
    """
    found = set()
    pending = [pdf.trailer, *pdf.objects]
    while pending:
        obj = pending.pop()
        if isinstance(obj, pikepdf.Array):
            pending.extend(_direct_containers(obj))
            continue
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        if isinstance(obj, pikepdf.Stream) and obj.get("/Type") == pikepdf.Name.ObjStm:
            # Objects in a stream qpdf could not inflate read as null, unchecked: raises
            # DataDecodingError (a PdfError) for such a stream.
            obj.read_bytes()
        # items(), not keys() and get(): a key that is not valid UTF-8 comes back as a str that
        # get() does not take.
        entries = dict(obj.items())
        keys = entries.keys()
        action = entries.get("/S")
        # /XFA holds a dynamic form, whose scripts are JavaScript or FormCalc.
        if keys & {"/JS", "/JavaScript", "/XFA"} or action == pikepdf.Name.JavaScript:
            found.add(PDF_JAVASCRIPT)
        if "/Launch" in keys or action == pikepdf.Name.Launch:
            found.add(PDF_LAUNCH)
        if (
            keys & {"/EmbeddedFiles", "/EmbeddedFile", "/EF"}
            or entries.get("/Type") == pikepdf.Name.EmbeddedFile
            or action == pikepdf.Name.GoToE
        ):
            found.add(PDF_EMBEDDED)
        pending.extend(_direct_containers(entries.values()))
    return next((p for p in (PDF_JAVASCRIPT, PDF_LAUNCH, PDF_EMBEDDED) if p in found), None)


def _direct_containers(values):
    # Indirect objects are visited on their own, from pdf.objects.
    return [
        value
        for value in values
        if isinstance(value, pikepdf.Array | pikepdf.Dictionary) and not value.is_indirect
    ]


def _check_office(upload, extension: str, not_kind: DomainError) -> None:
    words = {"kind": extension[1:].upper(), "extension": extension[1:]}
    if upload.read(4) != b"PK\x03\x04":
        raise not_kind
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            # Opening read only the central directory: judge the sizes before inflating a byte.
            if sum(member.file_size for member in members) > UNPACKED_MAX:
                raise DomainError(OFFICE_TOO_BIG.format(size=_size_label(UNPACKED_MAX), **words))
            if any(
                member.file_size > OFFICE_RATIO_GRACE
                and member.file_size > OFFICE_RATIO_MAX * member.compress_size
                for member in members
            ):
                raise DomainError(OFFICE_RATIO.format(ratio=OFFICE_RATIO_MAX, **words))
            names = [member.filename.casefold() for member in members]
            # Part names are unique regardless of case (OPC); two of one name would let us read
            # one [Content_Types].xml and Office another.
            if len(set(names)) != len(names):
                raise not_kind
            types = [
                attributes.get("ContentType", "").casefold()
                for attributes in _xml_elements(
                    archive, "[Content_Types].xml", {"Default", "Override"}
                )
            ]
            if MAIN_PART[extension].casefold() not in types:
                raise not_kind
            if any(code in text for text in names + types for code in OFFICE_CODE):
                raise DomainError(OFFICE_MACROS.format(**words))
            for member, part in zip(members, names, strict=True):
                if not part.endswith(".rels"):
                    continue
                for relation in _xml_elements(archive, member, {"Relationship"}):
                    kind = relation.get("Type", "")
                    if any(code in kind.casefold() for code in OFFICE_CODE):
                        raise DomainError(OFFICE_MACROS.format(**words))
                    external = relation.get("TargetMode", "").strip().casefold() == "external"
                    if external and kind.strip() not in HYPERLINK:
                        raise DomainError(OFFICE_EXTERNAL.format(**words))
    except (
        zipfile.BadZipFile,
        KeyError,
        RuntimeError,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
        zlib.error,
        expat.ExpatError,
    ):
        raise not_kind from None


def _xml_elements(archive: zipfile.ZipFile, member, local_names: set[str]) -> list[dict]:
    """The attributes of every element with one of these local names in one XML part, read in
    pieces. A part with a DTD is refused (OPC forbids them), so no entity can expand."""
    parser = expat.ParserCreate(namespace_separator=" ")
    found = []

    def start(tag, attributes):
        if tag.rsplit(" ", 1)[-1] in local_names:
            found.append(attributes)

    def refuse(*args):
        raise ValueError("An XML part with a DTD")

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    with archive.open(member) as part:
        while chunk := part.read(64 * 1024):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return found


WOO_REASON_MISSING = (
    "Een stuk is openbaar, tenzij u vastlegt waarom niet: noem de weigeringsgrond uit de Woo "
    "(artikel 5.1 of 5.2) en waarom die hier geldt."
)


def _publicity(public: bool, woo_reason: str) -> tuple[bool, str]:
    """Whether a paper is published, and the recorded reason when it is not (issue 28)."""
    woo_reason = (woo_reason or "").strip()
    if public:
        return True, ""
    if not woo_reason:
        raise DomainError(WOO_REASON_MISSING)
    return False, woo_reason


def add_paper(
    user: User, item: AgendaItem, upload, *, public: bool = True, woo_reason: str = ""
) -> MeetingPaper:
    """Place a paper with an agenda item; it is late when it comes after the send-by date.

    It is public (on the public pages once sent, for a board table's meeting) unless the planner
    records a reason under the Woo."""
    require_planner(user, item.meeting)
    public, woo_reason = _publicity(public, woo_reason)
    name, content_type = check_paper_file(upload)
    with transaction.atomic():
        AgendaItem.objects.select_for_update().get(pk=item.pk)
        paper = MeetingPaper(
            item=item,
            original_name=name,
            content_type=content_type,
            size=upload.size,
            uploaded_at=timezone.now(),
            uploaded_by=user,
            public=public,
            woo_reason=woo_reason,
        )
        paper.file.save(name, upload, save=False)
        stamp(paper, user)
        try:
            paper.save()
        except Exception:
            paper.file.delete(save=False)
            raise
    return paper


def replace_paper(
    user: User, paper: MeetingPaper, upload, *, seen_version: int | None
) -> MeetingPaper:
    """A new file for the same paper. The earlier file stays on disk and in the history; the
    paper counts as new again (delivered now, not yet sent)."""
    require_planner(user, paper.item.meeting)
    name, content_type = check_paper_file(upload)
    with transaction.atomic():
        current = lock(MeetingPaper.objects, paper.pk, seen_version, "Dit stuk")
        current.original_name = name
        current.content_type = content_type
        current.size = upload.size
        current.uploaded_at = timezone.now()
        current.uploaded_by = user
        current.sent_at = None
        current.file.save(name, upload, save=False)
        stamp(current, user)
        current.save()
    return current


def set_paper_publicity(
    user: User, paper: MeetingPaper, *, public: bool, woo_reason: str, seen_version: int | None
) -> MeetingPaper:
    """Publish a paper, or withhold or withdraw it with its reason under the Woo. A withdrawn
    paper stays listed on the public page with the reason; its file is no longer served."""
    require_planner(user, paper.item.meeting)
    public, woo_reason = _publicity(public, woo_reason)
    with transaction.atomic():
        current = lock(MeetingPaper.objects, paper.pk, seen_version, "Dit stuk")
        current.public = public
        current.woo_reason = woo_reason
        stamp(current, user)
        current.save()
    return current


def remove_paper(user: User, paper: MeetingPaper, *, seen_version: int | None) -> None:
    """Take a paper off the agenda; its file stays for the history."""
    require_planner(user, paper.item.meeting)
    with transaction.atomic():
        current = lock(MeetingPaper.objects, paper.pk, seen_version, "Dit stuk")
        current._history_user = user
        current.delete()


def recipients(meeting: Meeting) -> list[str]:
    """Who gets the papers: whom the meeting's body names on the meeting's date (a board table:
    the officials at its seats and the programme office; a regiekamer: its members; the
    shareholders' meeting: the shareholders' representatives and the programme office)."""
    body, pk = meeting.body_reference()
    users = body.paper_recipients(pk, meeting.date)
    return sorted(
        set(users.filter(is_active=True).exclude(email="").values_list("email", flat=True))
    )


def send_papers(user: User, meeting: Meeting, *, seen_version: int | None) -> list[MeetingPaper]:
    """Mark the papers not yet sent as sent and queue ONE mail to the members about them.

    Sending twice sends nothing twice: only papers placed (or replaced) since the last send go
    out, and with none the send is refused. A later send says it brings additional papers.
    The mail is queued in this transaction (smartdelta/mail.py): no mail for a send that rolls back.
    """
    require_planner(user, meeting)
    with transaction.atomic():
        current = lock(Meeting.objects, meeting.pk, seen_version, "Deze vergadering")
        papers = list(
            MeetingPaper.objects.filter(item__meeting=current, sent_at__isnull=True)
            .select_related("item")
            .order_by("item__order", "item__pk", "uploaded_at", "pk")
        )
        if not papers:
            raise DomainError("Er zijn geen nieuwe stukken om te versturen.")
        earlier = current.papers_sent_at is not None
        now = timezone.now()
        for paper in papers:
            paper.sent_at = now
            stamp(paper, user)
            paper.save()
        current.papers_sent_at = now
        stamp(current, user)
        current.save()
        _queue_papers_mail(current, papers, earlier)
    return papers


def _queue_papers_mail(meeting: Meeting, papers: list[MeetingPaper], earlier: bool) -> None:
    body_name = str(meeting.body)
    when = datum(meeting.date)
    if earlier:
        subject = f"Aanvullende stukken: {body_name}, vergadering van {when}"
        intro = "Na de eerdere verzending zijn deze stukken toegevoegd of vervangen:"
    else:
        subject = f"Stukken: {body_name}, vergadering van {when}"
        intro = "De stukken voor de vergadering staan klaar:"
    lines = []
    for paper in papers:
        late = (
            f" (te laat: aangeleverd {datum(timezone.localdate(paper.uploaded_at))})"
            if paper.is_late()
            else ""
        )
        lines.append(
            f"- {paper.item.order}. {one_line(paper.item.title)}: {paper.original_name}{late}"
        )
    place = f", {one_line(meeting.location)}" if meeting.location else ""
    text = (
        f"{body_name}, vergadering van {when}{place}.\n\n{intro}\n"
        + "\n".join(lines)
        + "\n\nU leest en downloadt de stukken op de vergaderpagina (inloggen nodig):\n"
        + absolute_url(meeting_url(meeting))
    )
    queue_mail(subject, text, recipients(meeting))


# -- Attendance --------------------------------------------------------------------------------


def attendance_organisations(meeting: Meeting) -> list[Organisation]:
    """Whose presence is recorded: the seven core municipalities, and for a table the partners
    seated on the meeting's date, for a regiekamer the other organisations of its members; the
    shareholders' meeting has the seven, its shareholders, and no one else."""
    core = list(Organisation.objects.core().order_by("name"))
    body, pk = meeting.body_reference()
    seated = body.attending_organisations(pk, meeting.date)
    if seated is None:
        return core
    others = Organisation.objects.filter(pk__in=seated)
    return core + list(others.exclude(pk__in=[o.pk for o in core]).order_by("name"))


def attendance_groups(meeting: Meeting) -> list[tuple[str, list[str]]]:
    """The recorded attendance as the decision list prints it: (label, names) for present,
    excused and absent, in that order and each by name, a name with its representative; then
    the organisations expected (`attendance_organisations`) but not recorded. Empty when nothing
    is recorded, so the caller can say so. Three queries."""
    rows = list(meeting.attendances.select_related("organisation").order_by("organisation__name"))
    if not rows:
        return []
    groups = []
    for presence in Presence:
        names = [
            f"{row.organisation.name} ({row.representative})"
            if row.representative
            else row.organisation.name
            for row in rows
            if row.presence == presence
        ]
        if names:
            groups.append((presence.label, names))
    recorded = {row.organisation_id for row in rows}
    missing = [o.name for o in attendance_organisations(meeting) if o.pk not in recorded]
    if missing:
        groups.append(("Niet vastgelegd", missing))
    return groups


def record_attendance(
    user: User,
    meeting: Meeting,
    rows: dict[int, tuple[str, str]],
    *,
    seen_version: int | None,
) -> list[Attendance]:
    """Record, per organisation id, its presence and who represented it, after the meeting.

    `rows` must name every organisation of `attendance_organisations`; the meeting's version
    guards the whole list.
    """
    require_planner(user, meeting)
    if meeting.date > timezone.localdate():
        raise DomainError(
            f"De aanwezigheid legt u vast na de vergadering (op of na {datum(meeting.date)})."
        )
    organisations = attendance_organisations(meeting)
    missing = [o.name for o in organisations if o.pk not in rows]
    if missing:
        raise DomainError("Vul de aanwezigheid in voor: " + ", ".join(missing) + ".")
    valid = {p.value for p in Presence}
    saved = []
    with transaction.atomic():
        current = lock(Meeting.objects, meeting.pk, seen_version, "Deze vergadering")
        existing = {a.organisation_id: a for a in current.attendances.all()}
        for organisation in organisations:
            presence, representative = rows[organisation.pk]
            if presence not in valid:
                raise DomainError(f"Kies de aanwezigheid van {organisation.name}.")
            row = existing.get(organisation.pk) or Attendance(
                meeting=current, organisation=organisation
            )
            representative = " ".join(representative.split())[:120]
            if row.pk and (row.presence, row.representative) == (presence, representative):
                saved.append(row)
                continue
            row.presence = presence
            row.representative = representative
            stamp(row, user)
            row.save()
            saved.append(row)
        stamp(current, user)
        current.save()
    return saved


# -- History -----------------------------------------------------------------------------------


MEETING_FIELDS = ("date", "start_time", "location", "papers_due")


def _with_previous(records):
    """(record, the previous record of the same row or None), oldest first, without a query
    per record (simple-history's prev_record would ask one)."""
    last = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        yield record, last.get(record.id)
        last[record.id] = record


def history(meeting: Meeting, limit: int = 60) -> list[dict]:
    """What changed in the meeting, its agenda, papers and attendance: newest first. Four
    queries, however long the history."""
    entries = []
    for record, previous in _with_previous(
        Meeting.history.filter(id=meeting.pk).select_related("history_user")
    ):
        if previous is None:
            text = "Vergadering gepland"
        elif record.papers_sent_at != previous.papers_sent_at and record.papers_sent_at:
            text = "Stukken verstuurd"
        elif record.cancelled_on and not previous.cancelled_on:
            text = f"Vergadering afgelast: {record.cancellation_reason}"
        else:
            changed = [f for f in MEETING_FIELDS if getattr(record, f) != getattr(previous, f)]
            if not changed:
                continue  # attendance recorded: its own rows say so
            labels = [str(Meeting._meta.get_field(f).verbose_name) for f in changed]
            text = "Vergadering gewijzigd: " + ", ".join(labels)
        entries.append(_entry(record, text))
    item_ids = set()
    for record, previous in _with_previous(
        AgendaItem.history.filter(meeting_id=meeting.pk).select_related("history_user")
    ):
        item_ids.add(record.id)
        if record.history_type == "~" and previous is not None:
            if (record.title, record.description) == (previous.title, previous.description) and (
                record.order != previous.order
            ):
                entries.append(_entry(record, f"Agendapunt verplaatst: {record.title}"))
                continue
        verb = {"+": "toegevoegd", "~": "gewijzigd", "-": "verwijderd"}[record.history_type]
        entries.append(_entry(record, f"Agendapunt {verb}: {record.title}"))
    for record, previous in _with_previous(
        MeetingPaper.history.filter(item_id__in=item_ids).select_related("history_user")
    ):
        if record.history_type == "+":
            text = f"Stuk geplaatst: {record.original_name}"
        elif record.history_type == "-":
            text = f"Stuk verwijderd: {record.original_name}"
        elif previous is not None and previous.file != record.file:
            text = f"Stuk vervangen: {previous.original_name} door {record.original_name}"
        else:
            continue  # sent, or delivered earlier in the demo: the meeting's rows say so
        entries.append(_entry(record, text))
    for record in Attendance.history.filter(meeting_id=meeting.pk).select_related(
        "history_user", "organisation"
    ):
        presence = Presence(record.presence).label.lower() if record.presence else ""
        entries.append(_entry(record, f"Aanwezigheid {record.organisation}: {presence}"))
    entries.sort(key=lambda e: (e["at"], e["order"]), reverse=True)
    return entries[:limit]


def _entry(record, text: str) -> dict:
    return {
        "at": record.history_date,
        "order": record.history_id,
        "when": format_datetime(record.history_date),
        "who": record.history_user or "onbekend",
        "text": text,
    }
