"""Recording positions: the only writers of `Position`.

Each function follows the write contract of smartdelta.versioning: the acting user first, the
version the user saw, one transaction, the permission re-checked (smartdelta.permissions), the
version checked (nothing is silently overwritten; a write without a version is refused), the
acting user stamped for django-simple-history; DomainError with a Dutch message when it refuses.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.formatting import format_euro
from smartdelta.models import Organisation, User
from smartdelta.versioning import check_version, conflict, stamp

from .models import EntryPayment, Position, PositionStatus, Project

# Which status may follow which; any other change of status is refused.
TRANSITIONS = {
    PositionStatus.CONCEPT: {PositionStatus.SUBMITTED, PositionStatus.WITHDRAWN},
    PositionStatus.SUBMITTED: {
        PositionStatus.CONFIRMED,
        PositionStatus.CONCEPT,
        PositionStatus.WITHDRAWN,
    },
    PositionStatus.CONFIRMED: {PositionStatus.WITHDRAWN},
    PositionStatus.WITHDRAWN: set(),
}
TRANSITION_VERBS = {
    PositionStatus.SUBMITTED: "indienen",
    PositionStatus.CONFIRMED: "bevestigen",
    PositionStatus.CONCEPT: "terug naar concept",
    PositionStatus.WITHDRAWN: "intrekken",
}
POSITION_FIELDS = [
    "variant",
    "amount",
    "share",
    "entry_date",
    "entry_payment",
    "capacity_fte",
    "capacity_hours",
    "knowledge",
    "note",
]


@dataclass
class PositionInput:
    """What a user states: the variant and what comes with it."""

    variant: str
    amount: Decimal | None = None
    share: Decimal | None = None
    entry_date: datetime.date | None = None
    entry_payment: str = EntryPayment.FEE
    capacity_fte: Decimal | None = None
    capacity_hours: int | None = None
    knowledge: str = ""
    note: str = ""


def _locked(project: Project, organisation: Organisation) -> Position | None:
    return (
        Position.objects.select_for_update(of=("self",))
        .select_related("updated_by", "submitted_by", "organisation")
        .filter(project=project, organisation=organisation)
        .first()
    )


def _validate(position: Position) -> None:
    try:
        position.full_clean(exclude=["project", "organisation", "updated_by"])
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms]
        raise DomainError(" ".join(messages)) from error


def _check_amount(project: Project, position_input: PositionInput) -> None:
    """No one commits more than the project costs (a typo of a few zeros would otherwise show
    in the seven's figures)."""
    if position_input.amount is None:
        return
    cost = max(project.total_cost, project.participant_funding)
    if position_input.amount > cost:
        if not cost:
            raise DomainError(
                "Voor dit project zijn nog geen kosten vastgelegd; een bedrag kan pas worden "
                "toegezegd als de kosten bekend zijn."
            )
        raise DomainError(
            f"Het bedrag van {format_euro(position_input.amount)} is hoger dan wat het project kost "
            f"({format_euro(cost)}). Controleer het bedrag."
        )


@transaction.atomic
def record_position(
    user: User,
    project: Project,
    organisation: Organisation,
    position_input: PositionInput,
    seen_version: int | None,
) -> Position:
    """Create or change `organisation`'s position on `project`.

    `seen_version` is the version the user saw (None: they saw no position yet). A changed
    position goes back to concept: it must be submitted and confirmed again. A confirmed
    position stays in force meanwhile, with its money (the `in_force_` fields): one official's
    change moves no one's figures until a second person confirms it.
    """
    if not permissions.can_edit_position(user, organisation):
        raise DomainError(f"U mag de positie van {organisation} niet wijzigen.")
    _check_amount(project, position_input)
    current = _locked(project, organisation)
    if current is None and seen_version is not None:
        raise DomainError("Deze positie bestaat niet meer; laad de pagina opnieuw.")
    if current is not None:
        check_version(current, seen_version, "Deze positie")
    position = current or Position(project=project, organisation=organisation)
    before = {name: getattr(position, name) for name in POSITION_FIELDS}
    for name in POSITION_FIELDS:
        setattr(position, name, getattr(position_input, name))
    after = {name: getattr(position, name) for name in POSITION_FIELDS}
    if current is not None and before == after:
        return current
    if current is not None:
        position.status = PositionStatus.CONCEPT
        position.decision_reference = ""
        position.decision_date = None
        position.submitted_by = None
    stamp(position, user)
    _validate(position)
    try:
        with transaction.atomic():
            position.save()
    except IntegrityError as error:
        # Two first saves at the same moment: the unique constraint lets exactly one win.
        winner = (
            Position.objects.select_related("updated_by")
            .filter(project=project, organisation=organisation)
            .first()
        )
        if winner is not None:
            raise conflict(winner, "Deze positie") from error
        raise DomainError(
            "Deze positie kon niet worden opgeslagen; controleer de invoer."
        ) from error
    return position


@transaction.atomic
def change_status(
    user: User,
    position: Position,
    new_status: str,
    seen_version: int | None,
    decision_reference: str = "",
    decision_date: datetime.date | None = None,
) -> Position:
    """Move a position along concept -> ingediend -> bevestigd, or withdraw it.

    Confirming takes four eyes (`permissions.may_confirm_position`): the one who submitted
    the position cannot also confirm it, and the decision reference and date stay required.
    """
    if not permissions.can_edit_position(user, position.organisation):
        raise DomainError(f"U mag de toezegging van {position.organisation} niet wijzigen.")
    current = _locked(position.project, position.organisation)
    if current is None:
        raise DomainError("Deze toezegging bestaat niet meer.")
    check_version(current, seen_version, "Deze toezegging")
    try:
        new_status = PositionStatus(new_status)
    except ValueError as error:
        raise DomainError("Onbekende status.") from error
    if new_status not in TRANSITIONS[PositionStatus(current.status)]:
        raise DomainError(
            f"Een toezegging met status ‘{current.get_status_display().lower()}’ kan niet naar "
            f"‘{new_status.label.lower()}’."
        )
    if new_status == PositionStatus.CONFIRMED and not permissions.may_confirm_position(
        user, current
    ):
        raise DomainError(four_eyes_refusal(user, current))
    if new_status == PositionStatus.WITHDRAWN and current.change_pending:
        # Withdrawing a change: the confirmed position in force is the position again.
        _restore_in_force(current)
        stamp(current, user)
        _validate(current)
        current.save()
        return current
    current.status = new_status
    if new_status == PositionStatus.WITHDRAWN:
        _clear_in_force(current)
    if new_status == PositionStatus.SUBMITTED:
        current.submitted_by = user
    elif new_status == PositionStatus.CONCEPT:
        current.submitted_by = None
    if new_status == PositionStatus.CONFIRMED:
        current.decision_reference = decision_reference.strip()
        current.decision_date = decision_date
        put_in_force(current)
    stamp(current, user)
    _validate(current)
    current.save()
    return current


IN_FORCE_FIELDS = ["variant", "amount", "share", "entry_date", "entry_payment"]


def put_in_force(position: Position) -> None:
    """The confirmed position becomes the one in force, with its decision."""
    for name in IN_FORCE_FIELDS:
        setattr(position, f"in_force_{name}", getattr(position, name))
    position.in_force_reference = position.decision_reference
    position.in_force_date = position.decision_date


def _restore_in_force(position: Position) -> None:
    for name in IN_FORCE_FIELDS:
        setattr(position, name, getattr(position, f"in_force_{name}"))
    position.status = PositionStatus.CONFIRMED
    position.decision_reference = position.in_force_reference
    position.decision_date = position.in_force_date
    position.submitted_by = None


def _clear_in_force(position: Position) -> None:
    for name in IN_FORCE_FIELDS:
        setattr(position, f"in_force_{name}", None)
    position.in_force_variant = position.in_force_entry_payment = ""
    position.in_force_reference = ""
    position.in_force_date = None


def four_eyes_refusal(user: User, position: Position) -> str:
    """Why `user` may not confirm `position`, in Dutch."""
    organisation = position.organisation
    if position.submitted_by_id == user.pk:
        return (
            f"Een tweede persoon van {organisation} moet dit bevestigen; u heeft dit standpunt "
            "zelf ingediend."
        )
    return (
        f"Een ambtenaar van {organisation} moet dit bevestigen: het programmabureau heeft dit "
        "standpunt namens de gemeente ingediend en bevestigt het niet ook zelf."
    )


def allowed_transitions(user: User | None, position: Position | None) -> list[tuple[str, str]]:
    """(status, Dutch verb) `user` can pick for this position: what its status allows, with
    confirming only for a second person (`permissions.may_confirm_position`). Without a user:
    what the status allows to anyone (a posted choice is then refused by `change_status`, with
    the reason)."""
    if position is None:
        return []
    return [
        (
            status.value,
            "wijziging intrekken"
            if status == PositionStatus.WITHDRAWN and position.change_pending
            else TRANSITION_VERBS[status],
        )
        for status in PositionStatus
        if status in TRANSITIONS[PositionStatus(position.status)]
        and (
            user is None
            or status != PositionStatus.CONFIRMED
            or permissions.may_confirm_position(user, position)
        )
    ]


def awaits_second_person(user: User, position: Position | None) -> bool:
    """Whether `position` waits to be confirmed by someone other than `user` (the page says
    so instead of offering a choice the user does not have)."""
    return (
        position is not None
        and position.status == PositionStatus.SUBMITTED
        and permissions.can_edit_position(user, position.organisation)
        and not permissions.may_confirm_position(user, position)
    )
