"""Creating and changing projects: the only writers of `Project` (the admin and the demo aside).

Both follow `smartdelta.versioning`: the acting user first, the project, the version the user
saw; one transaction; the permission re-checked here; the user stamped on the row and its history.
"""

from django.db import transaction

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.models import User
from smartdelta.versioning import lock, stamp

from .models import Project

# What a person edits on a project; the rest (version, who and when) the portal keeps.
PROJECT_FIELDS = [
    "name",
    "theme",
    "lead",
    "status",
    "description",
    "goal",
    "start_date",
    "end_date",
    "total_cost",
    "base_funding",
    "participant_funding",
    "sharing_key",
]
REFUSED = "Alleen het programmabureau maakt en wijzigt projecten."


@transaction.atomic
def create_project(user: User, fields: dict) -> Project:
    """A new project with `fields` (names from PROJECT_FIELDS)."""
    if not permissions.can_manage_projects(user):
        raise DomainError(REFUSED)
    project = Project(**{name: fields[name] for name in PROJECT_FIELDS if name in fields})
    stamp(project, user)
    project.save()
    return project


@transaction.atomic
def update_project(user: User, project: Project, fields: dict, seen_version: int | None) -> Project:
    """Change `fields` of `project`, unless someone changed it since the user loaded it."""
    if not permissions.can_manage_projects(user):
        raise DomainError(REFUSED)
    current = lock(Project.objects, project.pk, seen_version, "Dit project")
    for name in PROJECT_FIELDS:
        if name in fields:
            setattr(current, name, fields[name])
    stamp(current, user)
    current.save()
    return current


@transaction.atomic
def close_coalition(
    user: User, project: Project, closed_on, reference: str, seen_version: int | None
) -> Project:
    """Record the project's decision that closes its coalition with those who confirmed: from
    then on its cost binds them (README "How the money is divided"), even where not all seven
    decided. Seed 004 (advice 1): projects are "Met gecommitteerde partijen"."""
    if not permissions.can_manage_projects(user):
        raise DomainError("Alleen het programmabureau legt het besluit over de coalitie vast.")
    reference = (reference or "").strip()
    if closed_on is None or not reference:
        raise DomainError("Vul de datum en het kenmerk van het besluit in.")
    current = lock(Project.objects, project.pk, seen_version, "Dit project")
    if current.coalition_closed_on is not None:
        raise DomainError("De coalitie van dit project is al gesloten.")
    current.coalition_closed_on = closed_on
    current.coalition_reference = reference[:100]
    stamp(current, user)
    current.save()
    return current
