"""Updating the standard process of a table: the only writer of `ProcessStep`."""

from django.db import transaction

from smartdelta.errors import ConflictError

from .models import ProcessStep


@transaction.atomic
def update_step(step: ProcessStep, state: str, note: str, was_state: str, was_note: str):
    """Save the step's state and note, unless someone changed it since the user loaded it."""
    current = ProcessStep.objects.select_for_update().get(pk=step.pk)
    if (current.state, current.note) != (was_state, was_note):
        raise ConflictError(
            f"Deze stap is intussen gewijzigd (nu: {current.get_state_display().lower()}). "
            "Controleer de huidige stand en sla zo nodig opnieuw op.",
            current=current,
        )
    current.state = state
    current.note = note
    current.save()
    return current
