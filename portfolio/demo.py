"""Demo portfolio: the five themes of seed 001 and real projects named in the seeds (003, 001).

The amounts and positions are illustrative (the seeds give none per project) and the project
descriptions say so. Idempotent: only creates what is missing.
"""

import datetime
from decimal import Decimal as D

from smartdelta.models import Organisation, User

from .models import (
    ExternalFunding,
    FundingStatus,
    Milestone,
    Position,
    PositionStatus,
    ProgressUpdate,
    Project,
    ProjectStatus,
    SharingKey,
    Theme,
    TrafficLight,
    Variant,
)
from .positions import put_in_force

THEMES = [
    ("Bouwen en Ruimtelijke Ontwikkeling", "bouwen-en-ruimtelijke-ontwikkeling"),
    ("Wonen en Volkshuisvesting", "wonen-en-volkshuisvesting"),
    ("Werken en Economie", "werken-en-economie"),
    ("Bereikbaarheid en Mobiliteit", "bereikbaarheid-en-mobiliteit"),
    ("Energietransitie", "energietransitie"),
]

V, S, E, N = Variant.FULL, Variant.SOLIDARITY, Variant.ENTRY, Variant.NONE

# name, theme, lead, status, total, base (c2), participants (c3), key, external, positions, partners
PROJECTS = [
    (
        "MBO-aanpak",
        "werken-en-economie",
        "dordrecht",
        ProjectStatus.RUNNING,
        D("900000"),
        D("150000"),
        D("450000"),
        SharingKey.INHABITANTS,
        [("regio_deal", D("300000"))],
        {
            "dordrecht": (V, {}),
            "zwijndrecht": (V, {}),
            "papendrecht": (V, {}),
            "sliedrecht": (S, {"amount": D("15000")}),
            "alblasserdam": (S, {"amount": D("10000")}),
            "hendrik-ido-ambacht": (V, {}),
            "hardinxveld-giessendam": (N, {}),
        },
        [("da-vinci-college", {"amount": D("50000"), "knowledge": "Opleidingsaanbod en docenten"})],
    ),
    (
        "I_lab",
        "werken-en-economie",
        "gorinchem",
        ProjectStatus.RUNNING,
        D("650000"),
        D("100000"),
        D("250000"),
        SharingKey.EQUAL,
        [("regio_deal", D("250000"))],
        {
            "hardinxveld-giessendam": (V, {}),
            "sliedrecht": (V, {}),
            "dordrecht": (S, {"share": D("10")}),
            "papendrecht": (E, {"entry_date": datetime.date(2025, 1, 1), "amount": D("20000")}),
            "alblasserdam": (N, {}),
        },
        [("ikg", {"amount": D("50000")}), ("gorinchem", {"amount": D("75000")})],
    ),
    (
        "Kansrijk",
        "werken-en-economie",
        "alblasserdam",
        ProjectStatus.CONTRACTING,
        D("400000"),
        D("50000"),
        D("200000"),
        SharingKey.PERCENTAGES,
        [("regio_deal", D("150000"))],
        {
            "alblasserdam": (V, {"share": D("60")}),
            "papendrecht": (V, {"share": D("40")}),
            "dordrecht": (N, {}),
            "zwijndrecht": (S, {"amount": D("5000")}),
        },
        [("sociale-dienst-drechtsteden", {"capacity_fte": D("1.0")})],
    ),
    (
        "Dordrecht Academy",
        "werken-en-economie",
        "dordrecht",
        ProjectStatus.RUNNING,
        D("500000"),
        D("75000"),
        D("275000"),
        SharingKey.INHABITANTS,
        [("regio_deal", D("150000"))],
        {
            "dordrecht": (V, {}),
            "zwijndrecht": (V, {}),
            "hendrik-ido-ambacht": (
                E,
                {"entry_date": datetime.date(2024, 9, 1), "amount": D("12500")},
            ),
            "papendrecht": (N, {}),
            "sliedrecht": (N, {}),
            "alblasserdam": (N, {}),
            "hardinxveld-giessendam": (N, {}),
        },
        [("hogeschool-rotterdam", {"knowledge": "Associate Degree-opleidingen"})],
    ),
    (
        "Perspct",
        "werken-en-economie",
        "sociale-dienst-drechtsteden",
        ProjectStatus.STOPPED,
        D("200000"),
        D("0"),
        D("100000"),
        SharingKey.INHABITANTS,
        [("regio_deal", D("100000"))],
        {
            "dordrecht": (V, {}),
            "zwijndrecht": (V, {}),
            "papendrecht": (V, {}),
            "sliedrecht": (V, {}),
            "alblasserdam": (V, {}),
            "hendrik-ido-ambacht": (V, {}),
            "hardinxveld-giessendam": (V, {}),
        },
        [],
    ),
    (
        "Innovatie Roadmaps maritieme maakindustrie",
        "werken-en-economie",
        "economic-development-board-drechtsteden",
        ProjectStatus.RUNNING,
        D("1200000"),
        D("200000"),
        D("300000"),
        SharingKey.INHABITANTS,
        [("regio_deal", D("500000")), ("privaat", D("200000"))],
        {
            "dordrecht": (V, {}),
            "sliedrecht": (V, {}),
            "hardinxveld-giessendam": (V, {}),
            "papendrecht": (V, {}),
        },
        [
            ("wartsila", {"amount": D("100000"), "knowledge": "Testfaciliteiten"}),
            ("krohne", {"amount": D("50000")}),
        ],
    ),
    (
        "Maakfabriek",
        "werken-en-economie",
        "duurzaamheidsfabriek",
        ProjectStatus.PROPOSAL,
        D("350000"),
        D("50000"),
        D("150000"),
        SharingKey.EQUAL,
        [("provincie", D("150000"))],
        {},
        [],
    ),
    # Seed 003: "Digital mainport Drechtsteden: Een belangrijk programma binnen de innovatie
    # roadmaps", so with the roadmaps under Werken en economie, not under Bereikbaarheid.
    (
        "Digital mainport",
        "werken-en-economie",
        "dordrecht",
        ProjectStatus.IDEA,
        D("250000"),
        D("50000"),
        D("200000"),
        SharingKey.INHABITANTS,
        [],
        {"dordrecht": (V, {}), "zwijndrecht": (V, {})},
        [],
    ),
    (
        "SCALE: energietransitie in de gebouwde omgeving",
        "energietransitie",
        "tu-delft",
        ProjectStatus.RUNNING,
        D("2000000"),
        D("100000"),
        D("300000"),
        SharingKey.INHABITANTS,
        [("rijk", D("1600000"))],
        {
            "dordrecht": (V, {}),
            "zwijndrecht": (V, {}),
            "papendrecht": (V, {}),
            "sliedrecht": (S, {"amount": D("10000")}),
            "hendrik-ido-ambacht": (V, {}),
            "alblasserdam": (E, {"entry_date": datetime.date(2024, 7, 1), "amount": D("15000")}),
        },
        [("innovation-quarter", {"knowledge": "Kennis van innovatiefinanciering"})],
    ),
    (
        "Kansen- en initiatievenkaart energiesysteem",
        "energietransitie",
        "smart-delta-drechtsteden",
        ProjectStatus.PROPOSAL,
        D("120000"),
        D("60000"),
        D("60000"),
        SharingKey.EQUAL,
        [],
        {"dordrecht": (V, {}), "sliedrecht": (V, {})},
        [],
    ),
    (
        "Regionale woningbouwversnelling",
        "wonen-en-volkshuisvesting",
        "zwijndrecht",
        ProjectStatus.CONTRACTING,
        D("300000"),
        D("150000"),
        D("150000"),
        SharingKey.INHABITANTS,
        [("provincie", D("0"))],
        {
            "zwijndrecht": (V, {}),
            "dordrecht": (V, {}),
            "hendrik-ido-ambacht": (V, {}),
            "papendrecht": (N, {}),
        },
        [],
    ),
    (
        "Bouwtafel circulair bouwen",
        "bouwen-en-ruimtelijke-ontwikkeling",
        "papendrecht",
        ProjectStatus.IDEA,
        D("150000"),
        D("75000"),
        D("75000"),
        SharingKey.EQUAL,
        [],
        {},
        [("deltalinqs", {"knowledge": "Netwerk bouwbedrijven"})],
    ),
]


# Most coalitions are final: every one of the seven confirmed. A few are still open (only
# Dordrecht and Zwijndrecht confirmed, the others submitted): their cost binds no one yet and
# shows as prognose. One was closed by the project's decision with those who confirmed.
OPEN_COALITIONS = {
    "Innovatie Roadmaps maritieme maakindustrie",
    "Digital mainport",
    "Bouwtafel circulair bouwen",
}
CLOSED_BY_DECISION = {
    "Kansen- en initiatievenkaart energiesysteem": (
        datetime.date(2024, 3, 12),
        "Besluit bestuurlijke tafel Energietransitie 2024/03",
        {"hardinxveld-giessendam"},  # submitted, not confirmed: outside the closed coalition
    )
}


# How sure each project's outside money is, as the seeds tell it ((project, source) -> status;
# every amount not named here is hoped). The multiplier counts only committed and received money.
# - Regio Deal: seed 001 "In 2020 hebben we met de Regio Deal Drechtsteden-Gorinchem een
#   rijkssubsidie van €22,5 miljoen binnengehaald"; seed 003 evaluates these projects at the
#   Regio Deal's end ("Zonder Regio Deal geen I_lab gestart"): received. Kansrijk started late
#   ("staat nog in de startblokken", seed 003) and is still contracting: committed, not yet paid.
# - Private money of the roadmaps: the Regio Deal was "middels co-financiering verdubbeld"
#   (seed 001): committed.
# - SCALE: "het toegekende PPS SCALE project ... vanuit het Nationaal Groeifonds" (seed 001):
#   committed.
# - The Maakfabriek's provincial money is hoped: the project is a proposal and the seeds name no
#   grant ("Nog niet bereikt wat gewild", seed 003); so is the woningbouwversnelling's € 0.
R, C = FundingStatus.RECEIVED, FundingStatus.COMMITTED
FUNDING_STATUS = {
    ("MBO-aanpak", "regio_deal"): R,
    ("I_lab", "regio_deal"): R,
    ("Kansrijk", "regio_deal"): C,
    ("Dordrecht Academy", "regio_deal"): R,
    ("Perspct", "regio_deal"): R,
    ("Innovatie Roadmaps maritieme maakindustrie", "regio_deal"): R,
    ("Innovatie Roadmaps maritieme maakindustrie", "privaat"): C,
    ("SCALE: energietransitie in de gebouwde omgeving", "rijk"): C,
}


def _confirmed(name: str, slug: str) -> bool:
    if name in OPEN_COALITIONS:
        return slug in ("dordrecht", "zwijndrecht")
    if name in CLOSED_BY_DECISION:
        return slug not in CLOSED_BY_DECISION[name][2]
    return True


def load() -> dict[str, int]:
    themes = 0
    for order, (name, slug) in enumerate(THEMES, start=1):
        _, created = Theme.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})
        themes += created
    orgs = {o.slug: o for o in Organisation.objects.all()}
    # Who submitted each position: the organisation's official, where the demo has one (the
    # second official confirms, four-eyes).
    submitters = {
        u.organisation.slug: u
        for u in User.objects.filter(username__startswith="ambtenaar-").select_related(
            "organisation"
        )
    }
    projects = 0
    for (
        name,
        theme,
        lead,
        status,
        total,
        base,
        part,
        key,
        external,
        positions,
        partners,
    ) in PROJECTS:
        if Project.objects.filter(name=name).exists():
            continue
        project = Project.objects.create(
            name=name,
            theme=Theme.objects.get(slug=theme),
            lead=orgs[lead],
            status=status,
            description=f"{name}: project uit de stukken van Smart Delta Drechtsteden (demo; bedragen en posities zijn illustratief).",
            goal="Zie het uitvoeringsprogramma 2024 en de evaluatie van de Regio Deal.",
            start_date=datetime.date(2023, 1, 1),
            end_date=datetime.date(2026, 12, 31),
            total_cost=total,
            base_funding=base,
            participant_funding=part,
            sharing_key=key,
            coalition_closed_on=CLOSED_BY_DECISION.get(name, (None,))[0],
            coalition_reference=CLOSED_BY_DECISION.get(name, (None, ""))[1],
        )
        for source, amount in external:
            ExternalFunding.objects.create(
                project=project,
                source=source,
                amount=amount,
                status=FUNDING_STATUS.get((name, source), FundingStatus.HOPED),
            )
        stated = [(slug, variant, fields) for slug, (variant, fields) in positions.items()]
        stated += [(slug, Variant.FULL, fields) for slug, fields in partners]
        for slug, variant, fields in stated:
            confirmed = _confirmed(name, slug)
            position = Position(
                project=project,
                organisation=orgs[slug],
                variant=variant,
                status=PositionStatus.CONFIRMED if confirmed else PositionStatus.SUBMITTED,
                decision_reference=f"Collegebesluit 2024/{project.pk:03d}" if confirmed else "",
                decision_date=datetime.date(2024, 2, 13) if confirmed else None,
                submitted_by=submitters.get(slug),
                **fields,
            )
            if confirmed:
                put_in_force(position)
            position.save()
        ProgressUpdate.objects.create(
            project=project,
            date=datetime.date(2024, 10, 1),
            light=TrafficLight.RISK if status == ProjectStatus.STOPPED else TrafficLight.ON_TRACK,
            text="Stand van zaken najaar 2024 (demo).",
        )
        Milestone.objects.create(
            project=project,
            title="Projectplan vastgesteld",
            due_date=datetime.date(2024, 3, 1),
            done_on=datetime.date(2024, 3, 15),
        )
        Milestone.objects.create(
            project=project, title="Tussenevaluatie", due_date=datetime.date(2025, 6, 30)
        )
        projects += 1
    return {"thema's": themes, "projecten": projects}
