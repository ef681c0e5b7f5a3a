"""What waits on each organisation's positions, kept in `PositionCount` rows (issue 31).

The overview of what waits on a municipality and the seven side by side read how many active
projects lack its position and how many of its positions are concept or submitted. Counting
them per request read every open position of the seven (64,000 at ten times today's data, about
40 ms); these rows keep the three numbers instead.

Correct by construction, like the figures (`finance.shares`): every save or delete of a
position, a project or an organisation counts again, from the rows as they are, in the same
transaction. The count follows a lock on the organisation's row here, so two writers of one
organisation count one after the other and the second one sees the first one's commit (in
PostgreSQL's READ COMMITTED each statement reads what was committed before it began). A
position's save locks its project first, as the figures do, so a project's save (which holds
its project and then counts for all seven) never waits in the opposite order.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, OuterRef
from django.db.models.signals import post_delete, post_save

from smartdelta.expressions import count_of
from smartdelta.models import Organisation

from .models import AWAITING_CONFIRMATION, Position, PositionCount, PositionStatus, Project
from .queries import without_position


def from_scratch(organisation_ids) -> dict[int, tuple[int, int, int]]:
    """Per organisation id: (active projects without its position, concept, submitted), counted
    from the positions themselves. Two queries."""
    ids = list(organisation_ids)
    result = {pk: [0, 0, 0] for pk in ids}
    missing = (
        Organisation.objects.filter(pk__in=ids)
        .order_by()
        .annotate(n=count_of(without_position(OuterRef("pk"))))
        .values_list("pk", "n")
    )
    for pk, n in missing:
        result[pk][0] = n
    awaiting = (
        Position.objects.filter(organisation_id__in=ids, status__in=AWAITING_CONFIRMATION)
        .order_by()
        .values_list("organisation_id", "status")
        .annotate(n=Count("pk"))
    )
    for pk, status, n in awaiting:
        result[pk][1 if status == PositionStatus.CONCEPT else 2] = n
    return {pk: tuple(values) for pk, values in result.items()}


def recount(organisation_ids) -> None:
    """Count again for `organisation_ids`, under their rows' locks (taken in id order)."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return
    with transaction.atomic():
        PositionCount.objects.bulk_create(
            [PositionCount(organisation_id=pk) for pk in ids], ignore_conflicts=True
        )
        list(PositionCount.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        counted = from_scratch(ids)
        for pk in ids:
            if pk not in counted:  # the organisation is being deleted
                continue
            without, concept, submitted = counted[pk]
            PositionCount.objects.filter(pk=pk).update(
                without_position=without, concept=concept, submitted=submitted
            )


def recount_all() -> None:
    """Every organisation once (after a bulk load that passed the saves)."""
    recount(Organisation.objects.values_list("pk", flat=True))


def kept(organisation_ids) -> dict[int, tuple[int, int, int]]:
    """Per organisation id: (without position, concept, submitted) as kept. One query; an
    organisation without a row yet (made past its save) is counted from scratch."""
    ids = list(organisation_ids)
    result = {
        row.pk: (row.without_position, row.concept, row.submitted)
        for row in PositionCount.objects.filter(pk__in=ids)
    }
    absent = [pk for pk in ids if pk not in result]
    if absent:
        result |= from_scratch(absent)
    return result


# --- Following the saves ---------------------------------------------------------------------


def _position_changed(sender, instance, **kwargs):
    with transaction.atomic():
        # The project's lock first, as finance.shares takes it (see the module's docstring).
        list(Project.objects.select_for_update().filter(pk=instance.project_id).values("pk"))
        recount([instance.organisation_id])


def _project_changed(sender, instance, **kwargs):
    recount(Organisation.objects.core().values_list("pk", flat=True))


def _organisation_changed(sender, instance, **kwargs):
    recount([instance.pk])


def _organisation_deleted(sender, instance, **kwargs):
    PositionCount.objects.filter(pk=instance.pk).delete()


def connect() -> None:
    """Follow every save of what the counts are made of (portfolio.apps)."""
    for signal in (post_save, post_delete):
        signal.connect(_position_changed, sender=Position, dispatch_uid=f"counts-pos-{signal}")
        signal.connect(_project_changed, sender=Project, dispatch_uid=f"counts-project-{signal}")
    post_save.connect(_organisation_changed, sender=Organisation, dispatch_uid="counts-org")
    post_delete.connect(_organisation_deleted, sender=Organisation, dispatch_uid="counts-org-del")
