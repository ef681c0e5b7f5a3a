"""Updating the standard process of a table: the only writer of `ProcessStep`."""

from django.db import transaction

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.models import User
from smartdelta.versioning import lock, stamp

from .models import BoardTable, ProcessStep, Step


@transaction.atomic
def update_step(
    user: User, step: ProcessStep, state: str, note: str, seen_version: int | None
) -> ProcessStep:
    """Save the step's state and note, unless someone changed it since the user loaded it."""
    if not permissions.can_manage_tables(user):
        raise DomainError("Alleen het programmabureau werkt het proces van een tafel bij.")
    current = lock(ProcessStep.objects, step.pk, seen_version, "Deze stap")
    current.state = state
    current.note = note
    stamp(current, user)
    current.save()
    return current


@transaction.atomic
def open_cycle(user: User, table: BoardTable, year: int) -> list[ProcessStep]:
    """Start the cycle of `year` for `table`: its eight standard steps, not yet started.

    A year that the table has already is refused (one cycle per table and year, also a
    database constraint on its steps). The table's row is locked, so two presses at once make
    one cycle.
    """
    if not permissions.can_manage_tables(user):
        raise DomainError("Alleen het programmabureau start een nieuwe cyclus van een tafel.")
    if year is None or not 2000 <= year <= 2100:
        raise DomainError("Kies een jaar van 2000 tot en met 2100.")
    BoardTable.objects.select_for_update().filter(pk=table.pk).first()
    if ProcessStep.objects.filter(table=table, cycle=year).exists():
        raise DomainError(f"{table} heeft al een cyclus {year}.")
    steps = []
    for number in Step.values:
        step = ProcessStep(table=table, cycle=year, step=number)
        stamp(step, user)
        step.save()
        steps.append(step)
    return steps


def next_cycle_year(table: BoardTable, today_year: int) -> int:
    """The year a new cycle would most likely be: the one after the latest, or this year."""
    latest = table.process_steps.order_by("-cycle").values_list("cycle", flat=True).first()
    return max(latest + 1, today_year) if latest else today_year
