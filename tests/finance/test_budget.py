"""Budget services: all or nothing, and history with the acting user."""

from decimal import Decimal as D

import pytest
from django.db import IntegrityError

from finance import budget as budgets
from finance.models import BudgetLine, BudgetYear, Financing, LetterText
from smartdelta.errors import DomainError


def test_opening_a_year_that_fails_half_way_leaves_nothing(
    budget_2024, programme_office, monkeypatch
):
    def broken(*args, **kwargs):
        raise IntegrityError("schijf vol")

    monkeypatch.setattr(Financing, "save", broken)
    with pytest.raises(IntegrityError):
        budgets.open_next_year(programme_office, budget_2024, D("2"))
    assert not BudgetYear.objects.filter(year=2025).exists()
    assert BudgetLine.objects.count() == 10
    assert (
        not BudgetLine.history.filter(budget_id__isnull=False)
        .exclude(budget_id=budget_2024.pk)
        .exists()
    )


def test_open_next_year_records_the_acting_user_on_every_row(budget_2024, programme_office):
    new = budgets.open_next_year(programme_office, budget_2024, D("3"))
    rows = [
        *BudgetYear.history.filter(id=new.pk),
        *BudgetLine.history.filter(budget_id=new.pk),
        *Financing.history.filter(budget_id=new.pk),
        *LetterText.history.filter(budget_id=new.pk),
    ]
    assert len(rows) == 1 + 10 + 1 + 1
    assert {row.history_user for row in rows} == {programme_office}


def test_a_negative_indexation_lowers_amounts_and_never_below_zero(budget_2024, programme_office):
    new = budgets.open_next_year(programme_office, budget_2024, D("-50"))
    assert new.lines.get(name="Communicatie").amount == D("100000.00")
    with pytest.raises(DomainError):
        budgets.open_next_year(programme_office, budget_2024, D("1"))


def test_the_database_refuses_negative_lines_whatever_the_path(budget_2024):
    line = budget_2024.lines.first()
    line.amount = D("-1")
    with pytest.raises(IntegrityError):
        line.save()


def test_the_letter_default_text_is_not_saved_until_written(core_municipalities):
    import datetime

    budget = BudgetYear.objects.create(year=2030, reference_date=datetime.date(2030, 1, 1))
    letter = budgets.letter_for(budget)
    assert letter.pk is None and "2030" in letter.subject
    assert not LetterText.objects.exists()
