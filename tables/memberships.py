"""Who sits in the regiekamers: the only writer of `Membership` (the demo aside).

Seed 004 (advice 3) sets their make-up. The bestuurlijke regiekamer: "eén bestuurder uit elke
gemeente met ervaring in samenwerkingen en in de regio"; "De afgevaardigde is gelegitimeerd en
heeft mandaat in zijn of haar eigen gemeente". The ambtelijke regiekamer: "Het ONS-D overleg
(de gemeentesecretarissen)" and "De manager Smart Delta Drechtsteden is de linking pin tussen
regiekamer en de rest de organisatie van SDD". So each of the seven has one seat in each
regiekamer, and the ambtelijke has one more for the manager of Smart Delta (the programme
office's organisation). Every membership names the decision behind it, and so does its end.

A membership gives its member the regiekamer's role (the flag on the user that the permissions
read without a query) and its end takes it away, in the same transaction. A membership starts
and ends today or earlier: a date ahead would leave the role out of step with the list until
that day.

Each function follows `smartdelta.versioning`: the acting user first, one transaction, the
permission re-checked here (`permissions.can_keep_memberships`), the rows locked, the acting
user on every history row.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.fields import normalise_text
from smartdelta.formatting import format_date
from smartdelta.models import OrganisationKind, User
from smartdelta.validators import DATE_RANGE_MESSAGE, is_plausible_date

from .models import Membership, Regiekamer

REFUSED = "Alleen het programmabureau legt de leden van de regiekamers vast."
NO_DECISION = "Noem het besluit (kenmerk) waarop dit berust."
REFERENCE_MAX = 100


def role_field(regiekamer: Regiekamer) -> str:
    """The flag on `User` that holds membership of `regiekamer`."""
    return "is_ambtelijke_regiekamer" if regiekamer.is_ambtelijk else "is_bestuurlijke_regiekamer"


def may_sit_in(regiekamer: Regiekamer, member: User) -> bool:
    """Whose seat it can be: a person of one of the seven, or (ambtelijk) of Smart Delta."""
    kinds = {OrganisationKind.CORE}
    if regiekamer.is_ambtelijk:
        kinds.add(OrganisationKind.PROGRAMME)
    return (
        member.is_active and member.organisation is not None and member.organisation.kind in kinds
    )


def _reference(value: str) -> str:
    value = normalise_text(value or "")
    if not value:
        raise DomainError(NO_DECISION)
    if len(value) > REFERENCE_MAX:
        raise DomainError(f"Het kenmerk is te lang: hooguit {REFERENCE_MAX} tekens.")
    return value


def _check_date(value: datetime.date | None, what: str) -> None:
    if not is_plausible_date(value):
        raise DomainError(DATE_RANGE_MESSAGE)
    if value > timezone.localdate():
        raise DomainError(
            f"{what} ligt in de toekomst. Leg het vast op de dag zelf of daarna: tot dan geldt "
            "de huidige samenstelling."
        )


def _set_role(user: User, member: User, field: str, value: bool) -> None:
    member = User.objects.select_for_update().get(pk=member.pk)
    if getattr(member, field) != value:
        setattr(member, field, value)
        member._history_user = user
        member.save(update_fields=[field])


def appoint(
    user: User,
    regiekamer: Regiekamer,
    member: User,
    valid_from: datetime.date,
    decision: str,
    capacity: str = "",
) -> Membership:
    """Seat `member` in `regiekamer` from `valid_from`, by `decision`: refused while the
    member's organisation already has a seat running then or later, so each organisation has
    one seat at a time."""
    if not permissions.can_keep_memberships(user):
        raise DomainError(REFUSED)
    if not may_sit_in(regiekamer, member):
        raise DomainError(
            f"In de {regiekamer} zit iemand van een van de zeven gemeenten"
            + (" of de manager van Smart Delta Drechtsteden." if regiekamer.is_ambtelijk else ".")
        )
    _check_date(valid_from, "De begindatum")
    decision = _reference(decision)
    capacity = normalise_text(capacity or "")[:120]
    with transaction.atomic():
        # The regiekamer's row serialises appointments: two at once never both find the seat free.
        Regiekamer.objects.select_for_update().get(pk=regiekamer.pk)
        taken = (
            Membership.objects.filter(
                regiekamer=regiekamer, user__organisation_id=member.organisation_id
            )
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
            .select_related("user")
            .first()
        )
        if taken is not None:
            raise DomainError(
                f"{member.organisation} heeft in de {regiekamer} al een zetel: {taken.user} sinds "
                f"{format_date(taken.valid_from)}. Beëindig dat lidmaatschap eerst, op de dag "
                "vóór de nieuwe begindatum."
            )
        membership = Membership(
            regiekamer=regiekamer,
            user=member,
            valid_from=valid_from,
            capacity=capacity,
            decision=decision,
        )
        membership._history_user = user
        membership.save()
        _set_role(user, member, role_field(regiekamer), True)
    return membership


def end(
    user: User, membership: Membership, valid_until: datetime.date, decision: str
) -> Membership:
    """End a running membership on `valid_until` (its last day, today at the latest), by
    `decision`; the member loses the regiekamer's role at once, unless another membership of it
    still runs."""
    if not permissions.can_keep_memberships(user):
        raise DomainError(REFUSED)
    _check_date(valid_until, "De einddatum")
    decision = _reference(decision)
    with transaction.atomic():
        current = (
            Membership.objects.select_for_update()
            .select_related("regiekamer")
            .get(pk=membership.pk)
        )
        if current.valid_until is not None:
            raise DomainError(
                f"Dit lidmaatschap is al beëindigd op {format_date(current.valid_until)}."
            )
        if valid_until < current.valid_from:
            raise DomainError(
                f"De einddatum ligt vóór de begindatum ({format_date(current.valid_from)})."
            )
        current.valid_until = valid_until
        current.end_decision = decision
        current._history_user = user
        current.save()
        still = (
            Membership.objects.on(timezone.localdate())
            .filter(regiekamer=current.regiekamer, user=current.user_id)
            .exclude(pk=current.pk)
            .exists()
        )
        if not still:
            _set_role(user, current.user, role_field(current.regiekamer), False)
    return current
