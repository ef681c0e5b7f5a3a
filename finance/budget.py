"""Changing budgets: the only writers of budget years, lines, financing and letter text.

Each function runs in one transaction (a failure half-way leaves nothing behind), checks the
version the user started from (nothing is silently overwritten), and raises DomainError with
a Dutch message when it refuses. django-simple-history records the acting user: views run
inside a request (HistoryRequestMiddleware), commands inside `smartdelta.history.acting_as`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction

from smartdelta.errors import ConflictError, DomainError
from smartdelta.formatting import format_dutch_number

from . import allocation
from .models import BudgetLine, BudgetStatus, BudgetYear, Financing, LetterText

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


def _bump(instance, expected_version: int | None, what: str):
    """Optimistic locking: refuse when the row changed since the user loaded it."""
    if expected_version is not None and instance.version != expected_version:
        raise ConflictError(
            f"{what} is intussen door iemand anders gewijzigd. Laad de pagina opnieuw en "
            "breng uw wijziging opnieuw aan."
        )
    instance.version += 1


@transaction.atomic
def save_budget(
    budget: BudgetYear,
    fields: dict,
    expected_version: int | None,
    lines=None,
    financing=None,
) -> BudgetYear:
    """Save a budget year with its lines and financing formsets, all or nothing.

    `lines` and `financing` are bound, valid model formsets of this budget (or None).
    """
    locked = BudgetYear.objects.select_for_update().get(pk=budget.pk)
    _bump(locked, expected_version, f"De begroting {locked.year}")
    for name, value in fields.items():
        setattr(locked, name, value)
    try:
        locked.save()
        for formset in (lines, financing):
            if formset is not None:
                for form in formset.forms:
                    form.instance.budget = locked
                formset.save()
    except IntegrityError as error:
        raise DomainError(
            "Opslaan lukte niet: elke post mag één keer voorkomen en bedragen zijn niet negatief."
        ) from error
    return locked


@transaction.atomic
def open_next_year(budget: BudgetYear, indexation: Decimal) -> BudgetYear:
    """A concept budget for the next year: every line and contribution raised by `indexation`.

    Realisation and carried-over money start empty: they are known only later.
    """
    year = budget.year + 1
    if BudgetYear.objects.filter(year=year).exists():
        raise DomainError(f"Er bestaat al een begroting {year}.")
    try:
        new = BudgetYear.objects.create(
            year=year,
            status=BudgetStatus.CONCEPT,
            indexation_percent=indexation,
            reference_date=datetime.date(year, 1, 1),
            note=f"Geopend vanuit {budget.year} met {format_dutch_number(indexation)} % indexatie.",
        )
    except IntegrityError as error:  # opened by someone else at the same moment
        raise DomainError(f"Er bestaat al een begroting {year}.") from error
    for line in budget.lines.all():
        BudgetLine.objects.create(
            budget=new,
            name=line.name,
            component=line.component,
            amount=allocation.index_amount(line.amount, indexation),
            order=line.order,
        )
    for item in budget.financing.all():
        Financing.objects.create(
            budget=new,
            kind=item.kind,
            organisation=item.organisation,
            description=item.description,
            amount=allocation.index_amount(item.amount, indexation),
        )
    letter = getattr(budget, "letter", None)
    source = (
        {name: getattr(letter, name) for name in DEFAULT_LETTER}
        if letter
        else default_letter(budget.year)
    )
    LetterText.objects.create(budget=new, **_with_year(source, budget.year, year))
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
def save_letter(budget: BudgetYear, fields: dict, expected_version: int | None) -> LetterText:
    letter = LetterText.objects.select_for_update().filter(budget=budget).first()
    if letter is None:
        letter = LetterText(budget=budget)
    else:
        _bump(letter, expected_version, "De tekst van de raadsinformatiebrief")
    for name, value in fields.items():
        setattr(letter, name, value)
    letter.save()
    return letter
