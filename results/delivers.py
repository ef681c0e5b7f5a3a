"""What the collaboration delivers for one municipality: the opening of its council report and
letter, "Wat het oplevert", before the money (issue 27, "Where councils read it").

Seed 004 names the risk: "Het risico is dat het gesprek vooral gaat over de begroting of kosten
en niet over waar de samenwerking inhoudelijk aan bijdraagt". So a council first reads the
themes' targets with their latest measurement and its own part in it, the results of the
projects it takes part in, and (seed 001, "Lokale uitvoering van regionale ambities") what it
does itself: "kunt u in uw raad het gesprek voeren over de wijze waarop uw gemeente bijdraagt
aan regionale ambities en hoe regionale uitvoering landt in uw gemeente."

Read in five queries whatever the number of projects, indicators or measurements: the projects
(with their latest progress), the indicators, their targets, their measurements (with the
municipality's part), and the published agenda. Finance calls this; this app does not import
finance.
"""

import datetime

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from portfolio.models import Position, ProgressUpdate, TrafficLight, Variant
from smartdelta.models import Organisation

from .agenda import published_for
from .models import AgendaStatus, Indicator, Measurement, MeasurementPart
from .summary import result_row, with_latest

# Taking part: a confirmed position in force other than "geen deelname" (a concept or submitted
# change waits; the position in force counts until it is confirmed, as in the money).
TAKING_PART = [Variant.FULL, Variant.SOLIDARITY, Variant.ENTRY]
# The report and the letter name this many projects, those with results first; the rest is one
# line with a link to the project list (a municipality may take part in hundreds).
PROJECTS_SHOWN = 12
# Of each status of the municipality's own agenda, this many items by name.
AGENDA_SHOWN = 5


def what_it_delivers(
    organisation: Organisation, year: int, projects_shown: int = PROJECTS_SHOWN
) -> dict:
    """The themes' indicators, the projects `organisation` takes part in with their results,
    and its published agenda grouped by status, for its report and letter of `year`.

    Each indicator row has the latest measurement, how it moved since the one before, the
    municipality's part of it where the figure is made of parts, the target of the period
    `year` falls in, and whether it is behind schedule (`results.summary`). Concept agenda
    items are never read here: the letter goes to the council, whoever asks for it.
    """
    today = timezone.localdate()
    projects, total = _projects(organisation, projects_shown)
    project_ids = [c.project_id for c in projects]
    own_part = MeasurementPart.objects.filter(
        measurement=OuterRef("pk"), organisation=organisation
    ).values("value")[:1]
    indicators = with_latest(
        Indicator.objects.filter(Q(theme__isnull=False) | Q(project_id__in=project_ids)),
        Measurement.objects.annotate(own_part=Subquery(own_part)),
    ).order_by("name", "pk")
    target_from = datetime.date(year, 1, 1)
    rows = [result_row(indicator, today, target_from) for indicator in indicators]

    themes: dict[int, dict] = {}
    for row in rows:
        theme = row["indicator"].theme
        if theme is not None:
            themes.setdefault(theme.pk, {"theme": theme, "rows": []})["rows"].append(row)
    by_project: dict[int, list[dict]] = {}
    for row in rows:
        if row["indicator"].project_id:
            by_project.setdefault(row["indicator"].project_id, []).append(row)

    for block in themes.values():
        block["measured"] = any(row["latest"] for row in block["rows"])
    listed = [
        {
            "project": c.project,
            "position": Variant(c.in_force_variant).label,
            "rows": by_project.get(c.project_id, []),
            "update": _update(c),
        }
        for c in projects
    ]
    agenda, agenda_count = _agenda(organisation)
    return {
        "themes": sorted(themes.values(), key=lambda t: (t["theme"].order, t["theme"].name)),
        "projects": listed,
        # The letter names the projects without indicators in one sentence.
        "with_results": [p for p in listed if p["rows"]],
        "without_results": [p for p in listed if not p["rows"]],
        "projects_total": total,
        "projects_more": total - len(projects),
        "agenda": agenda,
        "agenda_count": agenda_count,
    }


def _agenda(organisation: Organisation) -> tuple[list[dict], int]:
    """The published agenda by status: how many items each status has and the first
    AGENDA_SHOWN of them (the rest are on the agenda's own page), and the number in all. One
    query, the same size however long the agenda is: the letter stays within its pages."""
    by_status = {"partition_by": F("status")}
    order = [F("theme__order").asc(), F("start_date").asc(), F("pk").asc()]
    first = list(
        published_for(organisation)
        .annotate(
            rank=Window(RowNumber(), order_by=order, **by_status),
            of_status=Window(Count("pk"), **by_status),
        )
        .filter(rank__lte=AGENDA_SHOWN)
    )
    groups = []
    for status in AgendaStatus:
        items = [i for i in first if i.status == status.value]
        if items:
            count = items[0].of_status
            groups.append(
                {"status": status, "items": items, "count": count, "more": count - len(items)}
            )
    return groups, sum(group["count"] for group in groups)


def _projects(organisation: Organisation, shown: int) -> tuple[list[Position], int]:
    """The first `shown` positions by which `organisation` takes part in a project, those
    whose projects have indicators first, then by theme and name, each with the project's
    latest progress update; and how many there are in all.

    Two queries that stay small whatever the number of positions: those on projects with
    indicators (a handful), then the others in the order of the index on (organisation,
    project) up to `shown`, with the count of all (read from the index on the position in
    force, once per query)."""
    latest = ProgressUpdate.objects.filter(project=OuterRef("project")).order_by("-date", "-pk")
    taking_part = Position.objects.filter(
        organisation=organisation, in_force_variant__in=TAKING_PART
    )
    # COUNT(1) without GROUP BY: PostgreSQL counts the index alone.
    count_all = Func(Value(1), function="COUNT", output_field=IntegerField())
    total = taking_part.order_by().annotate(n=count_all).values("n")
    measured = Indicator.objects.filter(project__isnull=False).values("project")

    def first(positions, limit):
        return list(
            positions.select_related("project__theme")
            .annotate(
                update_date=Subquery(latest.values("date")[:1]),
                update_light=Subquery(latest.values("light")[:1]),
                update_text=Subquery(latest.values("text")[:1]),
                total=Subquery(total),
            )
            .order_by("project_id")[:limit]
        )

    with_results = first(taking_part.filter(project__in=measured), shown)
    others = first(taking_part.exclude(project__in=measured), shown - len(with_results))
    found = with_results + others
    count = found[0].total if found else 0

    def order(c):
        return (c in others, c.project.theme.order, c.project.name, c.project_id)

    return sorted(found, key=order), count


def _update(position: Position) -> dict | None:
    if position.update_date is None:
        return None
    return {
        "date": position.update_date,
        "light": position.update_light,
        "label": TrafficLight(position.update_light).label,
        "text": position.update_text,
    }
