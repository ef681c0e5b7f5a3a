"""The collaboration's own milestones: the only writer of `CollaborationMilestone`.

Seed 002 gives the dates that matter to the seven beside their projects: the colleges asked
"deze aanbevelingen aan de hand van een transitieplan ieder zo snel als mogelijk, maar
uiterlijk op 1 juli 2025 te implementeren", and "In dit kader zal ook de huidige
samenwerkingsovereenkomst tegen het licht worden gehouden". Each milestone has an owner and a
stand, and the regiekamers see which ones are late.

Each function follows `smartdelta.versioning`: the acting user first, one transaction, the
permission re-checked here, the version the user saw checked, the user stamped.
"""

import datetime

from django.db import transaction

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.fields import normalise_text
from smartdelta.models import Organisation, User
from smartdelta.validators import DATE_RANGE_MESSAGE, REASON_MAX, is_plausible_date
from smartdelta.versioning import lock, stamp

from .models import CollaborationMilestone, MilestoneStatus

REFUSED = "Alleen het programmabureau houdt de mijlpalen van de samenwerking bij."


def _clean(title: str, due_date, owner, status: str, note: str) -> dict:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError("Geef de mijlpaal een naam.")
    if len(title) > 200:
        raise DomainError("De naam is te lang: hooguit 200 tekens.")
    if not is_plausible_date(due_date):
        raise DomainError(DATE_RANGE_MESSAGE)
    if owner is None:
        raise DomainError("Kies de organisatie die de mijlpaal trekt.")
    if status not in MilestoneStatus.values:
        raise DomainError("Kies een bestaande stand.")
    note = normalise_text(note or "")
    if len(note) > REASON_MAX:
        raise DomainError("De toelichting is te lang: hooguit 2.000 tekens.")
    return {"title": title, "due_date": due_date, "owner": owner, "status": status, "note": note}


def add_milestone(
    user: User,
    *,
    title: str,
    due_date: datetime.date,
    owner: Organisation,
    status: str = MilestoneStatus.PLANNED,
    note: str = "",
    is_demo: bool = False,
) -> CollaborationMilestone:
    if not permissions.can_keep_collaboration_milestones(user):
        raise DomainError(REFUSED)
    fields = _clean(title, due_date, owner, status, note)
    with transaction.atomic():
        milestone = CollaborationMilestone(**fields, is_demo=is_demo)
        stamp(milestone, user)
        milestone.save()
    return milestone


def update_milestone(
    user: User,
    milestone: CollaborationMilestone,
    *,
    title: str,
    due_date: datetime.date,
    owner: Organisation,
    status: str,
    note: str,
    seen_version: int | None,
) -> CollaborationMilestone:
    if not permissions.can_keep_collaboration_milestones(user):
        raise DomainError(REFUSED)
    fields = _clean(title, due_date, owner, status, note)
    with transaction.atomic():
        current = lock(CollaborationMilestone.objects, milestone.pk, seen_version, "Deze mijlpaal")
        for name, value in fields.items():
            setattr(current, name, value)
        stamp(current, user)
        current.save()
    return current
