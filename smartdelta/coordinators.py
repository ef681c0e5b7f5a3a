"""The coordinator of each core municipality: the only writer of `Coordination`.

Seed 004, advice 4: "Per individuele gemeente is er ten minste 1 ambtenaar die een coördinerende
rol vervult binnen zijn/haar gemeente en de verbinding is naar de regionale werkorganisatie."
The municipality's secretary or the programme office records that official, with a deputy when
there is one, and since when (`permissions.can_set_coordinator`); the history keeps who did it
and every earlier coordinator.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q

from . import permissions
from .errors import DomainError
from .formatting import format_date
from .models import Coordination, Organisation, User
from .versioning import check_version, stamp


def candidates(organisation: Organisation):
    """Who may coordinate for `organisation`, or deputise: its active officials and its
    secretary (the seed's "ambtenaar", of the municipality itself)."""
    return User.objects.filter(organisation=organisation, is_active=True).filter(
        Q(is_official=True) | Q(is_ambtelijke_regiekamer=True)
    )


def check_coordinator(organisation: Organisation, person: User, role: str) -> None:
    """Raise DomainError unless `person` is one of the `candidates` for `role` ("coördinator"
    or "plaatsvervanger") of `organisation`."""
    if candidates(organisation).filter(pk=person.pk).exists():
        return
    if person.organisation_id != organisation.pk:
        raise DomainError(
            f"{person} werkt niet bij {organisation}. De {role} is een ambtenaar van de "
            "gemeente zelf."
        )
    raise DomainError(
        f"{person} is geen actieve ambtenaar van {organisation} in het portaal. De {role} is "
        "een ambtenaar van de gemeente die de verbinding legt met de regionale werkorganisatie."
    )


def set_coordinator(
    user: User,
    organisation: Organisation,
    *,
    coordinator: User,
    deputy: User | None,
    valid_from: datetime.date,
    seen_version: int | None,
) -> Coordination:
    """Record `coordinator` (and `deputy`) of `organisation` from `valid_from`.

    `seen_version` is the version the user's form showed (0: none recorded yet), so a change
    made in the meantime is never overwritten unseen. A new coordinator starts no earlier than
    the one they succeed; the same coordinator's start date may be corrected.
    """
    if not permissions.can_set_coordinator(user, organisation):
        raise DomainError(
            f"Alleen de gemeentesecretaris van {organisation} of het programmabureau legt de "
            "coördinator vast."
        )
    if not organisation.is_core:
        raise DomainError("Alleen de zeven kerngemeenten hebben een coördinator in het portaal.")
    check_coordinator(organisation, coordinator, "coördinator")
    if deputy is not None:
        if deputy.pk == coordinator.pk:
            raise DomainError("De plaatsvervanger is iemand anders dan de coördinator.")
        check_coordinator(organisation, deputy, "plaatsvervanger")
    with transaction.atomic():
        # Lock the municipality: two first recordings at once cannot both create a row.
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        current = (
            Coordination.objects.select_for_update(of=("self",))
            .select_related("coordinator", "deputy", "updated_by")
            .filter(organisation=organisation)
            .first()
        )
        if current is None:
            current = Coordination(organisation=organisation)
        else:
            check_version(current, seen_version, f"De coördinator van {organisation}")
            if current.coordinator_id != coordinator.pk and valid_from < current.valid_from:
                raise DomainError(
                    f"De nieuwe coördinator begint niet vóór {current.coordinator}, die "
                    f"coördinator is sinds {format_date(current.valid_from)}."
                )
        current.coordinator = coordinator
        current.deputy = deputy
        current.valid_from = valid_from
        stamp(current, user)
        current.save()
    return current
