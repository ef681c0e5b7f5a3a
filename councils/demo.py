"""Demo data: the wensen-en-bedenkingenprocedure on founding Smart Delta & Partners (seed 000).

Seed 000 ("Vervolg"): the colleges adopt the proposal to found and take part in Smart Delta &
Partners, the councils hold a wensen-en-bedenkingenprocedure, and the execution organisation is
founded in Q1 2026. The councils' meeting dates and outcomes below are a demo choice in Q4 2025;
the seed names none. The procedure is about the theme Werken en Economie: seed 000 founds the
organisation for the "Intergemeentelijke samenwerking op thema werken & economie", paid "Via
Smart Delta Begroting werken en economie"; so its page shows that theme's results. Idempotent:
nothing happens when the procedure already exists.
"""

import datetime

from portfolio.models import Theme
from smartdelta.models import Organisation, User

from . import procedures
from .models import CouncilProcedure, Outcome, ProcedureKind

TITLE = "Oprichting van en deelname aan Smart Delta & Partners"
DESCRIPTION = (
    "De colleges van de Drechtsteden stellen het voorstel vast tot oprichting van en deelname "
    "aan de uitvoeringsorganisatie Smart Delta & Partners. De gemeenteraden kunnen hun wensen "
    "en bedenkingen kenbaar maken voordat de colleges besluiten; de oprichting volgt in het "
    "eerste kwartaal van 2026.\n"
    "Voorbeeldgegevens: de vergaderdata en uitkomsten zijn aannemelijk gekozen en komen niet "
    "uit de brondocumenten."
)
DEADLINE = datetime.date(2025, 12, 18)
THEME = "werken-en-economie"  # seed 000: "samenwerking op thema werken & economie"
# slug -> (council meeting, outcome, document reference); None: not yet planned.
COUNCILS = {
    "alblasserdam": (datetime.date(2025, 11, 25), Outcome.AGREED, "Raadsvoorstel SD&P"),
    "dordrecht": (datetime.date(2025, 12, 9), Outcome.WISHES_SUBMITTED, "Raadsvoorstel SD&P"),
    "hardinxveld-giessendam": (datetime.date(2025, 11, 27), Outcome.AGREED, "Raadsvoorstel SD&P"),
    "hendrik-ido-ambacht": (
        datetime.date(2025, 12, 16),
        Outcome.WISHES_SUBMITTED,
        "Raadsvoorstel SD&P",
    ),
    "papendrecht": (datetime.date(2025, 12, 11), Outcome.AGREED, "Raadsvoorstel SD&P"),
    "sliedrecht": (datetime.date(2025, 12, 16), Outcome.POSTPONED, "Raadsvoorstel SD&P"),
    "zwijndrecht": (None, Outcome.OPEN, ""),
}


def load() -> dict[str, int]:
    if CouncilProcedure.objects.filter(title=TITLE).exists():
        return {"raadsprocedures": 0}
    office = User.objects.get(username="programmabureau")
    procedure = procedures.start_procedure(
        office,
        title=TITLE,
        description=DESCRIPTION,
        deadline=DEADLINE,
        default_kind=ProcedureKind.WISHES,
        theme=Theme.objects.filter(slug=THEME).first(),
    )
    municipalities = {o.slug: o for o in Organisation.objects.core()}
    for slug, (council_date, outcome, reference) in COUNCILS.items():
        if slug not in municipalities or council_date is None:
            continue
        step = procedure.steps.get(municipality=municipalities[slug])
        official = User.objects.filter(username=f"ambtenaar-{slug}").first() or office
        procedures.record_council_step(
            official,
            step,
            step.version,
            kind=ProcedureKind.WISHES,
            council_date=council_date,
            outcome=outcome,
            document_reference=reference,
            document_url="",
        )
    return {"raadsprocedures": 1}
