"""The writes of council procedures: start one, record a council's part.

Each is a verb-named function taking the acting user first; it runs in one transaction,
checks the permission (smartdelta.permissions) and, for a change, the version the user saw
(smartdelta.versioning), so two people never overwrite each other and the history names who
did it.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from portfolio.models import Project, Theme
from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.models import Organisation
from smartdelta.versioning import lock, stamp

from .models import OUTCOME_NEEDS_KIND, CouncilProcedure, CouncilStep, Outcome, ProcedureKind


def outcome_error(kind: str, outcome: str) -> str | None:
    """Why `outcome` does not fit a procedure of `kind`, or None when it does."""
    needed = OUTCOME_NEEDS_KIND.get(outcome)
    if needed is not None and needed != kind:
        return (
            f"De uitkomst ‘{Outcome(outcome).label}’ past alleen bij de procedure "
            f"‘{ProcedureKind(needed).label}’."
        )
    return None


def subject_error(theme: Theme | None, project: Project | None) -> str | None:
    """Why a procedure cannot be about both `theme` and `project`, or None when it can."""
    if theme is not None and project is not None and project.theme_id != theme.pk:
        return f"Het project {project} hoort niet bij het thema {theme}."
    return None


@transaction.atomic
def start_procedure(
    user,
    *,
    title: str,
    description: str,
    deadline: datetime.date,
    default_kind: str,
    theme: Theme | None = None,
    project: Project | None = None,
) -> CouncilProcedure:
    """Start a procedure, with one open row per core municipality in the default procedure.

    `theme` and `project` say what the proposal is about (both optional); a project must be
    one of the theme's when both are given."""
    if not permissions.can_start_council_procedure(user):
        raise DomainError("U mag geen raadsprocedure starten.")
    if error := subject_error(theme, project):
        raise DomainError(error)
    procedure = CouncilProcedure(
        title=title,
        description=description,
        deadline=deadline,
        default_kind=default_kind,
        theme=theme,
        project=project,
    )
    stamp(procedure, user)
    procedure.save()
    for municipality in Organisation.objects.core():
        step = CouncilStep(procedure=procedure, municipality=municipality, kind=default_kind)
        stamp(step, user)
        step.save()
    return procedure


@transaction.atomic
def record_council_step(
    user,
    step: CouncilStep,
    seen_version: int | None,
    *,
    kind: str,
    council_date: datetime.date | None,
    outcome: str,
    document_reference: str,
    document_url: str,
) -> CouncilStep:
    """Record one council's procedure, meeting date, outcome and document.

    Raises ConflictError when someone changed the row since `seen_version`, and DomainError
    when the outcome does not fit the procedure.
    """
    if not permissions.can_edit_council_step(user, step):
        raise DomainError(f"U mag de rij van {step.municipality} niet wijzigen.")
    current = lock(
        CouncilStep.objects.select_related("municipality", "updated_by"),
        step.pk,
        seen_version,
        f"De rij van {step.municipality}",
    )
    if error := outcome_error(kind, outcome):
        raise DomainError(error)
    current.kind = kind
    current.council_date = council_date
    current.outcome = outcome
    current.document_reference = document_reference
    current.document_url = document_url
    stamp(current, user)
    current.save()
    return current
