"""Demo data: Smart Delta & Partners, its seven shareholders and one shareholders' meeting with an
adopted decision list (seed 000). Idempotent: nothing happens when the company exists.

From seed 000: the name, "BV als wenselijke organisatievorm", "Q1 2026 oprichting", "Inleg
symbolisch bedrag van €1", "Gelijke verdeling van eigenaarschap en zeggenschap", the
exploitation ("Dekking Exploitatielast (personeel, huisvesting etc.) 390.000"; "Structurele
inbreng van €40.000 vanuit Regionaal Werkcentrum"; "Via Smart Delta Begroting werken en economie
(inwonerbijdrage)") and the six programme lines. A demo choice, not in the seed: the founding
date and reference, the mayors as the shareholders' representatives, and the meeting's date,
place, agenda and decisions.
"""

import datetime
from decimal import Decimal

from councils.models import CouncilProcedure
from meetings import decisions, meetings
from smartdelta.models import Organisation, User

from . import company
from .models import Company

NAME = "Smart Delta & Partners"
FOUNDED_ON = datetime.date(2026, 3, 2)  # demo: seed 000 says "Q1 2026"
FOUNDING_DECISION = "Akte van oprichting Smart Delta & Partners B.V. (voorbeeld)"
PROCEDURE_TITLE = "Oprichting van en deelname aan Smart Delta & Partners"  # councils/demo.py
BUDGET_LINE = "Werk en economie"  # seed 001's line; seed 000: "Begroting werken en economie"
MEETING_ON = datetime.date(2026, 4, 16)
AGENDA = [
    ("Opening en vaststelling van de agenda", ""),
    (
        "Opdrachtverstrekking 2026",
        "De aandeelhouders geven Smart Delta & Partners de opdracht voor 2026 langs de zes "
        "programmalijnen.",
    ),
    ("Begroting en exploitatie 2026", "Dekking exploitatielast € 390.000."),
]
DECISIONS = [
    (1, "De agenda wordt ongewijzigd vastgesteld."),
    (
        2,
        "De aandeelhouders verstrekken de opdracht 2026 langs de zes programmalijnen; de "
        "directie rapporteert elk half jaar over de uitvoering.",
    ),
    (
        3,
        "De exploitatie 2026 wordt gedekt via de begroting Werken en economie "
        "(inwonerbijdrage) en de structurele inbreng van het Regionaal Werkcentrum.",
    ),
]

ASSIGNMENT = (
    "Uitvoering langs de zes programmalijnen: een lean en wendbare organisatie, strategisch "
    "accountmanagement, innovatie in de keten, human capital, gebieds- en campusontwikkeling en "
    "de profilering van de regio (pact De Witt)."
)


def load() -> dict[str, int]:
    if Company.objects.filter(name=NAME).exists():
        return {"uitvoeringsorganisaties": 0}
    office = User.objects.get(username="programmabureau")
    firm = company.found_company(
        office,
        name=NAME,
        legal_form="B.V.",
        founded_on=FOUNDED_ON,
        founding_decision=FOUNDING_DECISION,
        founding_procedure=CouncilProcedure.objects.filter(title=PROCEDURE_TITLE).first(),
        operating_cost=Decimal("390000.00"),
        work_centre_contribution=Decimal("40000.00"),
        exploitation_from=FOUNDED_ON.year,
        budget_line_name=BUDGET_LINE,
        is_demo=True,
    )
    mayors = {
        u.organisation_id: u for u in User.objects.filter(username__startswith="burgemeester-")
    }
    for organisation in Organisation.objects.core().order_by("name"):
        company.add_shareholder(
            office, firm, organisation, representative=mayors.get(organisation.pk)
        )
    meeting = meetings.plan_meeting(
        office, firm.general_meeting, date=MEETING_ON, location="Stadskantoor Dordrecht"
    )
    items = [
        meetings.add_agenda_item(office, meeting, title=title, description=text)
        for title, text in AGENDA
    ]
    for index, text in DECISIONS:
        decisions.record_decision(office, meeting, text=text, agenda_item=items[index - 1])
    adopter = mayors.get(Organisation.objects.get(slug="dordrecht").pk)
    if adopter is not None:
        meeting.refresh_from_db()
        decisions.adopt_decisions(adopter, meeting, seen_version=meeting.version)
    company.record_assignment(
        office,
        firm,
        year=MEETING_ON.year,
        description=ASSIGNMENT,
        meeting=meeting,
    )
    company.record_supervision_report(
        office,
        firm,
        date=datetime.date(2026, 9, 30),
        title="Halfjaarrapportage uitvoering 2026",
        document_reference="Voorbeeld, geen echt document",
    )
    return {"uitvoeringsorganisaties": 1}
