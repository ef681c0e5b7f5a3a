"""Where every table stands in the eight-step cycle, across tables (issue 27, "Where councils
read it": "One page for the regiekamers and the programme office shows every table's place in
the eight-step cycle and its indicators off track, across tables").

Seed 004 (advice 3) makes the ambtelijke regiekamer "systeemverantwoordelijk en opdrachtgever
voor de inrichting, structurele monitoring en doorontwikkeling van de samenwerking", and gives the
bestuurlijke regiekamer the "thema overstijgende knelpunten". So the page is theirs and the
programme office's (`permissions.sees_all_escalations`); others get 403.

Read in a constant number of queries whatever the number of tables, steps or indicators: the
tables, their steps, the first indicators behind of each theme with their number (their kept
state, which names the theme its table follows), and those with their latest measurement.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber
from django.shortcuts import render
from django.views.decorators.http import require_GET

from results.models import Indicator, IndicatorState, Measurement
from smartdelta import permissions

from .models import BoardTable, ProcessState, ProcessStep, Step

# Indicators behind schedule named per table; the rest are counted, with a link to the theme.
BEHIND_SHOWN = 5


def _current_step(steps: list[ProcessStep]) -> ProcessStep | None:
    """The step a table is at: the first stuck one, else the first not yet done."""
    stuck = [s for s in steps if s.state == ProcessState.STUCK]
    if stuck:
        return stuck[0]
    return next((s for s in steps if s.state != ProcessState.DONE), None)


@require_GET
def cycle_overview(request):
    if not permissions.sees_all_escalations(request.user):
        raise PermissionDenied
    tables = list(BoardTable.objects.select_related("theme").order_by("theme__order", "pk"))
    steps: dict[int, list[ProcessStep]] = {}
    for step in ProcessStep.objects.filter(table__in=tables).order_by("table", "-cycle", "step"):
        own = steps.setdefault(step.table_id, [])
        # Only the latest cycle of each table.
        if not own or own[0].cycle == step.cycle:
            own.append(step)
    # Which indicators are behind, per theme: the first BEHIND_SHOWN of each theme by name with
    # how many the theme has, from the kept state and its theme (one query on their index,
    # however many indicators there are) ...
    by_theme = {"partition_by": F("theme_id")}
    first = (
        IndicatorState.objects.filter(behind=True)
        .annotate(
            rank=Window(RowNumber(), order_by=[F("indicator__name"), F("pk")], **by_theme),
            of_theme=Window(Count("pk"), **by_theme),
        )
        .filter(rank__lte=BEHIND_SHOWN)
        .values_list("pk", "theme_id", "of_theme")
    )
    behind_count: dict[int, int] = {}
    shown: dict[int, list[int]] = {}
    for pk, theme_id, count in first:
        behind_count[theme_id] = count
        shown.setdefault(theme_id, []).append(pk)
    # ... and what the page names of those: the indicator, its project and its latest
    # measurement, as plain values in one query.
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-date", "-pk")
    named = {
        row["pk"]: row
        for row in Indicator.objects.filter(pk__in=[pk for ids in shown.values() for pk in ids])
        .annotate(
            value=Subquery(latest.values("value")[:1]),
            measured_on=Subquery(latest.values("date")[:1]),
        )
        .values("pk", "name", "unit", "project__name", "value", "measured_on")
    }
    behind = {
        theme_id: sorted((named[pk] for pk in ids), key=lambda row: (row["name"], row["pk"]))
        for theme_id, ids in shown.items()
    }
    rows = []
    for table in tables:
        own = steps.get(table.pk, [])
        by_number = {s.step: s for s in own}
        rows.append(
            {
                "table": table,
                "cycle": own[0].cycle if own else None,
                "current": _current_step(own),
                "cells": [(number, label, by_number.get(number)) for number, label in Step.choices],
                "done": sum(1 for s in own if s.state == ProcessState.DONE),
                "stuck": sum(1 for s in own if s.state == ProcessState.STUCK),
                "behind": behind.get(table.theme_id, []),
                "behind_count": behind_count.get(table.theme_id, 0),
            }
        )
    return render(
        request,
        "tables/cycle_overview.html",
        {
            "rows": rows,
            "steps": Step.choices,
            "stuck_tables": sum(1 for r in rows if r["stuck"]),
            "behind_count": sum(behind_count.values()),
        },
    )
