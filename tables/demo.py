"""Demo data of the board tables and regiekamers.

Idempotent: only creates what is missing, so running it twice changes nothing. Meetings,
process steps and the chair schedule are dated relative to today so the demo always has a
next meeting; they are created only when a table or regiekamer has none yet.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings import decisions, meetings
from meetings.models import AgendaItem, Decision, Meeting, MeetingPaper, Presence
from portfolio.models import Project, Theme
from smartdelta.models import Organisation, User

from . import chairs, collaboration, escalations
from .models import (
    BoardTable,
    CollaborationMilestone,
    Escalation,
    Membership,
    MilestoneStatus,
    ProcessState,
    ProcessStep,
    Regiekamer,
    RegiekamerKind,
    Seat,
    Step,
    TripleHelixTable,
)

SEATS_FROM = datetime.date(2024, 7, 1)
CORE = [
    "alblasserdam",
    "dordrecht",
    "hardinxveld-giessendam",
    "hendrik-ido-ambacht",
    "papendrecht",
    "sliedrecht",
    "zwijndrecht",
]
# (theme slug, municipality) -> reason: the open choice not to take part in a table.
NOT_TAKING_PART = {
    ("bouwen-en-ruimtelijke-ontwikkeling", "hardinxveld-giessendam"): (
        "Geen regionale bouwopgave in deze periode; de gemeente volgt de tafel via het "
        "programmabureau (collegebesluit 12 maart 2024)."
    ),
    ("energietransitie", "sliedrecht"): (
        "Eigen warmteprogramma met de netbeheerder; deelname heroverwogen bij de volgende cyclus."
    ),
}
# Partners admitted to a table by decision of all 7.
PARTNERS = [
    ("bereikbaarheid-en-mobiliteit", "gorinchem", datetime.date(2024, 11, 14), "ONS-D 2024-031"),
    (
        "werken-en-economie",
        "economic-development-board-drechtsteden",
        datetime.date(2024, 9, 19),
        "ONS-D 2024-024",
    ),
]
HELIX = {
    "bouwen-en-ruimtelijke-ontwikkeling": [("Bouwtafel", "Bouwbedrijven, corporaties en MBO")],
    "werken-en-economie": [
        ("Economic Development Board", "Bedrijfsleven, onderwijs en overheid"),
        ("Innovatietafels", "Maritieme maakindustrie en kennisinstellingen"),
    ],
    "energietransitie": [("Energietafel", "Netbeheerder, industrie en Duurzaamheidsfabriek")],
}
# Per table, the state of each of the 8 steps in the current cycle.
PROCESS = {
    "bouwen-en-ruimtelijke-ontwikkeling": "GGGBNNNN",
    "wonen-en-volkshuisvesting": "GGVNNNNN",
    "werken-en-economie": "GGGGGBBN",
    "bereikbaarheid-en-mobiliteit": "GGGGBNNN",
    "energietransitie": "GGGGGBVN",
}
STATE_CODES = {
    "G": ProcessState.DONE,
    "B": ProcessState.IN_PROGRESS,
    "V": ProcessState.STUCK,
    "N": ProcessState.NOT_STARTED,
}
STUCK_NOTES = {
    "wonen-en-volkshuisvesting": "Belangen lopen uiteen over de verdeling van de sociale woningbouw.",
    "energietransitie": "Netcongestie: knelpunt gesignaleerd, geagendeerd bij de regiekamer.",
}
CHAMBER_TEXT = {
    RegiekamerKind.AMBTELIJK: (
        "De gemeentesecretarissen (ONS-D) en de manager Smart Delta Drechtsteden. "
        "Systeemeigenaar van de samenwerking en eerste escalatieniveau."
    ),
    RegiekamerKind.BESTUURLIJK: (
        "Eén bestuurder per gemeente. Weegt vragen van scope, samenstelling en "
        "thema-overstijgende knelpunten integraal af."
    ),
}
# Chair rotation among the secretaries (never Dordrecht): last year, this year, next two.
CHAIR_ROTATION = ["sliedrecht", "zwijndrecht", "alblasserdam", "papendrecht"]


def load() -> dict[str, int]:
    users = {u.username: u for u in User.objects.select_related("organisation")}
    orgs = {o.slug: o for o in Organisation.objects.all()}
    today = timezone.localdate()
    counts = {"tafels": 0, "zetels": 0, "vergaderingen": 0, "processtappen": 0}
    counts |= {"regiekamerleden": 0, "voorzitterstermijnen": 0, "escalaties": 0}

    for index, theme in enumerate(Theme.objects.all()):
        table, created = BoardTable.objects.get_or_create(
            theme=theme, defaults={"description": f"De bestuurlijke tafel van {theme.name}."}
        )
        counts["tafels"] += created
        for slug in CORE:
            reason = NOT_TAKING_PART.get((theme.slug, slug), "")
            _, created = Seat.objects.get_or_create(
                table=table,
                organisation=orgs[slug],
                valid_from=SEATS_FROM,
                defaults={
                    "takes_part": not reason,
                    "reason": reason,
                    "administrator": "" if reason else f"Wethouder {orgs[slug].name}",
                    "official": None if reason else users.get(f"ambtenaar-{slug}"),
                },
            )
            counts["zetels"] += created
        for theme_slug, org_slug, decided, reference in PARTNERS:
            if theme_slug == theme.slug and org_slug in orgs:
                _, created = Seat.objects.get_or_create(
                    table=table,
                    organisation=orgs[org_slug],
                    valid_from=decided,
                    defaults={"admission_date": decided, "admission_reference": reference},
                )
                counts["zetels"] += created
        for name, description in HELIX.get(theme.slug, []):
            TripleHelixTable.objects.get_or_create(
                board_table=table, name=name, defaults={"description": description}
            )
        if not table.meetings.exists():
            counts["vergaderingen"] += _table_meetings(table, today, index, users)
        if not table.process_steps.exists():
            for step, code in zip(Step, PROCESS.get(theme.slug, "NNNNNNNN"), strict=True):
                state = STATE_CODES[code]
                ProcessStep.objects.create(
                    table=table,
                    cycle=today.year,
                    step=step,
                    state=state,
                    note=STUCK_NOTES.get(theme.slug, "") if state == ProcessState.STUCK else "",
                )
                counts["processtappen"] += 1

    ambtelijk = _regiekamer(RegiekamerKind.AMBTELIJK)
    bestuurlijk = _regiekamer(RegiekamerKind.BESTUURLIJK)
    members = [(ambtelijk, f"secretaris-{s}", "gemeentesecretaris") for s in CORE]
    members.append((ambtelijk, "programmabureau", "manager Smart Delta Drechtsteden"))
    members += [(bestuurlijk, f"burgemeester-{s}", "burgemeester") for s in CORE]
    for regiekamer, username, capacity in members:
        if username in users:
            _, created = Membership.objects.get_or_create(
                regiekamer=regiekamer,
                user=users[username],
                valid_from=SEATS_FROM,
                defaults={"capacity": capacity},
            )
            counts["regiekamerleden"] += created
    for regiekamer, offsets in [(ambtelijk, [14, 56, 98]), (bestuurlijk, [35, 119])]:
        if not regiekamer.meetings.exists():
            for days in offsets:
                Meeting.objects.create(
                    regiekamer=regiekamer,
                    date=today + datetime.timedelta(days=days),
                    location="Stadskantoor Dordrecht"
                    if regiekamer == ambtelijk
                    else "Huis van de Stad",
                )
                counts["vergaderingen"] += 1
    if not ambtelijk.chair_terms.exists():
        # The secretaries choose their chair themselves (seed 004, advice 3).
        for offset, slug in enumerate(CHAIR_ROTATION, start=-1):
            year = today.year + offset
            chairs.schedule_chair(
                users[f"secretaris-{slug}"],
                ambtelijk,
                users[f"secretaris-{slug}"],
                datetime.date(year, 1, 1),
                datetime.date(year, 12, 31),
            )
            counts["voorzitterstermijnen"] += 1
    mayor = users.get("burgemeester-papendrecht")
    if mayor is not None and not bestuurlijk.chair_terms.exists():
        # Seed 004 sees "eén bestuurder uit elke gemeente" in the bestuurlijke regiekamer; its
        # members choose one of themselves as chair (chairs.check_chair_term).
        chairs.schedule_chair(
            mayor,
            bestuurlijk,
            mayor,
            datetime.date(today.year, 1, 1),
            datetime.date(today.year, 12, 31),
        )
        counts["voorzitterstermijnen"] += 1
    if not Escalation.objects.exists():
        counts["escalaties"] = _escalations(users, today)
    if not MeetingPaper.objects.exists() and "programmabureau" in users:
        counts["stukken"] = _meeting_with_papers(users["programmabureau"], today)

    # The other tables' past meetings have their decisions from `_table_meetings`.
    if not Decision.objects.filter(meeting__table__theme__slug=DECISIONS_TABLE).exists():
        counts["besluiten"] = _decisions(users, orgs, today)
    if not CollaborationMilestone.objects.exists() and "programmabureau" in users:
        counts["mijlpalen samenwerking"] = _collaboration_milestones(users["programmabureau"])
    return counts


def _collaboration_milestones(office: User) -> int:
    """The collaboration's own dates from the seeds (demo stands and owners)."""
    sdd = office.organisation
    dordrecht = Organisation.objects.get(slug="dordrecht")
    rows = [
        (
            "Aanbevelingen van het adviesrapport geïmplementeerd (transitieplan)",
            datetime.date(2025, 7, 1),
            sdd,
            MilestoneStatus.UNDERWAY,
            "De zeven colleges vroegen de aanbevelingen uiterlijk op 1 juli 2025 te implementeren.",
        ),
        (
            "Uitvoeringsorganisatie Smart Delta & Partners opgericht",
            datetime.date(2026, 3, 31),
            sdd,
            MilestoneStatus.DONE,
            "Oprichting in het eerste kwartaal van 2026.",
        ),
        (
            "Samenwerkingsovereenkomst herzien en zo nodig aangepast of vervangen",
            datetime.date(2027, 7, 1),
            dordrecht,
            MilestoneStatus.PLANNED,
            "",
        ),
    ]
    for title, due, owner, status, note in rows:
        collaboration.add_milestone(
            office, title=title, due_date=due, owner=owner, status=status, note=note, is_demo=True
        )
    return len(rows)


def demo_pdf(title: str) -> bytes:
    """A one-page PDF with one line of text, built here so the repository holds no binaries."""
    text = title.encode("latin-1", "replace").replace(b"\\", b"").replace(b"(", b"[")
    text = text.replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size " + str(len(objects) + 1).encode() + b" /Root 1 0 R >>\n"
    out += b"startxref\n" + str(xref).encode() + b"\n%%EOF\n"
    return out


def _meeting_with_papers(office: User, today) -> int:
    """A meeting of the first table in eight days: its send-by date has passed, one paper came
    in time and one came late (seed 004: papers reach the tables late). The past meeting of that
    table gets its attendance per municipality."""
    table = BoardTable.objects.select_related("theme").order_by("pk").first()
    if table is None:
        return 0
    meeting = meetings.plan_meeting(
        office,
        table,
        date=today + datetime.timedelta(days=8),
        start_time=datetime.time(14, 0),
        location="Huis van de Stad, Dordrecht",
    )
    meetings.add_agenda_item(office, meeting, title="Opening en vaststellen agenda")
    step = table.process_steps.filter(step=Step.INTEREST).order_by("-cycle").first()
    interest = meetings.add_agenda_item(
        office,
        meeting,
        title="Belangen- en commitmentgesprek",
        description="Per gemeente: waar zit het belang, waar doen we wel en niet aan mee?",
        process_step=step,
    )
    portfolio = meetings.add_agenda_item(office, meeting, title="Stand van het portfolio")
    on_time = meetings.add_paper(
        office,
        interest,
        SimpleUploadedFile(
            "Notitie belangen en commitment.pdf",
            demo_pdf(f"Notitie belangen en commitment - {table}"),
            content_type="application/pdf",
        ),
    )
    # Delivered five days ago, before the send-by date (ten days before the meeting).
    on_time.uploaded_at = timezone.now() - datetime.timedelta(days=5)
    on_time._history_user = office
    on_time.save()
    meetings.add_paper(
        office,
        portfolio,
        SimpleUploadedFile(
            "Voortgangsrapportage portfolio.pdf",
            demo_pdf(f"Voortgangsrapportage portfolio - {table}"),
            content_type="application/pdf",
        ),
    )
    past = table.meetings.filter(date__lt=today).order_by("date").first()
    if past is not None and not past.attendances.exists():
        organisations = meetings.attendance_organisations(past)
        rows = {}
        for number, organisation in enumerate(organisations):
            seat = table.seats.filter(organisation=organisation).first()
            if seat is not None and not seat.takes_part:
                rows[organisation.pk] = (Presence.ABSENT, "")
            elif number == 2:
                rows[organisation.pk] = (Presence.EXCUSED, "")
            else:
                rows[organisation.pk] = (Presence.PRESENT, seat.administrator if seat else "")
        meetings.record_attendance(office, past, rows, seen_version=past.version)
    return 2


def _regiekamer(kind: str) -> Regiekamer:
    regiekamer, _ = Regiekamer.objects.get_or_create(
        kind=kind, defaults={"description": CHAMBER_TEXT[kind]}
    )
    return regiekamer


def _table_meetings(table: BoardTable, today, index: int, users) -> int:
    past = Meeting.objects.create(
        table=table,
        date=today - datetime.timedelta(days=150 + 7 * index),
        location="Huis van de Stad, Dordrecht",
        attendance="\n".join(
            s.administrator for s in table.seats.filter(takes_part=True) if s.administrator
        ),
    )
    for order, (title, decision) in enumerate(
        [
            ("Opening en vaststellen agenda", "De agenda is vastgesteld."),
            (
                "Gezamenlijke ambitie " + table.theme.name.lower(),
                "De tafel stelt de ambitie voor de komende cyclus vast.",
            ),
            (
                "Stand van het portfolio",
                "Het programmabureau koppelt de voortgang per coalitie terug in de volgende "
                "vergadering.",
            ),
        ],
        start=1,
    ):
        item = AgendaItem.objects.create(meeting=past, order=order, title=title)
        # What was decided is the meeting's decision list; the decisions table's list is
        # recorded in full, with its actions, by `_decisions`.
        if table.theme.slug != DECISIONS_TABLE and "programmabureau" in users:
            decisions.record_decision(
                users["programmabureau"], past, text=decision, agenda_item=item
            )
    upcoming = Meeting.objects.create(
        table=table,
        date=today + datetime.timedelta(days=40 + 7 * index),
        location="Huis van de Stad, Dordrecht",
    )
    for order, title in enumerate(
        ["Opening en vaststellen agenda", "Belangen- en commitmentgesprek", "Rondvraag"], start=1
    ):
        AgendaItem.objects.create(meeting=upcoming, order=order, title=title)
    return 2


def _escalations(users, today) -> int:
    """Four escalations in different states, run through the services like real ones."""
    tables = {t.theme.slug: t for t in BoardTable.objects.select_related("theme")}
    mbo = Project.objects.filter(name="MBO-aanpak").first()

    def raise_(reporter, **fields):
        return escalations.raise_escalation(users[reporter], notify=False, **fields)

    overdue = raise_(
        "ambtenaar-papendrecht",
        title="Capaciteit energietransitie niet geleverd",
        description="Twee gemeenten leveren de toegezegde 0,4 fte voor de warmtetransitie niet; "
        "de planning van het regionale warmteprogramma loopt vertraging op.",
        category="capaciteit",
        urgency="hoog",
        table=tables.get("energietransitie"),
    )
    # An older report, so the demo shows one over its response deadline.
    overdue.created_at -= datetime.timedelta(days=40)
    overdue.deadline = today - datetime.timedelta(days=5)
    overdue._history_user = users["beheer"]
    overdue.save()
    # Its history says the same day as its page (issue 30: "ingediend 26 oktober" whose
    # history said the day the demo was loaded).
    raised = overdue.events.get(action="raise")
    raised.at = overdue.created_at
    raised.save()

    taken = raise_(
        "ambtenaar-sliedrecht",
        title="Cofinanciering MBO-aanpak niet overgemaakt",
        description="De afgesproken bijdrage aan de MBO-aanpak is na twee herinneringen nog "
        "niet overgemaakt.",
        category="afspraak",
        urgency="normaal",
        project=mbo,
    )
    regiekamer = taken.regiekamer
    escalations.take_up(
        users["secretaris-zwijndrecht"],
        taken,
        seen_version=taken.version,
        meeting=regiekamer.next_meeting(today),
    )

    raised = raise_(
        "ambtenaar-hendrik-ido-ambacht",
        title="Toetreding buurgemeente tot tafel Bereikbaarheid",
        description="Moet een buurgemeente die alleen aan één project meedoet ook aan de tafel "
        "kunnen aanschuiven? Dat raakt de samenstelling van de tafel.",
        category="scope",
        urgency="normaal",
        table=tables.get("bereikbaarheid-en-mobiliteit"),
    )
    raised = escalations.take_up(users["secretaris-alblasserdam"], raised, seen_version=1)
    raised = escalations.escalate_to_bestuurlijk(
        users["secretaris-alblasserdam"],
        raised,
        seen_version=raised.version,
        reason="Vraag over samenstelling van een tafel: vraagt een bestuurlijke afweging.",
        notify=False,
    )

    decided = raise_(
        "ambtenaar-zwijndrecht",
        title="Besluitvorming woningbouwprogrammering te laat",
        description="Stukken voor de tafel Wonen kwamen te laat om in de colleges te bespreken.",
        category="besluitvorming",
        urgency="normaal",
        table=tables.get("wonen-en-volkshuisvesting"),
    )
    decided = escalations.take_up(users["secretaris-papendrecht"], decided, seen_version=1)
    decided = escalations.decide(
        users["secretaris-papendrecht"],
        decided,
        seen_version=decided.version,
        decision="Stukken gaan voortaan vier weken vóór de tafel naar de colleges.",
        notify=False,
    )
    escalations.close(users["secretaris-papendrecht"], decided, seen_version=decided.version)
    return 4


# The decision list of the last meeting of the table Werken en economie: three decisions, with
# actions for several municipalities and the programme office; one is overdue, one is done.
DECISIONS_TABLE = "werken-en-economie"


def _decisions(users, orgs, today) -> int:
    office = users.get("programmabureau")
    table = BoardTable.objects.filter(theme__slug=DECISIONS_TABLE).first()
    meeting = table and table.meetings.filter(date__lt=today).order_by("-date").first()
    if office is None or meeting is None:
        return 0
    items = {i.order: i for i in meeting.agenda_items.all()}
    days = datetime.timedelta

    def record(text, item=None, actions=()):
        decision = decisions.record_decision(office, meeting, text=text, agenda_item=item)
        made = []
        for description, slug, deadline in actions:
            made.append(
                decisions.add_action(
                    office, decision, description=description, owner=orgs[slug], deadline=deadline
                )
            )
        return made

    ambition = record(
        "De tafel stelt de ambitie voor de komende cyclus vast. Elke gemeente legt haar binnen "
        "zes weken voor aan het eigen college.",
        items.get(2),
        [
            (
                "Collegevoorstel over de ambitie opstellen en in het college brengen.",
                "dordrecht",
                today - days(10),
            ),
            (
                "Collegevoorstel over de ambitie opstellen en in het college brengen.",
                "papendrecht",
                today - days(20),
            ),
        ],
    )
    record(
        "Het programmabureau koppelt de voortgang per coalitie terug in de volgende vergadering.",
        items.get(3),
        [
            (
                "Voortgangsrapportage per coalitie opstellen.",
                "smart-delta-drechtsteden",
                today + days(30),
            )
        ],
    )
    record(
        "Elke gemeente maakt vóór de volgende tafel in de sorteerbak kenbaar aan welke projecten "
        "van het thema zij wel en niet deelneemt.",
        None,
        [
            (
                "Positie invullen voor alle projecten van het thema.",
                "zwijndrecht",
                today + days(21),
            ),
            ("Positie invullen voor alle projecten van het thema.", "sliedrecht", today + days(21)),
        ],
    )
    done = ambition[1]
    decisions.set_action_status(
        users["ambtenaar-papendrecht"],
        done,
        "gereed",
        note="Het college heeft de ambitie besproken en onderschreven.",
        seen_version=done.version,
    )
    return 3
