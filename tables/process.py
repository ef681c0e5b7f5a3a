"""Updating the standard process of a table: the only writer of `ProcessStep`."""

from django.db import transaction

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.models import User
from smartdelta.versioning import lock, stamp

from .models import ProcessStep


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
