"""A municipality's CBS inhabitant counts: the only writer of `InhabitantCount` (issue 30).

A count moves money: each budget divides its inwonerbijdrage over the seven by their latest
count on or before the budget's reference date, and component 3 by the same counts
(`finance.shares`). So a new count takes effect only for budgets that are not yet adopted: an
adopted budget keeps the counts it was adopted on (seed 001: the inwonerbijdrage "blijft gelijk"
once agreed), and a count that would change one is refused. The kept figures follow the save in
its own transaction (`finance.shares.refresh_basis`, listening to the save), so a page read after
the commit shows the new division. A recorded count can be corrected (its inhabitants and source, never its
reference date, which decides the budgets it counts for) under the same rule: only when the
budgets that divide by it are all still concepts. The service lives in finance, not beside the model in the
core, because its rule is about budgets (the core imports no app).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.formatting import format_date
from smartdelta.models import InhabitantCount, Organisation, OrganisationKind, User
from smartdelta.versioning import lock, stamp

from .models import BudgetStatus, BudgetYear


def budgets_moved(
    organisation: Organisation, reference_date: datetime.date, budgets=None
) -> list[BudgetYear]:
    """The budgets whose division a new count of `organisation` on `reference_date` changes:
    those whose reference date is on or after it, where no later count of the organisation
    stands in between."""
    budgets = BudgetYear.objects.order_by("year") if budgets is None else budgets
    dates = list(organisation.inhabitant_counts.values_list("reference_date", flat=True))
    return [
        budget
        for budget in budgets
        if reference_date <= budget.reference_date
        and not any(reference_date < d <= budget.reference_date for d in dates)
    ]


def _years(budgets) -> str:
    years = [str(b.year) for b in budgets]
    return years[0] if len(years) == 1 else f"{', '.join(years[:-1])} en {years[-1]}"


@transaction.atomic
def record_inhabitant_count(
    user: User,
    organisation: Organisation,
    reference_date: datetime.date,
    inhabitants: int,
    source: str,
) -> tuple[InhabitantCount, list[BudgetYear]]:
    """Record `organisation`'s count on `reference_date`; returns it with the (concept) budgets
    it takes effect for. Refused when it would change an adopted budget."""
    if not permissions.can_keep_inhabitants(user):
        raise DomainError("Alleen het programmabureau legt inwonertallen vast.")
    if organisation.kind != OrganisationKind.CORE:
        # Neighbours pay fixed amounts (DOMAIN.md): only the seven pay by inhabitants.
        raise DomainError("Alleen de zeven Drechtstedengemeenten betalen naar inwonertal.")
    # The budgets locked: none is adopted between this check and the commit.
    budgets = list(BudgetYear.objects.select_for_update().order_by("year"))
    if organisation.inhabitant_counts.filter(reference_date=reference_date).exists():
        raise DomainError(
            f"Voor {organisation} is er al een inwonertal op peildatum "
            f"{format_date(reference_date)}."
        )
    moved = budgets_moved(organisation, reference_date, budgets)
    adopted = [b for b in moved if b.status == BudgetStatus.ADOPTED]
    if adopted:
        raise DomainError(
            f"Dit inwonertal zou de vastgestelde begroting {_years(adopted)} veranderen "
            f"(peildatum {format_date(adopted[-1].reference_date)}). Een nieuw inwonertal geldt "
            "alleen voor een begroting die nog niet is vastgesteld: kies een peildatum na die "
            "van de laatste vastgestelde begroting."
        )
    count = InhabitantCount(
        organisation=organisation,
        reference_date=reference_date,
        inhabitants=inhabitants,
        source=source.strip(),
    )
    try:
        count.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
    stamp(count, user)
    count.save()
    return count, moved


def budgets_using(count: InhabitantCount, budgets=None) -> list[BudgetYear]:
    """The budgets that divide by `count`: those whose latest count of its organisation on or
    before their reference date is this one."""
    return budgets_moved(count.organisation, count.reference_date, budgets)


@transaction.atomic
def correct_inhabitant_count(
    user: User,
    count: InhabitantCount,
    inhabitants: int,
    source: str,
    seen_version: int | None,
) -> tuple[InhabitantCount, list[BudgetYear]]:
    """Correct a recorded count's inhabitants and source; returns it with the (concept) budgets
    whose division changes. Refused when a budget that divides by it is adopted (seed 001: the
    inwonerbijdrage "blijft gelijk" once agreed)."""
    if not permissions.can_keep_inhabitants(user):
        raise DomainError("Alleen het programmabureau corrigeert inwonertallen.")
    # The budgets locked first, as when recording: none is adopted before the commit.
    budgets = list(BudgetYear.objects.select_for_update().order_by("year"))
    current = lock(
        InhabitantCount.objects.select_related("organisation"),
        count.pk,
        seen_version,
        "Dit inwonertal",
    )
    moved = budgets_using(current, budgets)
    adopted = [b for b in moved if b.status == BudgetStatus.ADOPTED]
    if adopted:
        raise DomainError(
            f"Dit inwonertal is de basis van de vastgestelde begroting {_years(adopted)}: een "
            "correctie zou de verdeling daarvan veranderen en wordt niet opgeslagen. Een "
            "vastgestelde begroting blijft op de inwonertallen waarop zij is vastgesteld; leg "
            "zo nodig een nieuw inwonertal vast met een peildatum na die van de laatste "
            "vastgestelde begroting."
        )
    current.inhabitants = inhabitants
    current.source = source.strip()
    try:
        current.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
    stamp(current, user)
    current.save()
    return current, moved
