"""Keeping the seats of the board tables: the only writer of `Seat` (the demo aside).

Seed 004 (advice 1): "Uitgangspunt is dat alle 7 gemeenten deelnemen aan de bestuurlijke
tafels nieuwe stijl, ook wanneer een gemeente niet kan of wil instappen op specifieke
projecten." and "Het is mogelijk voor gemeenten om helemaal niet te deel te nemen aan een
bestuurlijke tafel, als zij geen commitment voelen op het thema in de samenwerking. Dit kan in
alle openheid een overweging zijn." So a core municipality always has a seat per table once it
is recorded: it takes part, or it openly does not, with its reason; its term is never simply
ended, a new term follows it.

Seed 004 (advice 2): a partner outside the seven may become "permanent onderdeel ... van de
bestuurlijke samenwerking (vertegenwoordiging aan bestuurlijke tafels). Dit is een keuze die we
maken met alle 7 gemeenten." So a partner's seat names the date and reference of that decision
(`Seat.clean` and the database constraints hold it).

Each function follows `smartdelta.versioning`: the acting user first, one transaction, the
permission re-checked here (`permissions.can_manage_seats`), the version the user saw checked,
the user stamped on the row and its history.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef

from meetings.models import Meeting
from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.formatting import format_date
from smartdelta.models import Organisation, User
from smartdelta.validators import DATE_RANGE_MESSAGE, is_plausible_date
from smartdelta.versioning import lock, stamp

from .models import BoardTable, Seat

# What a person edits on a running term; the organisation, table and start make the term.
TERM_FIELDS = [
    "takes_part",
    "reason",
    "administrator",
    "official",
    "admission_date",
    "admission_reference",
]
REFUSED = "Alleen het programmabureau houdt de zetels van de tafels bij."
ONE_DAY = datetime.timedelta(days=1)


def _check(user: User) -> None:
    if not permissions.can_manage_seats(user):
        raise DomainError(REFUSED)


def _check_date(value: datetime.date | None) -> None:
    # Before any arithmetic on it: the day after 9999-12-31 does not exist (issue 32).
    if not is_plausible_date(value):
        raise DomainError(DATE_RANGE_MESSAGE)


def _check_official(organisation: Organisation, official: User | None) -> None:
    if official is not None and official.organisation_id != organisation.pk:
        raise DomainError(
            f"De ondersteunend ambtenaar moet van {organisation} zijn; {official} is dat niet."
        )


def _validate(seat: Seat) -> None:
    if not seat.takes_part:
        # Not taking part: no administrator or official at this table for it.
        seat.administrator, seat.official = "", None
    else:
        seat.reason = ""
    try:
        seat.full_clean(exclude=["table", "organisation", "official", "updated_by"])
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms]
        raise DomainError(" ".join(messages)) from error


@transaction.atomic
def add_seat(
    user: User,
    table: BoardTable,
    organisation: Organisation,
    valid_from: datetime.date,
    fields: dict,
    valid_until: datetime.date | None = None,
) -> Seat:
    """A new term of `organisation` at `table` from `valid_from` (`fields` from TERM_FIELDS).

    A term of the organisation that started earlier and still runs on `valid_from` ends the day
    before (its history says so); a term that starts on or after `valid_from` is refused.
    """
    _check(user)
    _check_date(valid_from)
    _check_date(valid_until)
    # One writer of a table's seats at a time, so two new terms cannot both pass the checks.
    BoardTable.objects.select_for_update().get(pk=table.pk)
    _check_official(organisation, fields.get("official"))
    if valid_until is not None and valid_until < valid_from:
        raise DomainError("De einddatum van de termijn ligt vóór de begindatum.")
    terms = Seat.objects.filter(table=table, organisation=organisation).order_by("valid_from")
    to_end = []
    for term in terms:
        runs_into = term.valid_until is None or term.valid_until >= valid_from
        if not runs_into:
            continue
        if term.valid_from >= valid_from:
            if valid_until is not None and term.valid_from > valid_until:
                continue
            raise DomainError(
                f"{organisation} heeft aan deze tafel al een termijn vanaf "
                f"{format_date(term.valid_from)}; kies een begindatum daarna, of wijzig die "
                "termijn."
            )
        to_end.append(term)
    for term in to_end:
        term.valid_until = valid_from - ONE_DAY
        stamp(term, user)
        term.save()
    seat = Seat(table=table, organisation=organisation, valid_from=valid_from)
    seat.valid_until = valid_until
    for name in TERM_FIELDS:
        if name in fields:
            setattr(seat, name, fields[name])
    _validate(seat)
    stamp(seat, user)
    seat.save()
    return seat


@transaction.atomic
def update_seat(user: User, seat: Seat, fields: dict, seen_version: int | None) -> Seat:
    """Change a term: taking part or not (with the reason), the administrator, the official of
    the organisation, and for a partner the decision of all seven."""
    _check(user)
    current = lock(Seat.objects.select_related("organisation"), seat.pk, seen_version, "Deze zetel")
    _check_official(current.organisation, fields.get("official", current.official))
    for name in TERM_FIELDS:
        if name in fields:
            setattr(current, name, fields[name])
    _validate(current)
    stamp(current, user)
    current.save()
    return current


@transaction.atomic
def end_seat(user: User, seat: Seat, valid_until: datetime.date, seen_version: int | None) -> Seat:
    """End a term on `valid_until` (inclusive).

    A partner's seat may simply end. A core municipality's may only end where its next term
    starts the day after: it keeps a seat, taking part or openly not.
    """
    _check(user)
    _check_date(valid_until)
    current = lock(Seat.objects.select_related("organisation"), seat.pk, seen_version, "Deze zetel")
    if valid_until < current.valid_from:
        raise DomainError(
            f"De termijn begon op {format_date(current.valid_from)}; kies een einddatum vanaf "
            "die dag."
        )
    if current.organisation.is_core:
        follows = Seat.objects.filter(
            table_id=current.table_id,
            organisation_id=current.organisation_id,
            valid_from=valid_until + ONE_DAY,
        ).exists()
        if not follows:
            raise DomainError(
                f"{current.organisation} houdt aan elke tafel een zetel: leg een nieuwe termijn "
                "vast (bijvoorbeeld ‘neemt niet deel’, met de reden) in plaats van deze te "
                "beëindigen."
            )
    current.valid_until = valid_until
    stamp(current, user)
    _validate(current)
    current.save()
    return current


def missing_core(seats: list[Seat], cores: list[Organisation]) -> list[Organisation]:
    """The core municipalities without a seat among `seats`: shown as *nog niet vastgelegd*."""
    seated = {seat.organisation_id for seat in seats}
    return [org for org in cores if org.pk not in seated]


def upcoming_at_seats(organisation, today: datetime.date):
    """The board tables' meetings from `today` on at which `organisation` has a seat and takes
    part on the meeting's date: the meetings whose papers its people read (as
    `meetings.meetings.recipients`).

    `organisation` may also be a reference to the municipality of a query around this one; the
    seat is read inside the meeting's query, so from a query over organisations that is
    `OuterRef(OuterRef("pk"))`.
    """
    seated = Seat.objects.on(OuterRef("date")).filter(
        table=OuterRef("table_id"), organisation=organisation, takes_part=True
    )
    return Meeting.objects.filter(table__isnull=False, date__gte=today).filter(Exists(seated))
