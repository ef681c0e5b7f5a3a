import datetime
from decimal import Decimal as D

import pytest

from finance import demo
from finance.models import BudgetYear
from tests.conftest import make_organisation, make_position, make_project

# Only confirmed positions carry money (issue 13); the fixtures' positions are confirmed.
CONFIRMED = {
    "status": "bevestigd",
    "decision_reference": "B-2024-1",
    "decision_date": datetime.date(2024, 1, 15),
}


@pytest.fixture
def budget_2024(core_municipalities):
    """The demo budget 2024 (seed 001) on the test's seven municipalities."""
    demo.load()
    return BudgetYear.objects.get(year=2024)


@pytest.fixture
def mbo(core_municipalities, theme, budget_2024):
    """A project running 2024-2025 with every kind of position."""
    orgs = core_municipalities
    project = make_project(
        "MBO-aanpak",
        theme=theme,
        lead=orgs["Dordrecht"],
        status="lopend",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2025, 12, 31),
        participant_funding=D("400000"),
        # Not all seven decided: the project's decision closed the coalition with these.
        coalition_closed_on=datetime.date(2024, 1, 15),
        coalition_reference="B-2024-coalitie",
    )
    make_position(project, orgs["Dordrecht"], "volledig", **CONFIRMED)
    make_position(project, orgs["Zwijndrecht"], "volledig", **CONFIRMED)
    make_position(project, orgs["Sliedrecht"], "solidariteit", amount=D("20000"), **CONFIRMED)
    make_position(
        project,
        orgs["Alblasserdam"],
        "instap",
        amount=D("5000"),
        entry_date=datetime.date(2024, 9, 1),
        **CONFIRMED,
    )
    make_position(project, orgs["Papendrecht"], "geen", **CONFIRMED)
    school = make_organisation("Da Vinci College", kind="partner")
    make_position(project, school, "volledig", amount=D("60000"), **CONFIRMED)
    return project


@pytest.fixture
def particulars(core_municipalities):
    """The demo's letter particulars of the seven: a letter is issued only with them."""
    demo.particulars()
