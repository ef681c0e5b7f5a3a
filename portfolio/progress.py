"""Progress of a project, kept by those who carry it: the only writers of `ProgressUpdate` and
`Milestone`, and of a project's execution phase.

Seed 004 (advice 1): individual projects are decided inside the project, "Met gecommitteerde
partijen"; the choice "ligt echt bij de partijen die zich aan een specifiek project verbinden".
So the officials of the lead organisation and of full participants post progress, keep the
milestones and move the project through its execution phases (`permissions.can_post_progress`).
The programme office keeps the register itself (`portfolio.projects`): whether a project is an
idea, a proposal or stopped decides whether it counts in the seven's budget, so that stays
with the office.

Each function follows `smartdelta.versioning`: the acting user first, one transaction, the
permission re-checked here, the version checked for rows that change, the user stamped.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.models import User
from smartdelta.versioning import lock, stamp

from .models import Milestone, ProgressUpdate, Project, ProjectStatus

# The execution phases a carrier moves a project through. All three count in the budget alike
# (ProjectStatus.counted), so a carrier's step never changes what the seven pay.
PHASES = [ProjectStatus.CONTRACTING, ProjectStatus.RUNNING, ProjectStatus.COMPLETED]
REFUSED = (
    "Alleen het programmabureau en de ambtenaren van de trekker en van volledige deelnemers "
    "houden de voortgang van dit project bij."
)


def _check(user: User, project: Project) -> None:
    if not permissions.can_post_progress(user, project):
        raise DomainError(REFUSED)


def _validate(instance) -> None:
    try:
        instance.full_clean(exclude=["project", "author", "updated_by"])
    except ValidationError as error:
        raise DomainError(" ".join(m for ms in error.message_dict.values() for m in ms)) from error


@transaction.atomic
def post_progress(
    user: User, project: Project, date: datetime.date, light: str, text: str
) -> ProgressUpdate:
    """A new progress update with its traffic light. Updates are a log: never changed after."""
    _check(user, project)
    update = ProgressUpdate(project=project, date=date, light=light, text=text, author=user)
    _validate(update)
    stamp(update, user)
    update.save()
    return update


@transaction.atomic
def add_milestone(
    user: User,
    project: Project,
    title: str,
    due_date: datetime.date,
    done_on: datetime.date | None = None,
) -> Milestone:
    _check(user, project)
    milestone = Milestone(project=project, title=title, due_date=due_date, done_on=done_on)
    _validate(milestone)
    stamp(milestone, user)
    milestone.save()
    return milestone


@transaction.atomic
def update_milestone(
    user: User,
    milestone: Milestone,
    title: str,
    due_date: datetime.date,
    done_on: datetime.date | None,
    seen_version: int | None,
) -> Milestone:
    """Change a milestone's title and dates (`done_on` set: reached on that day)."""
    _check(user, milestone.project)
    current = lock(Milestone.objects, milestone.pk, seen_version, "Deze mijlpaal")
    current.title, current.due_date, current.done_on = title, due_date, done_on
    _validate(current)
    stamp(current, user)
    current.save()
    return current


def mark_milestone_reached(
    user: User, milestone: Milestone, done_on: datetime.date, seen_version: int | None
) -> Milestone:
    """Record that a milestone was reached on `done_on`."""
    return update_milestone(
        user, milestone, milestone.title, milestone.due_date, done_on, seen_version
    )


def phase_choices(project: Project) -> list[tuple[str, str]]:
    """The phases a carrier may set: only once the project is in execution (the office moves it
    there from idea or proposal); a stopped project stays stopped."""
    if project.status not in PHASES:
        return []
    return [(phase.value, phase.label) for phase in PHASES]


@transaction.atomic
def set_phase(user: User, project: Project, phase: str, seen_version: int | None) -> Project:
    """Move the project to another execution phase (in contractering, lopend, afgerond)."""
    _check(user, project)
    current = lock(Project.objects, project.pk, seen_version, "Dit project")
    allowed = dict(phase_choices(current))
    if not allowed:
        raise DomainError(
            f"Dit project is ‘{current.get_status_display().lower()}’: alleen het "
            "programmabureau wijzigt die status."
        )
    if phase not in allowed:
        raise DomainError("Kies een fase: in contractering, lopend of afgerond.")
    current.status = phase
    stamp(current, user)
    current.save()
    return current
