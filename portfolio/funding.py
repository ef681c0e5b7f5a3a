"""A project's money from outside the collaboration: the only writer of `ExternalFunding`.

The programme office keeps it (issue 30), as it keeps the rest of the project's financing.
Nothing is stored from these rows: the multiplier (`finance.multiplier`) reads them with the
project's kept year rows when a page asks, and component 3 (`finance.shares`) does not depend
on them, so a save here has no derived rows to write in its transaction. Every write follows
`smartdelta.versioning`: the acting user, the version the user saw, the permission re-checked.
"""

from decimal import Decimal

from django.db import transaction

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.models import User
from smartdelta.versioning import lock, stamp

from .models import ExternalFunding, FundingSource, FundingStatus, Project

REFUSED = "Alleen het programmabureau legt de externe financiering van een project vast."
WHAT = "Deze externe financiering"


def _check(user: User, source: str, amount: Decimal, status: str) -> None:
    if not permissions.can_manage_projects(user):
        raise DomainError(REFUSED)
    if source not in FundingSource.values:
        raise DomainError("Kies een bron van de financiering.")
    if status not in FundingStatus.values:
        raise DomainError("Kies of het geld gehoopt, toegezegd of ontvangen is.")
    if amount is None or amount < 0:
        raise DomainError("Vul een bedrag van nul euro of meer in.")


@transaction.atomic
def add_external_funding(
    user: User, project: Project, source: str, amount: Decimal, status: str, description: str = ""
) -> ExternalFunding:
    """Record money for `project` from `source`; only committed or received money counts."""
    _check(user, source, amount, status)
    funding = ExternalFunding(
        project=project,
        source=source,
        amount=amount,
        status=status,
        description=description[:200],
    )
    stamp(funding, user)
    funding.save()
    return funding


@transaction.atomic
def change_external_funding(
    user: User,
    funding: ExternalFunding,
    source: str,
    amount: Decimal,
    status: str,
    description: str,
    seen_version: int | None,
) -> ExternalFunding:
    """Change the row, unless someone changed it since the user loaded it."""
    _check(user, source, amount, status)
    current = lock(ExternalFunding.objects, funding.pk, seen_version, WHAT)
    current.source = source
    current.amount = amount
    current.status = status
    current.description = description[:200]
    stamp(current, user)
    current.save()
    return current


@transaction.atomic
def remove_external_funding(
    user: User, funding: ExternalFunding, seen_version: int | None
) -> ExternalFunding:
    """Remove the row (money that did not come after all); its history keeps who removed it."""
    if not permissions.can_manage_projects(user):
        raise DomainError(REFUSED)
    current = lock(ExternalFunding.objects, funding.pk, seen_version, WHAT)
    # The removal's history row names the user (django-simple-history reads `_history_user`).
    current._history_user = user
    current.delete()
    return current
