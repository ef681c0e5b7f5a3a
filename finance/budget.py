"""Changing budgets: the only writers of budget years, lines, financing, amendments, letter
text and the municipalities' letter particulars.

Every function follows the write contract of smartdelta.versioning: the acting user first,
the object, the version the user saw; one transaction (a failure half-way leaves nothing
behind); the permission checked in smartdelta.permissions; the history user recorded here.

Adopted means adopted (issue 13): once a budget is vastgesteld, its inwonerbijdrage is fixed
(seed 001: "De inwonerbijdrage zoals die de afgelopen jaren is gehanteerd, blijft gelijk,
behoudens de vastgestelde indexatie"), and its lines and financing change only together with a
numbered begrotingswijziging that says what, why, by whom, when and under which decision.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.formatting import format_dutch_number, format_euro
from smartdelta.models import Organisation, User
from smartdelta.versioning import check_version, lock, stamp

from . import allocation
from .models import (
    BudgetAmendment,
    BudgetLine,
    BudgetStatus,
    BudgetYear,
    Financing,
    LetterParticulars,
    LetterText,
)

DEFAULT_LETTER = {
    "subject": "Bijdrage aan Smart Delta Drechtsteden {year}",
    "portfolio_holder": "Wethouder Smart Delta Drechtsteden",
    "introduction": (
        "Met deze raadsinformatiebrief informeert het college u over de bijdrage van onze "
        "gemeente aan de samenwerking Smart Delta Drechtsteden in {year}."
    ),
    "key_message": (
        "De zeven Drechtstedengemeenten betalen samen de begroting van het netwerk naar "
        "inwonertal; aan specifieke projecten betalen zij naar deelname en profijt."
    ),
    "consequences": "",
    "next_steps": (
        "Het college houdt u op de hoogte van de voortgang van de projecten waaraan onze "
        "gemeente deelneemt."
    ),
}


def _require(allowed: bool, message: str = "U mag deze begroting niet wijzigen.") -> None:
    """The service's own check of the permission the view checked (README "Writing")."""
    if not allowed:
        raise DomainError(message)


def _describe(line) -> str:
    return f"{line.name} ({format_euro(line.amount)})"


@dataclass(frozen=True)
class RowChange:
    """One row of a budget's lines or financing as the user left it: `pk` None for a new row,
    `delete` for a row to remove, else `values` (model field → value) to store."""

    pk: int | None
    values: dict = field(default_factory=dict)
    delete: bool = False


def _changes(locked: BudgetYear, fields: dict) -> list[str]:
    """What a save changes in the year itself, in words, for the begrotingswijziging."""
    changes = []
    for name, value in fields.items():
        old = getattr(locked, name)
        if old != value:
            label = BudgetYear._meta.get_field(name).verbose_name
            changes.append(f"{label}: {_value(old)} → {_value(value)}")
    return changes


def _save_rows(
    user: User, locked: BudgetYear, model, rows: list[RowChange], noun: str
) -> list[str]:
    """Apply `rows` to the budget's own rows of `model` as they are now (read under the budget's
    lock, so the words say what changed against what was stored, not against what the form
    once showed) and say what changed."""
    current = {row.pk: row for row in model.objects.filter(budget=locked)}
    changes = []
    for change in rows:
        if change.pk is not None and change.pk not in current:
            raise DomainError(
                f"Een {noun} is intussen door iemand anders verwijderd. Laad de pagina opnieuw."
            )
        row = current.get(change.pk) or model(budget=locked)
        name = change.values.get("name") or change.values.get("description") or str(row)
        row._history_user = user
        if change.delete:
            if change.pk is not None:
                changes.append(f"{noun} vervallen: {row} ({format_euro(row.amount)})")
                row.delete()
            continue
        if change.pk is None:
            changes.append(
                f"{noun} toegevoegd: {name} ({format_euro(change.values.get('amount'))})"
            )
        else:
            for field_name, value in change.values.items():
                old = getattr(row, field_name)
                if old != value:
                    label = model._meta.get_field(field_name).verbose_name
                    changes.append(f"{noun} {name}: {label} {_value(old)} → {_value(value)}")
        for field_name, value in change.values.items():
            setattr(row, field_name, value)
        row.save()
    return changes


def _value(value) -> str:
    if isinstance(value, Decimal):
        return format_dutch_number(value)
    if value is None or value == "":
        return "—"
    return str(value)


@transaction.atomic
def save_budget(
    user: User,
    budget: BudgetYear,
    fields: dict,
    seen_version: int | None,
    lines: list[RowChange] = (),
    financing: list[RowChange] = (),
    amendment: dict | None = None,
) -> BudgetYear:
    """Save a budget year with its lines and financing, all or nothing.

    `fields` are the year's own values; `lines` and `financing` the rows that change (new,
    changed or removed; `finance.forms.row_changes` makes them from the edit page). An
    adopted budget needs `amendment` (title, reason, decision_reference, decision_date): the
    change is recorded as the next begrotingswijziging; its inwonerbijdrage cannot change.
    """
    _require(permissions.can_edit_budget(user))
    locked = lock(BudgetYear.objects, budget.pk, seen_version, f"De begroting {budget.year}")
    if locked.is_adopted:
        if "contribution" in fields and fields["contribution"] != locked.contribution:
            raise DomainError(
                "De inwonerbijdrage ligt vast sinds de begroting is vastgesteld; zij verandert "
                "niet met een begrotingswijziging."
            )
        if fields.get("status", locked.status) != locked.status:
            raise DomainError("Een vastgestelde begroting gaat niet terug naar concept.")
        if not amendment:
            raise DomainError(
                "Deze begroting is vastgesteld: een wijziging kan alleen als begrotingswijziging, "
                "met wat er wijzigt, waarom, en het kenmerk en de datum van het besluit."
            )
    changes = _changes(locked, fields)
    for name, value in fields.items():
        setattr(locked, name, value)
    stamp(locked, user)
    try:
        with transaction.atomic():
            locked.save()
            changes += _save_rows(user, locked, BudgetLine, lines, "post")
            changes += _save_rows(user, locked, Financing, financing, "financiering")
    except IntegrityError as error:
        raise DomainError(
            "Opslaan lukte niet: elke post mag één keer voorkomen en bedragen zijn niet negatief."
        ) from error
    if locked.is_adopted:
        if not changes:
            # Nothing is kept: the transaction is rolled back with this refusal.
            raise DomainError(
                "Er is niets gewijzigd, dus er is geen begrotingswijziging vastgelegd."
            )
        number = (locked.amendments.aggregate(n=Max("number"))["n"] or 0) + 1
        record = BudgetAmendment(
            budget=locked,
            number=number,
            changes="\n".join(changes),
            created_by=user,
            **amendment,
        )
        record._history_user = user
        record.save()
    return locked


@transaction.atomic
def adopt_budget(
    user: User,
    budget: BudgetYear,
    seen_version: int | None,
    adopted_on: datetime.date,
    decision_reference: str,
) -> BudgetYear:
    """Adopt a concept budget (concept → vastgesteld) with the date and reference of the decision."""
    _require(permissions.can_edit_budget(user))
    locked = lock(BudgetYear.objects, budget.pk, seen_version, f"De begroting {budget.year}")
    if locked.is_adopted:
        raise DomainError(f"De begroting {locked.year} is al vastgesteld.")
    if not decision_reference.strip():
        raise DomainError("Vul het kenmerk van het besluit tot vaststelling in.")
    locked.status = BudgetStatus.ADOPTED
    locked.adopted_on = adopted_on
    locked.decision_reference = decision_reference.strip()
    stamp(locked, user)
    locked.save()
    return locked


@transaction.atomic
def open_next_year(user: User, budget: BudgetYear, indexation: Decimal) -> BudgetYear:
    """A concept budget for the next year: the inwonerbijdrage and every line and contribution
    raised by `indexation` (seed 001: the inwonerbijdrage "blijft gelijk, behoudens de
    vastgestelde indexatie"). Realisation and carried-over money start empty: they are known
    only later; hoped-for money stays hoped for.
    """
    _require(permissions.can_edit_budget(user))
    year = budget.year + 1
    if BudgetYear.objects.filter(year=year).exists():
        raise DomainError(f"Er bestaat al een begroting {year}.")
    new = BudgetYear(
        year=year,
        status=BudgetStatus.CONCEPT,
        indexation_percent=indexation,
        contribution=allocation.index_amount(budget.contribution, indexation),
        forecast_indexation=budget.forecast_indexation,
        reference_date=datetime.date(year, 1, 1),
        note=f"Geopend vanuit {budget.year} met {format_dutch_number(indexation)} % indexatie.",
    )
    stamp(new, user)
    try:
        with transaction.atomic():
            new.save()
    except IntegrityError as error:  # opened by someone else at the same moment
        raise DomainError(f"Er bestaat al een begroting {year}.") from error
    for line in budget.lines.all():
        row = BudgetLine(
            budget=new,
            name=line.name,
            component=line.component,
            amount=allocation.index_amount(line.amount, indexation),
            order=line.order,
        )
        row._history_user = user
        row.save()
    for item in budget.financing.all():
        row = Financing(
            budget=new,
            kind=item.kind,
            organisation=item.organisation,
            description=item.description,
            status=item.status if item.status == "gehoopt" else "toegezegd",
            amount=allocation.index_amount(item.amount, indexation),
        )
        row._history_user = user
        row.save()
    letter = getattr(budget, "letter", None)
    source = (
        {name: getattr(letter, name) for name in DEFAULT_LETTER}
        if letter
        else default_letter(budget.year)
    )
    text = LetterText(budget=new, **_with_year(source, budget.year, year))
    stamp(text, user)
    text.save()
    return new


def default_letter(year: int) -> dict:
    return {name: text.format(year=year) for name, text in DEFAULT_LETTER.items()}


def _with_year(texts: dict, old: int, new: int) -> dict:
    return {name: value.replace(str(old), str(new)) for name, value in texts.items()}


def letter_for(budget: BudgetYear) -> LetterText:
    """The year's letter text, or the default text (unsaved) when none was written yet."""
    try:
        return budget.letter
    except LetterText.DoesNotExist:
        return LetterText(budget=budget, **default_letter(budget.year))


@transaction.atomic
def save_letter(
    user: User, budget: BudgetYear, fields: dict, seen_version: int | None
) -> LetterText:
    """Save the year's letter text; the first save needs no version (there was none to see)."""
    _require(permissions.can_write_letter(user), "U mag de tekst van de brief niet wijzigen.")
    letter = LetterText.objects.select_for_update().filter(budget=budget).first()
    if letter is None:
        letter = LetterText(budget=budget)
    else:
        check_version(letter, seen_version, "De tekst van de raadsinformatiebrief")
    for name, value in fields.items():
        setattr(letter, name, value)
    stamp(letter, user)
    letter.save()
    return letter


def particulars_for(organisation: Organisation) -> LetterParticulars:
    """The municipality's letter particulars, or sensible defaults (unsaved) until kept."""
    try:
        return organisation.letter_particulars
    except LetterParticulars.DoesNotExist:
        return LetterParticulars(
            organisation=organisation,
            addressee=f"Aan de gemeenteraad van {organisation.name}",
            portfolio_holder="",
            reference_prefix="",
            first_signatory_title="De secretaris",
            first_signatory_name="",
            second_signatory_title="De burgemeester",
            second_signatory_name="",
        )


PARTICULARS_NEEDED = [
    ("addressee", "de geadresseerde"),
    ("portfolio_holder", "de portefeuillehouder"),
    ("reference_prefix", "het kenmerk of zaaknummer van de gemeente"),
    ("first_signatory_title", "de functie van de eerste ondertekenaar"),
    ("first_signatory_name", "de naam van de eerste ondertekenaar"),
    ("second_signatory_title", "de functie van de tweede ondertekenaar"),
    ("second_signatory_name", "de naam van de tweede ondertekenaar"),
]


def missing_particulars(particulars: LetterParticulars) -> list[str]:
    """What a griffie needs on a letter that `particulars` lack, in Dutch (empty: complete).
    A letter is issued only with all of them (`finance.letters.issue_letter`)."""
    if particulars.pk is None:
        return [label for _, label in PARTICULARS_NEEDED]
    return [label for name, label in PARTICULARS_NEEDED if not getattr(particulars, name).strip()]


@transaction.atomic
def save_particulars(
    user: User, organisation: Organisation, fields: dict, seen_version: int | None
) -> LetterParticulars:
    """Save a municipality's letter particulars (its own officials, or the programme office)."""
    _require(
        permissions.can_edit_letter_particulars(user, organisation),
        f"U mag de briefgegevens van {organisation} niet wijzigen.",
    )
    current = (
        LetterParticulars.objects.select_for_update().filter(organisation=organisation).first()
    )
    if current is None:
        current = LetterParticulars(organisation=organisation)
    else:
        check_version(current, seen_version, f"De briefgegevens van {organisation}")
    for name, value in fields.items():
        setattr(current, name, value)
    stamp(current, user)
    current.save()
    return current
