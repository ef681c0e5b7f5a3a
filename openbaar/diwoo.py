"""DiWoo metadata (schema 0.9.8) for the public documents, so that the national Woo-index finds
them: information categories, TOOI organisations, and one record per document.

Who publishes. Smart Delta Drechtsteden has no TOOI identifier of its own, so a record names a
municipality:
- a council letter is published by the municipality whose college sent it to its own council
  (the griffie files it as an ingekomen stuk in its raadsinformatiesysteem);
- the collaboration's own documents (a board table's papers and decision lists) are published
  by Dordrecht as centrumgemeente, which employs the programme office, with the other six as
  medeverantwoordelijken (seed 004: the seven are responsible together).
An organisation is named by its TOOI identifier, made from its CBS code
(`https://identifier.overheid.nl/tooi/id/gemeente/gm0505`); one without a code has no record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from smartdelta.models import Organisation

from . import gate

TOOI_MUNICIPALITY = "https://identifier.overheid.nl/tooi/id/gemeente/"
THESAURUS = "https://identifier.overheid.nl/tooi/def/thes/kern/"
# Dordrecht: centrumgemeente, employer of the programme office (DOMAIN.md, "The parties").
CENTRUMGEMEENTE_CBS = "GM0505"


@dataclass(frozen=True)
class Term:
    """A value of a DiWoo value list: its URI and its label."""

    uri: str
    label: str


@dataclass(frozen=True)
class Category:
    """A Woo information category (art. 3.3), numbered as the Woo-index names its sitemaps."""

    number: str
    term: Term

    @property
    def index_name(self) -> str:
        return f"sitemapindex-diwoo-infocat{self.number}.xml"


INGEKOMEN_STUKKEN = Category(
    "006", Term(THESAURUS + "c_8c840238", "bij vertegenwoordigende organen ingekomen stukken")
)
VERGADERSTUKKEN = Category(
    "008", Term(THESAURUS + "c_db4862c3", "vergaderstukken decentrale overheden")
)
BESLUITENLIJSTEN = Category(
    "009", Term(THESAURUS + "c_3a248e3a", "agenda’s en besluitenlijsten bestuurscolleges")
)
CATEGORIES = {c.number: c for c in (INGEKOMEN_STUKKEN, VERGADERSTUKKEN, BESLUITENLIJSTEN)}

RECEIPT = Term(THESAURUS + "c_dfcee535", "ontvangst")
ADOPTION = Term(THESAURUS + "c_641ecd76", "vaststelling")
DUTCH = Term("http://publications.europa.eu/resource/authority/language/NLD", "Nederlands")
FILE_TYPES = {
    "application/pdf": Term(
        "http://publications.europa.eu/resource/authority/file-type/PDF", "pdf"
    ),
    "text/html": Term("http://publications.europa.eu/resource/authority/file-type/HTML", "html"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": Term(
        "http://publications.europa.eu/resource/authority/file-type/DOCX", "docx"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": Term(
        "http://publications.europa.eu/resource/authority/file-type/XLSX", "xlsx"
    ),
}


def organisation_term(organisation: Organisation) -> Term | None:
    if not organisation.cbs_code:
        return None
    return Term(TOOI_MUNICIPALITY + organisation.cbs_code.lower(), f"gemeente {organisation.name}")


@dataclass
class Record:
    """One document with its DiWoo metadata: `url` is the document itself."""

    url: str
    lastmod: datetime.datetime
    title: str
    category: Category
    publisher: Term
    action: Term
    at: datetime.datetime
    file_type: Term
    created: datetime.date
    co_responsible: list[Term] = field(default_factory=list)

    @property
    def at_iso(self) -> str:
        return timezone.localtime(self.at).isoformat(timespec="seconds")

    @property
    def lastmod_iso(self) -> str:
        return timezone.localtime(self.lastmod).isoformat(timespec="seconds")


def _collaboration() -> tuple[Term | None, list[Term]]:
    """The publisher of the collaboration's own documents and its co-responsible six."""
    publisher, others = None, []
    for organisation in gate.core_municipalities():
        term = organisation_term(organisation)
        if term is None:
            continue
        if organisation.cbs_code.upper() == CENTRUMGEMEENTE_CBS:
            publisher = term
        else:
            others.append(term)
    return publisher, others


def letter_record(letter, absolute) -> Record | None:
    """A council letter: an ingekomen stuk of its municipality's council."""
    publisher = organisation_term(letter.organisation)
    if publisher is None:
        return None
    return Record(
        url=absolute(reverse("openbaar:letter-pdf", args=[letter.pk])),
        lastmod=letter.issued_at,
        title=(
            f"Raadsinformatiebrief Smart Delta Drechtsteden {letter.budget.year}, "
            f"gemeente {letter.organisation.name}, kenmerk {letter.reference}"
        ),
        category=INGEKOMEN_STUKKEN,
        publisher=publisher,
        action=RECEIPT,
        at=letter.issued_at,
        file_type=FILE_TYPES["application/pdf"],
        created=letter.issued_on,
    )


def records(category: Category, absolute) -> list[Record]:
    """Every public document of `category`, newest first; `absolute` makes a path a URL."""
    if category is INGEKOMEN_STUKKEN:
        found = (letter_record(letter, absolute) for letter in gate.letters())
        return [record for record in found if record is not None]
    publisher, others = _collaboration()
    if publisher is None:
        return []
    if category is VERGADERSTUKKEN:
        return [
            Record(
                url=absolute(reverse("openbaar:paper", args=[paper.pk, paper.original_name])),
                lastmod=paper.updated_at,
                title=(
                    f"{paper.original_name} – {paper.item.meeting.table}, vergadering van "
                    f"{paper.item.meeting.date:%d-%m-%Y}, agendapunt {paper.item.order}: "
                    f"{paper.item.title}"
                ),
                category=category,
                publisher=publisher,
                co_responsible=others,
                action=RECEIPT,
                at=paper.sent_at,
                file_type=FILE_TYPES.get(paper.content_type, FILE_TYPES["application/pdf"]),
                created=timezone.localdate(paper.uploaded_at),
            )
            for paper in gate.papers().order_by("-sent_at", "-pk")
        ]
    return [
        Record(
            url=absolute(reverse("openbaar:decision-list", args=[meeting.pk])),
            lastmod=meeting.decisions_adopted_at,
            title=f"Besluitenlijst {meeting.table}, vergadering van {meeting.date:%d-%m-%Y}",
            category=category,
            publisher=publisher,
            co_responsible=others,
            action=ADOPTION,
            at=meeting.decisions_adopted_at,
            file_type=FILE_TYPES["text/html"],
            created=meeting.date,
        )
        for meeting in gate.decision_meetings()
        .select_related("table__theme")
        .order_by("-decisions_adopted_at", "-pk")
    ]
