"""Demo budget 2024 from seed 001, with the financing of seed 002.

The lines and amounts are the seed's. Which line belongs to which component is a demo choice
(the seeds do not say): the general lines under component 1, the theme lines under component 2.
The inwonerbijdrage is the agreed € 4.75 million (seed 001: "Hiermee kan € 4,75 miljoen van
deze begroting bekostigd worden"); the neighbours' € 0.25 million is hoped for, not committed
(seed 002: "Er is nog geen concrete toezegging"); the 2023 deficit of about € 140,000 is carried
over and solved inside the budget (seed 002). The Regionaal Werkcentrum's € 40,000 belongs to
Smart Delta & Partners from 2026 (seed 000), not to this budget.
Idempotent: a budget year that exists is left alone.
"""

import datetime
from decimal import Decimal as D

from smartdelta.models import Organisation

from .budget import default_letter
from .models import (
    BudgetLine,
    BudgetStatus,
    BudgetYear,
    Financing,
    FinancingKind,
    FinancingStatus,
    LetterParticulars,
    LetterText,
)

LINES_2024 = [
    ("Programmamanagement", 1, D("300000")),
    ("Public Affairs, lobby en strategie", 1, D("555000")),
    ("Communicatie", 1, D("200000")),
    ("Events en bijeenkomsten", 1, D("255000")),
    ("Coördinatie Regio Deal", 1, D("90000")),
    ("Bouwen en RO", 2, D("425000")),
    ("Wonen en volkshuisvesting", 2, D("425000")),
    ("Werk en economie", 2, D("1650000")),
    ("Bereikbaarheid", 2, D("520000")),
    ("Energietransitie", 2, D("580000")),
]
FINANCING_2024 = [
    (FinancingKind.NEIGHBOUR, "Vaste bijdragen buurgemeenten", D("250000"), FinancingStatus.HOPED),
]
CONTRIBUTION_2024 = D("4750000")  # seed 001
CARRIED_OVER_2024 = D("140000")  # deficit of the 2023 accounts (seed 002: about 140,000)
# The assumption for the meerjarenraming: the seeds name no figure, so the demo assumes one.
FORECAST_INDEXATION = D("2.5")

LETTER_2024 = {
    "subject": "Bijdrage aan Smart Delta Drechtsteden 2024",
    "portfolio_holder": "",
    "introduction": (
        "Al jarenlang werken we als gemeenten binnen de Drechtsteden aan de gezamenlijke ambitie "
        "om als regio een sociaal-economische sprong te maken. Met deze raadsinformatiebrief "
        "informeert het college u over wat onze gemeente in 2024 bijdraagt aan de samenwerking "
        "Smart Delta Drechtsteden, en waarom."
    ),
    "key_message": (
        "De zeven Drechtstedengemeenten betalen samen de begroting van het netwerk (component 1) "
        "en de gezamenlijke basis voor projecten (component 2) naar inwonertal. Aan specifieke "
        "projecten (component 3) betalen alleen de gemeenten die deelnemen, naar deelname en "
        "profijt. Het tekort van ongeveer € 140.000 over 2023 is doorgeschoven naar 2024 en wordt "
        "binnen de begroting opgelost: er volgt geen aanvullende afrekening met de gemeenten."
    ),
    "consequences": (
        "Hieronder staat de bijdrage van onze gemeente per component, en de bijdragen van alle "
        "zeven gemeenten."
    ),
    "next_steps": (
        "Het college informeert u over de voortgang van de projecten waaraan onze gemeente "
        "deelneemt. De begroting 2024 wordt in 2025 budgetneutraal voortgezet: de bijdrage voor "
        "2025 is die van 2024, tot er een nieuw uitvoeringsprogramma met begroting is."
    ),
}


# The particulars a griffie needs on each municipality's letter (demo names, not real people).
PARTICULARS = {
    "alblasserdam": ("A. van Dijk", "Z/24/01873", "M. Visser", "E. Bakker"),
    "dordrecht": ("R. de Boer", "2024/0512", "H. Jansen", "P. Mulder"),
    "hardinxveld-giessendam": ("S. Kok", "HG-2024-0318", "L. de Graaf", "T. Smit"),
    "hendrik-ido-ambacht": ("J. van Leeuwen", "Z.24.04112", "K. Meijer", "D. de Jong"),
    "papendrecht": ("N. Vermeulen", "PAP/2024/667", "W. van den Berg", "F. Dekker"),
    "sliedrecht": ("B. Brouwer", "SL-24-1120", "C. Hendriks", "G. Verhoeven"),
    "zwijndrecht": ("I. Peters", "ZWD-2024-0921", "O. Kuipers", "Y. Willems"),
}


def particulars() -> dict[str, int]:
    """The letter particulars of the seven (a loader of `load_demo` of its own)."""
    made = 0
    for organisation in Organisation.objects.core().filter(letter_particulars__isnull=True):
        holder, reference, secretary, mayor = PARTICULARS.get(organisation.slug, ("", "", "", ""))
        if not holder:
            continue
        LetterParticulars.objects.create(
            organisation=organisation,
            addressee=f"Aan de gemeenteraad van {organisation.name}",
            portfolio_holder=f"{holder}, wethouder Economie en Regionale samenwerking",
            reference_prefix=reference,
            first_signatory_title="De secretaris",
            first_signatory_name=secretary,
            second_signatory_title="De burgemeester",
            second_signatory_name=mayor,
        )
        made += 1
    return {"briefgegevens": made}


def load() -> dict[str, int]:
    if BudgetYear.objects.filter(year=2024).exists():
        return {"begrotingsjaren": 0}
    budget = BudgetYear.objects.create(
        year=2024,
        status=BudgetStatus.ADOPTED,
        decision_reference="Uitvoeringsprogramma Smart Delta Drechtsteden 2024",
        indexation_percent=D("0"),
        contribution=CONTRIBUTION_2024,
        forecast_indexation=FORECAST_INDEXATION,
        reference_date=datetime.date(2024, 1, 1),
        carried_over=CARRIED_OVER_2024,
        # "besloten om de huidige begroting budgetneutraal voort te zetten in 2025" (seed 002)
        next_year_unchanged=True,
        note="Begroting 2024 uit het Uitvoeringsprogramma 2024. De indeling van de posten in "
        "componenten en de verwachte indexatie van 2,5 % voor de jaren erna zijn aannames.",
    )
    for order, (name, component, amount) in enumerate(LINES_2024, start=1):
        BudgetLine.objects.create(
            budget=budget, name=name, component=component, amount=amount, order=order
        )
    for kind, description, amount, status in FINANCING_2024:
        Financing.objects.create(
            budget=budget, kind=kind, description=description, amount=amount, status=status
        )
    LetterText.objects.create(budget=budget, **{**default_letter(2024), **LETTER_2024})
    return {"begrotingsjaren": 1}
