"""Where every table stands in the eight-step cycle, across tables (issue 27, "Where councils
read it": "One page for the regiekamers and the programme office shows every table's place in
the eight-step cycle and its indicators off track, across tables").

Seed 004 (advice 3) makes the ambtelijke regiekamer "systeemverantwoordelijk en opdrachtgever
voor de inrichting, structurele monitoring en doorontwikkeling van de samenwerking", and gives the
bestuurlijke regiekamer the "thema overstijgende knelpunten". So the page is theirs and the
programme office's (`permissions.sees_all_escalations`); others get 403.

Read in a constant number of queries whatever the number of tables, steps or indicators: the
tables, their steps, the indicators with their targets and measurements.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from results.models import Indicator
from results.summary import summarise, with_latest
from smartdelta import permissions

from .models import BoardTable, ProcessState, ProcessStep, Step


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
    today = timezone.localdate()
    tables = list(BoardTable.objects.select_related("theme").order_by("theme__order", "pk"))
    steps: dict[int, list[ProcessStep]] = {}
    for step in ProcessStep.objects.filter(table__in=tables).order_by("table", "-cycle", "step"):
        own = steps.setdefault(step.table_id, [])
        # Only the latest cycle of each table.
        if not own or own[0].cycle == step.cycle:
            own.append(step)
    behind: dict[int, list] = {}
    for indicator in with_latest(Indicator.objects.all()).order_by("name", "pk"):
        summary = summarise(indicator, today)
        if summary.behind:
            theme_id = indicator.theme_id or indicator.project.theme_id
            behind.setdefault(theme_id, []).append(summary)
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
            }
        )
    return render(
        request,
        "tables/cycle_overview.html",
        {
            "rows": rows,
            "steps": Step.choices,
            "stuck_tables": sum(1 for r in rows if r["stuck"]),
            "behind_count": sum(len(r["behind"]) for r in rows),
        },
    )
