"""Demo indicators from the seeds, with demo measurements that say so and name a source.

Seed 001 (Bouwen): "Versnelling in de woningbouwproductie (van 800 naar 1500 woningen per
jaar)" and "Planvoorraad voor 130% tot 150% van de woningbouwopgave". Seed 003: Perspct "in
drie jaar 600 mensen met een langdurige afstand tot de arbeidsmarkt duurzaam aan het werk te
helpen"; Kansrijk "waarmee tot en met 2023 100 werklozen duurzaam naar een betaalde baan worden
begeleid"; "Dordrecht Academy biedt inmiddels vijf Associate Degree opleidingen".

The seeds give the goals, not the dates nor the figures in between: baseline dates, target
dates and every measurement here are invented for the demo, labelled as demo data
(`Measurement.is_demo`) and with a source that says so. Idempotent: an indicator that exists
is left alone.
"""

import datetime
from decimal import Decimal as D

from portfolio.models import Project, Theme
from smartdelta.models import Organisation, User

from . import indicators
from .models import Direction, Indicator

d = datetime.date
DEMO = "Demodata (geen echte cijfers)"
ORDER = [
    "dordrecht",
    "zwijndrecht",
    "papendrecht",
    "sliedrecht",
    "alblasserdam",
    "hendrik-ido-ambacht",
    "hardinxveld-giessendam",
]

# (owner kind, theme slug or project name, name, unit, direction, baseline, targets,
#  measurements: (date, value, source, parts in ORDER or None))
INDICATORS = [
    (
        "theme",
        "bouwen-en-ruimtelijke-ontwikkeling",
        "Woningbouwproductie",
        "woningen per jaar",
        Direction.HIGHER,
        (d(2022, 12, 31), D("800")),
        [(d(2030, 12, 31), D("1500"))],
        [
            (
                d(2023, 12, 31),
                D("910"),
                "CBS Statline, toevoeging woningvoorraad",
                [420, 110, 80, 75, 60, 95, 70],
            ),
            (
                d(2024, 12, 31),
                D("960"),
                "CBS Statline, toevoeging woningvoorraad",
                [450, 120, 85, 70, 65, 100, 70],
            ),
        ],
    ),
    (
        "theme",
        "bouwen-en-ruimtelijke-ontwikkeling",
        "Planvoorraad als deel van de woningbouwopgave",
        "procent",
        Direction.HIGHER,
        (d(2022, 12, 31), D("110")),
        [(d(2026, 12, 31), D("130"))],
        [(d(2024, 12, 31), D("125"), "Regionale planmonitor wonen", None)],
    ),
    (
        "project",
        "Perspct",
        "Mensen met een langdurige afstand tot de arbeidsmarkt duurzaam aan het werk",
        "mensen (opgeteld)",
        Direction.HIGHER,
        (d(2022, 1, 1), D("0")),
        [(d(2024, 12, 31), D("600"))],
        [
            (
                d(2023, 12, 31),
                D("310"),
                "Rapportage Perspct, Sociale Dienst Drechtsteden",
                [140, 45, 30, 25, 20, 30, 20],
            ),
        ],
    ),
    (
        "project",
        "Kansrijk",
        "Werklozen duurzaam naar een betaalde baan",
        "mensen (opgeteld)",
        Direction.HIGHER,
        (d(2021, 1, 1), D("0")),
        [(d(2023, 12, 31), D("100"))],
        [
            (d(2022, 12, 31), D("45"), "Rapportage Kansrijk, gemeente Alblasserdam", None),
            (d(2023, 12, 31), D("100"), "Rapportage Kansrijk, gemeente Alblasserdam", None),
        ],
    ),
    (
        "project",
        "Dordrecht Academy",
        "Associate Degree-opleidingen op het Leerpark",
        "opleidingen",
        Direction.HIGHER,
        (d(2019, 9, 1), D("0")),
        [(d(2024, 9, 1), D("5"))],
        [(d(2024, 9, 1), D("5"), "Evaluatie Regio Deal Drechtsteden", None)],
    ),
]


def load() -> dict[str, int]:
    office = User.objects.get(username="programmabureau")
    municipalities = {o.slug: o for o in Organisation.objects.core()}
    made = 0
    for kind, owner_key, name, unit, direction, baseline, targets, measurements in INDICATORS:
        if kind == "theme":
            owner = {"theme": Theme.objects.filter(slug=owner_key).first()}
        else:
            owner = {"project": Project.objects.filter(name=owner_key).first()}
        if None in owner.values() or Indicator.objects.filter(name=name, **owner).exists():
            continue
        indicator = indicators.define_indicator(
            office,
            name=name,
            unit=unit,
            direction=direction,
            baseline_date=baseline[0],
            baseline_value=baseline[1],
            **owner,
        )
        for period_end, value in targets:
            indicators.add_target(office, indicator, period_end, value)
        for date, value, source, parts in measurements:
            indicators.add_measurement(
                office,
                indicator,
                date=date,
                value=value,
                source=f"{DEMO}; naar het voorbeeld van: {source}",
                parts=(
                    {municipalities[slug]: D(part) for slug, part in zip(ORDER, parts, strict=True)}
                    if parts
                    else None
                ),
                is_demo=True,
            )
        made += 1
    return {"indicatoren": made}
