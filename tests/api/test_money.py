"""The API's money equals the council letters to the cent (issue 28): for every adopted budget
year and each of the seven, the bijdragen in eurocents are the amounts the letter states
(`finance.letters.letter_figures`, what an issued letter keeps), and so the public budget page's."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from finance import budget as budgets
from finance import letters
from finance.models import BudgetYear
from openbaar import gate

from .conftest import body

pytestmark = pytest.mark.django_db


def cents(text: str) -> int:
    value = Decimal(text) * 100
    assert value == value.to_integral_value(), text
    return int(value)


def test_every_contribution_equals_its_council_letter_to_the_cent(world):
    # A second adopted year beside the demo's 2024 (opened from it, indexed, then adopted), so
    # "every year" means more than one.
    office = world["office"]
    opened = budgets.open_next_year(office, BudgetYear.objects.get(year=2024), Decimal("2.5"))
    budgets.adopt_budget(office, opened, opened.version, datetime.date(2025, 1, 15), "RB-2025-01")
    years = sorted(gate.budgets().values_list("year", flat=True))
    assert len(years) >= 2
    client = Client()
    compared = 0
    for year in years:
        page = body(client.get(f"/api/v1/bijdragen?jaar={year}"))["_embedded"]["bijdragen"]
        by_slug = {row["_links"]["organisatie"]["href"].rsplit("/", 1)[1]: row for row in page}
        assert set(by_slug) == set(gate.core_municipalities().values_list("slug", flat=True))
        for organisation in gate.core_municipalities():
            letter = letters.letter_figures(letters.letter_context(organisation, year))
            row = by_slug[organisation.slug]
            assert row["jaar"] == year
            assert row["component1"] == cents(letter["component_1"]), (year, organisation)
            assert row["component2"] == cents(letter["component_2"]), (year, organisation)
            assert row["component3"] == cents(letter["component_3"]), (year, organisation)
            assert row["totaal"] == cents(letter["total"]), (year, organisation)
            assert row["totaal"] == row["component1"] + row["component2"] + row["component3"]
            compared += 1
    assert compared == 7 * len(years)
    # Something is paid: a comparison of zeros would prove nothing.
    assert sum(r["totaal"] for r in body(client.get("/api/v1/bijdragen"))["_embedded"]["bijdragen"])


def test_the_issued_letter_and_the_api_state_the_same_cents(world):
    letter = world["letter"]
    row = body(Client().get(f"/api/v1/bijdragen?jaar={letter.budget.year}&organisatie=dordrecht"))[
        "_embedded"
    ]["bijdragen"]
    assert len(row) == 1
    kept = letter.figures
    assert [row[0][k] for k in ("component1", "component2", "component3", "totaal")] == [
        cents(kept[k]) for k in ("component_1", "component_2", "component_3", "total")
    ]
    assert row[0]["component3"] > 0


def test_the_budget_states_its_lines_and_contribution_in_cents(world):
    budget = BudgetYear.objects.get(year=2024)
    found = body(Client().get("/api/v1/begrotingen/2024"))
    assert found["inwonerbijdrage"] == cents(str(budget.contribution))
    lines = {(line.name, line.component): line.amount for line in budget.lines.all()}
    assert {(p["naam"], p["component"]): p["bedrag"] for p in found["posten"]} == {
        key: cents(str(amount)) for key, amount in lines.items()
    }
