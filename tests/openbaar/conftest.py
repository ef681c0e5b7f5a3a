"""The world the public side is tested on: the demo data, plus one of each thing that is final
and one of each thing that is not (issue 28). Dates are fixed in the past, so no test depends
on the clock."""

import datetime
import hashlib
import json
import os
import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from finance import letters
from finance.models import BudgetStatus, BudgetYear
from meetings import decisions, meetings
from portfolio.models import Milestone, ProgressUpdate, Variant
from results.models import Indicator
from smartdelta.models import Organisation, User
from tables import escalations
from tables.demo import demo_pdf
from tables.models import BoardTable, Escalation, EscalationComment, Regiekamer
from tests.conftest import make_position, make_project

CONFIRMED = {
    "status": "bevestigd",
    "decision_reference": "RB-2024-17",
    "decision_date": datetime.date(2024, 2, 1),
}
# Words that must never reach an anonymous reader.
SECRETS = [
    "Geheime escalatie 7f3a",
    "Vertrouwelijke reactie 7f3a",
    "Idee 9c1e",
    "niet-verstuurd-4b2d.pdf",
    "Regiekamerstuk 0e5f",
    "Conceptbegroting",
    "Concept-besluitenlijst",
    "prognose",
    "Mijlpaal van een idee",
    "Indicator van een idee",
]


def pdf(name):
    return SimpleUploadedFile(name, demo_pdf(name), content_type="application/pdf")


@pytest.fixture
def world(db):
    return make_world()


def make_world() -> dict:
    """The demo data with one of each final and unfinal thing (the browser tests use it too)."""
    call_command("load_demo", stdout=open(os.devnull, "w"))
    office = User.objects.get(username="programmabureau")
    official = User.objects.get(username="ambtenaar-zwijndrecht")
    orgs = {o.slug: o for o in Organisation.objects.core()}
    table = BoardTable.objects.select_related("theme").order_by("pk").first()

    # A board table's meeting in the past: papers sent (one withheld), decision list adopted.
    meeting = meetings.plan_meeting(office, table, date=datetime.date(2024, 3, 1))
    item = meetings.add_agenda_item(office, meeting, title="Voortgang van het portfolio")
    published = meetings.add_paper(office, item, pdf("voortgang-2024.pdf"))
    withheld = meetings.add_paper(
        office,
        item,
        pdf("onderhandeling.pdf"),
        public=False,
        woo_reason="Artikel 5.1 lid 2 sub b Woo: economische belangen van de gemeenten.",
    )
    meeting.refresh_from_db()
    meetings.send_papers(office, meeting, seen_version=meeting.version)
    meeting.refresh_from_db()
    decisions.record_decision(office, meeting, text="De tafel stemt in met de voortgang 2024.")
    meeting.refresh_from_db()
    meeting = decisions.adopt_decisions(office, meeting, seen_version=meeting.version)

    # A later meeting whose papers were not sent: nothing of it is public.
    hidden = meetings.plan_meeting(office, table, date=datetime.date(2024, 4, 1))
    hidden_item = meetings.add_agenda_item(office, hidden, title="Nog niet verstuurd")
    unsent = meetings.add_paper(office, hidden_item, pdf("niet-verstuurd-4b2d.pdf"))
    decisions.record_decision(office, hidden, text="Concept zonder vaststelling.")

    # A regiekamer's meeting with sent papers: never public.
    ambtelijk = Regiekamer.objects.get(kind="ambtelijk")
    regie = meetings.plan_meeting(office, ambtelijk, date=datetime.date(2024, 3, 5))
    regie_item = meetings.add_agenda_item(office, regie, title="Regiekamerstuk 0e5f")
    regie_paper = meetings.add_paper(office, regie_item, pdf("regiekamer.pdf"))
    regie.refresh_from_db()
    meetings.send_papers(office, regie, seen_version=regie.version)

    escalation = escalations.raise_escalation(
        official,
        title="Geheime escalatie 7f3a",
        description="Alleen voor de regiekamer.",
        category="capaciteit",
        urgency="normaal",
        notify=False,
    )
    escalations.add_comment(official, escalation, "Vertrouwelijke reactie 7f3a")

    # A project with a confirmed position, a submitted one, and a confirmed one whose change
    # waits as concept; and an idea nobody decided on.
    project = make_project(
        "Openbaar-toets",
        theme=table.theme,
        lead=orgs["dordrecht"],
        status="lopend",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    make_position(project, orgs["dordrecht"], Variant.FULL, **CONFIRMED)
    make_position(
        project, orgs["zwijndrecht"], Variant.SOLIDARITY, amount=10000, status="ingediend"
    )
    make_position(
        project,
        orgs["papendrecht"],
        Variant.FULL,
        status="concept",
        in_force_variant=Variant.NONE,
        in_force_reference="RB-2024-03",
        in_force_date=datetime.date(2024, 1, 20),
    )
    idea = make_project("Idee 9c1e", theme=table.theme, lead=orgs["dordrecht"], status="idee")
    Milestone.objects.create(
        project=project, title="Eerste cohort gestart", due_date=datetime.date(2024, 6, 1)
    )
    Milestone.objects.create(
        project=idea, title="Mijlpaal van een idee", due_date=datetime.date(2024, 6, 1)
    )
    for subject, name in ((project, "Deelnemers ingestroomd"), (idea, "Indicator van een idee")):
        Indicator.objects.create(
            project=subject,
            name=name,
            unit="personen",
            baseline_date=datetime.date(2024, 1, 1),
            baseline_value=0,
        )
    ProgressUpdate.objects.create(
        project=project,
        date=datetime.date(2024, 5, 15),
        light="op_koers",
        text="Veertig deelnemers ingestroomd.",
    )

    # The 2024 budget is adopted in the demo; 2026 stays a concept.
    BudgetYear.objects.get_or_create(
        year=2026,
        defaults={"status": BudgetStatus.CONCEPT, "reference_date": datetime.date(2025, 1, 1)},
    )
    budget = BudgetYear.objects.get(year=2024)
    letter = letters.issue_letter(office, orgs["dordrecht"], budget, budget.version)
    # What the task worker does (finance.tasks.keep), without WeasyPrint: the PDF kept.
    letter.pdf = b"%PDF-1.7 brief"
    letter.sha256 = hashlib.sha256(letter.pdf).hexdigest()
    letter.save()
    budget.refresh_from_db()
    waiting = letters.issue_letter(office, orgs["zwijndrecht"], budget, budget.version)

    return {
        "office": office,
        "table": table,
        "meeting": meeting,
        "published": published,
        "withheld": withheld,
        "hidden": hidden,
        "unsent": unsent,
        "regie": regie,
        "regie_paper": regie_paper,
        "escalation": escalation,
        "project": project,
        "letter": letter,
        "waiting_letter": waiting,  # issued, its PDF not yet made: not yet public
        "orgs": orgs,
    }


def escalation_texts() -> list[str]:
    return [e.title for e in Escalation.objects.all()] + [
        c.text for c in EscalationComment.objects.all()
    ]


HREF = re.compile(r'href="([^"#]+)')
LOC = re.compile(r"<loc>([^<]+)</loc>")
SITEMAP_LINE = re.compile(r"^Sitemap: (\S+)$", re.M)


def _local(url: str) -> str:
    """The path and query of an absolute or relative URL (the API links absolutely)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _hrefs(value) -> list[str]:
    """Every `href` in a JSON answer of the API: its `_links`, its pages, its objects' links."""
    if isinstance(value, dict):
        found = [value["href"]] if isinstance(value.get("href"), str) else []
        return found + [h for item in value.values() for h in _hrefs(item)]
    if isinstance(value, list):
        return [h for item in value for h in _hrefs(item)]
    return []


def walk(client: Client) -> dict[str, object]:
    """Every public answer an anonymous reader reaches: from /openbaar/ by its links, from
    robots.txt by the sitemaps to every document they name, and from the API's entrance /api/v1
    by every link of every answer (each page of each collection, each object, each document).
    Path (with its query) -> response."""
    seen: dict[str, object] = {}
    queue = deque(["/openbaar/", "/robots.txt", "/api/v1"])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response
        if response.status_code != 200:
            continue
        kind = response.get("Content-Type", "")
        if "html" in kind:
            body = response.content.decode()
            found = [href for href in HREF.findall(body) if href.startswith("/openbaar/")]
        elif "xml" in kind:
            found = [urlsplit(loc).path for loc in LOC.findall(response.content.decode())]
        elif path == "/robots.txt":
            found = [urlsplit(url).path for url in SITEMAP_LINE.findall(response.content.decode())]
        elif "json" in kind:
            links = _hrefs(json.loads(response.content))
            found = [
                path for path in map(_local, links) if path.startswith(("/api/v1", "/openbaar/"))
            ]
        else:
            found = []
        queue.extend(f for f in found if f not in seen)
    return seen


def text_of(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode(errors="ignore")
    return response.content.decode(errors="ignore")
