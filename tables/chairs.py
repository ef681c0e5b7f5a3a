"""The chair schedule of the regiekamers: the only writer of `ChairTerm`.

The ambtelijke regiekamer's chair rotates among the municipal secretaries; Dordrecht never
chairs because it is the employer of the programme staff. The bestuurlijke regiekamer's chair is
one of its members. Each regiekamer's members keep its schedule
(`permissions.can_schedule_chair`).
"""

import datetime

from django.db import transaction

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.formatting import format_date as datum
from smartdelta.models import User
from smartdelta.versioning import stamp

from .models import ChairTerm, Regiekamer

# Dordrecht is the centrumgemeente and employer of the programme staff.
NEVER_CHAIRS = "dordrecht"


def check_chair_term(
    regiekamer: Regiekamer,
    chair: User,
    valid_from: datetime.date,
    valid_until: datetime.date,
    existing: list[ChairTerm],
) -> None:
    """Raise DomainError when the term breaks a rule; `existing` are the regiekamer's other terms."""
    if valid_until < valid_from:
        raise DomainError("De einddatum van de termijn ligt vóór de begindatum.")
    if regiekamer.is_ambtelijk:
        if chair.organisation is not None and chair.organisation.slug == NEVER_CHAIRS:
            raise DomainError(
                "Dordrecht levert nooit de voorzitter van de ambtelijke regiekamer, vanwege "
                "haar rol als werkgever van het programmabureau."
            )
        if not chair.is_ambtelijke_regiekamer:
            raise DomainError(
                "Het voorzitterschap van de ambtelijke regiekamer rouleert onder de "
                "gemeentesecretarissen; kies een lid van de ambtelijke regiekamer."
            )
    elif not chair.is_bestuurlijke_regiekamer:
        raise DomainError(
            "De voorzitter van de bestuurlijke regiekamer is een van haar leden; kies een lid "
            "van de bestuurlijke regiekamer."
        )
    for term in existing:
        if term.valid_from <= valid_until and valid_from <= term.valid_until:
            raise DomainError(
                f"Deze termijn overlapt met die van {term.user} "
                f"({datum(term.valid_from)} t/m {datum(term.valid_until)})."
            )


def schedule_chair(
    user: User,
    regiekamer: Regiekamer,
    chair: User,
    valid_from: datetime.date,
    valid_until: datetime.date,
) -> ChairTerm:
    if not permissions.can_schedule_chair(user, regiekamer):
        raise DomainError(f"Alleen de leden van de {regiekamer} kiezen hun voorzitter.")
    with transaction.atomic():
        # Lock the regiekamer so two schedulers cannot both pass the overlap check.
        Regiekamer.objects.select_for_update().get(pk=regiekamer.pk)
        existing = list(regiekamer.chair_terms.select_related("user"))
        check_chair_term(regiekamer, chair, valid_from, valid_until, existing)
        term = ChairTerm(
            regiekamer=regiekamer, user=chair, valid_from=valid_from, valid_until=valid_until
        )
        stamp(term, user)
        term.save()
    return term
