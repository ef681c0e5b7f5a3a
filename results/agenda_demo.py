"""Demo items of the local uitvoeringsagenda for three municipalities (issue 27).

Invented for the demo, each marked `is_demo` and titled as such on the pages: the seeds say
that each municipality should keep such an agenda, not what is on it. Dordrecht and Papendrecht
have published items; Zwijndrecht has one published item and one concept, which only its
officials, its secretary and the programme office see. Written by the municipality's own
official and published by its secretary, as the portal does it. Idempotent: an item whose title
exists for that municipality is left alone.
"""

import datetime
from decimal import Decimal as D

from portfolio.models import Project, Theme
from smartdelta.models import Organisation, User

from . import agenda
from .models import AgendaItem

d = datetime.date

# (municipality, title, theme slug, status, start, end, own budget, project name, published,
#  description)
ITEMS = [
    (
        "dordrecht",
        "Woningbouwversnelling Spoorzone (demo)",
        "bouwen-en-ruimtelijke-ontwikkeling",
        "lopend",
        d(2024, 1, 1),
        d(2027, 12, 31),
        D("1250000.00"),
        "Regionale woningbouwversnelling",
        True,
        "Een gemeentelijk projectteam versnelt de plannen in de Spoorzone; het sluit aan bij de "
        "regionale woningbouwversnelling.",
    ),
    (
        "dordrecht",
        "Leerwerkplekken bij de gemeente (demo)",
        "werken-en-economie",
        "gepland",
        d(2025, 9, 1),
        d(2026, 8, 31),
        None,
        "MBO-aanpak",
        True,
        "De gemeente biedt zelf leerwerkplekken aan studenten van de MBO-aanpak.",
    ),
    (
        "zwijndrecht",
        "Wijkaanpak aardgasvrij Walburg (demo)",
        "energietransitie",
        "lopend",
        d(2024, 3, 1),
        d(2028, 12, 31),
        D("480000.00"),
        "SCALE: energietransitie in de gebouwde omgeving",
        True,
        "Een eigen wijkaanpak voor aardgasvrij wonen, in lijn met de regionale energiestrategie.",
    ),
    (
        "zwijndrecht",
        "Lokaal werkgeversservicepunt (demo)",
        "werken-en-economie",
        "gepland",
        d(2026, 1, 1),
        d(2026, 12, 31),
        D("75000.00"),
        None,
        False,  # the concept: stays with Zwijndrecht until its secretary publishes it
        "Een lokaal loket voor werkgevers; nog in voorbereiding in het college.",
    ),
    (
        "papendrecht",
        "Fietsroute langs de Merwede (demo)",
        "bereikbaarheid-en-mobiliteit",
        "afgerond",
        d(2023, 4, 1),
        d(2024, 10, 31),
        D("310000.00"),
        None,
        True,
        "De gemeente legde het eigen deel van de regionale fietsroute aan.",
    ),
]


def load() -> dict[str, int]:
    office = User.objects.get(username="programmabureau")
    made = 0
    for slug, title, theme, status, start, end, budget, project, published, text in ITEMS:
        organisation = Organisation.objects.filter(slug=slug).first()
        theme_obj = Theme.objects.filter(slug=theme).first()
        if organisation is None or theme_obj is None:
            continue
        if AgendaItem.objects.filter(organisation=organisation, title=title).exists():
            continue
        official = User.objects.filter(username=f"ambtenaar-{slug}").first() or office
        item = agenda.add_item(
            official,
            organisation,
            title=title,
            theme=theme_obj,
            status=status,
            start_date=start,
            end_date=end,
            own_budget=budget,
            project=Project.objects.filter(name=project).first() if project else None,
            description=text,
            is_demo=True,
        )
        if published:
            secretary = User.objects.filter(username=f"secretaris-{slug}").first() or office
            agenda.publish_item(secretary, item, item.version)
        made += 1
    return {"agendapunten": made}
