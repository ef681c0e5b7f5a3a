"""The multiplier (issue 27, seed 001): committed and received outside money per euro the seven
pay, per theme and in total; hoped money never counts."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from finance import multiplier
from finance.models import Financing, FinancingStatus, ProjectYear
from portfolio.models import ExternalFunding, FundingStatus
from tests.conftest import client_for, make_position, make_project, make_theme

from .conftest import CONFIRMED

Y2024 = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))


def paid_project(name, theme, payer, cost, run=Y2024, **fields):
    """A project whose coalition the project's decision closed with `payer`, the one full
    participant: `payer` pays all of `cost`, spread over the run's calendar years."""
    project = make_project(
        name,
        theme=theme,
        lead=payer,
        status=fields.pop("status", "lopend"),
        start_date=run[0],
        end_date=run[1],
        participant_funding=cost,
        coalition_closed_on=datetime.date(2024, 1, 15),
        coalition_reference="B-2024-coalitie",
        **fields,
    )
    make_position(project, payer, "volledig", **CONFIRMED)
    return project


def outside(project, amount, status, source="rijk"):
    return ExternalFunding.objects.create(
        project=project, source=source, amount=amount, status=status
    )


def row_of(result, theme):
    return next(row for row in result.themes if row.theme == theme)


@pytest.fixture
def energy(db):
    return make_theme("Energietransitie", order=5)


# --- Pure parts ------------------------------------------------------------------------------


def test_a_projects_amount_falls_evenly_over_the_calendar_years_of_its_run():
    start, end = datetime.date(2024, 3, 1), datetime.date(2026, 6, 30)
    parts = [multiplier.year_part(D("100000"), start, end, y) for y in (2024, 2025, 2026)]
    assert parts == [D("33333.34"), D("33333.33"), D("33333.33")]
    assert multiplier.year_part(D("100000"), start, end, 2023) == 0
    assert multiplier.year_part(D("100000"), start, end, 2027) == 0
    # Without an end date the run is its first year; without a start there is no run.
    assert multiplier.year_part(D("500"), start, None, 2024) == D("500.00")
    assert multiplier.year_part(D("500"), start, None, 2025) == 0
    assert multiplier.year_part(D("500"), None, None, 2024) == 0


def test_the_factor_has_one_decimal_two_below_one_and_none_without_money_of_the_seven():
    row = multiplier.MultiplierRow
    assert row("x", outside=D("240000"), own=D("100000")).factor == D("2.4")
    assert row("x", outside=D("2000"), own=D("100000")).factor == D("0.02")
    assert row("x", outside=D("0"), own=D("100000")).factor == D("0.00")
    assert row("x", outside=D("240000"), own=D("0")).factor is None


def test_financing_and_outside_money_share_one_definition_of_their_status():
    assert FinancingStatus is FundingStatus
    assert FundingStatus.counting() == [FundingStatus.COMMITTED, FundingStatus.RECEIVED]


# --- From the financing records -------------------------------------------------------------


def test_hoped_money_never_counts(budget_2024, dordrecht, theme):
    project = paid_project("Hoop", theme, dordrecht, D("100000"))
    outside(project, D("500000"), FundingStatus.HOPED)
    Financing.objects.create(
        budget=budget_2024,
        kind="subsidie",
        description="Aangevraagde subsidie",
        amount=D("900000"),
        status=FinancingStatus.HOPED,
    )
    result = multiplier.for_year(budget_2024)
    row = row_of(result, theme)
    assert (row.outside, row.hoped, row.own) == (0, D("500000"), D("100000"))
    assert row.factor == 0
    assert result.budget.outside == 0
    # The demo budget's hoped neighbours (250,000), the subsidy and the project's hope.
    assert result.total.outside == 0
    assert result.total.hoped == D("250000") + D("900000") + D("500000")


def test_committed_and_received_money_counts(budget_2024, dordrecht, theme):
    project = paid_project("Telt", theme, dordrecht, D("100000"))
    outside(project, D("150000"), FundingStatus.COMMITTED, source="regio_deal")
    outside(project, D("90000"), FundingStatus.RECEIVED, source="provincie")
    row = row_of(multiplier.for_year(budget_2024), theme)
    assert row.outside == D("240000")
    assert row.own == ProjectYear.objects.get(project=project, year=2024).core == D("100000")
    assert row.factor == D("2.4")


def test_per_theme_and_in_total_with_the_budgets_own_financing(
    budget_2024, dordrecht, zwijndrecht, theme, energy
):
    work = paid_project("Werk", theme, dordrecht, D("200000"))
    outside(work, D("300000"), FundingStatus.RECEIVED, source="regio_deal")
    heat = paid_project(
        "Warmte",
        energy,
        zwijndrecht,
        D("100000"),
        run=(datetime.date(2024, 1, 1), datetime.date(2025, 12, 31)),
    )
    outside(heat, D("800000"), FundingStatus.COMMITTED)  # 400,000 in 2024
    for kind, status, amount in [
        ("subsidie", FinancingStatus.COMMITTED, D("100000")),
        ("partner", FinancingStatus.RECEIVED, D("50000")),
        ("overig", FinancingStatus.RECEIVED, D("70000")),  # no attracted money
    ]:
        Financing.objects.create(
            budget=budget_2024, kind=kind, description=kind, amount=amount, status=status
        )

    result = multiplier.for_year(budget_2024)
    work_row, energy_row = row_of(result, theme), row_of(result, energy)
    assert (work_row.outside, work_row.own, work_row.factor) == (
        D("300000"),
        D("200000"),
        D("1.5"),
    )
    assert (energy_row.outside, energy_row.own, energy_row.factor) == (
        D("400000"),
        D("50000"),
        D("8.0"),
    )
    assert (result.budget.outside, result.budget.own) == (D("150000"), D("4750000"))
    total = result.total
    assert total.outside == D("300000") + D("400000") + D("150000")
    assert total.own == D("200000") + D("50000") + D("4750000")
    assert total.factor == D("0.17")  # 850,000 / 5,000,000
    # The table's lines add up to its total.
    assert sum(r.outside for r in result.rows) == total.outside
    assert sum(r.own for r in result.rows) == total.own


def test_a_project_counts_only_in_a_year_its_coalition_is_final(
    budget_2024, core_municipalities, theme
):
    orgs = core_municipalities
    # Two of the seven confirmed, nothing closed the coalition: it binds no one yet.
    open_project = make_project(
        "Open",
        theme=theme,
        lead=orgs["Dordrecht"],
        status="lopend",
        start_date=Y2024[0],
        end_date=Y2024[1],
        participant_funding=D("100000"),
    )
    for name in ("Dordrecht", "Zwijndrecht"):
        make_position(open_project, orgs[name], "volledig", **CONFIRMED)
    outside(open_project, D("400000"), FundingStatus.RECEIVED)
    result = multiplier.for_year(budget_2024)
    row = row_of(result, theme)
    assert (row.outside, row.own, row.waiting) == (0, 0, D("400000"))
    assert row.factor is None
    assert result.total.waiting == D("400000")
    assert result.waiting_themes == [row]


def test_ideas_stopped_projects_and_other_years_do_not_count(budget_2024, dordrecht, theme):
    for status in ("idee", "gestopt"):
        outside(
            paid_project(status, theme, dordrecht, D("1000"), status=status),
            D("10000"),
            FundingStatus.RECEIVED,
        )
    later = paid_project(
        "Later", theme, dordrecht, D("1000"), run=(datetime.date(2025, 1, 1), None)
    )
    outside(later, D("10000"), FundingStatus.RECEIVED)
    result = multiplier.for_year(budget_2024)
    assert result.themes == []  # none of them is a project of 2024
    assert (result.total.outside, result.total.waiting) == (0, 0)


def test_without_money_of_the_seven_the_page_writes_a_dash_and_says_why(
    budget_2024, councillor_dordrecht, core_municipalities, theme
):
    # A project whose coalition is still open: the seven pay nothing for it that binds.
    open_project = make_project(
        "Open",
        theme=theme,
        lead=core_municipalities["Dordrecht"],
        status="lopend",
        start_date=Y2024[0],
        end_date=Y2024[1],
        participant_funding=D("100000"),
    )
    outside(open_project, D("400000"), FundingStatus.COMMITTED)
    html = client_for(councillor_dordrecht).get("/begroting/2024/").text
    assert 'headers="multiplier-r1 multiplier-factor">–<sup>' in html
    assert "niets voor deze regel, dus is er geen multiplier te berekenen" in html
    assert "Daarom wacht nog €\xa0400.000,00 toegezegd of ontvangen extern geld" in html


def test_a_theme_without_projects_in_the_year_is_left_out(budget_2024, dordrecht, theme):
    make_theme("Energietransitie", order=5)
    paid_project("Werk", theme, dordrecht, D("1000"))
    result = multiplier.for_year(budget_2024)
    assert [row.label for row in result.themes] == ["Werken en Economie"]


def test_the_budget_page_shows_the_multiplier_the_dutch_way(
    budget_2024, councillor_dordrecht, dordrecht, theme
):
    project = paid_project("Telt", theme, dordrecht, D("100000"))
    outside(project, D("240000"), FundingStatus.COMMITTED)
    html = client_for(councillor_dordrecht).get("/begroting/2024/").content.decode()
    assert '<h2 class="utrecht-heading-2" id="multiplier">Multiplier</h2>' in html
    assert '<caption id="multiplier-caption">Multiplier 2024' in html
    assert (
        '<th scope="row" id="multiplier-r1" headers="multiplier-wat">Werken en Economie</th>'
        in html
    )
    assert 'headers="multiplier-r1 multiplier-extern">€\xa0240.000,00</td>' in html
    assert 'headers="multiplier-r1 multiplier-factor">2,4×</td>' in html
    # The budget's own financing is not tied to a theme, and the page says so.
    assert "niet aan een thema gebonden" in html
    assert "Gehoopt geld telt nooit mee." in html


@pytest.mark.parametrize("extra", [0, 10])
def test_the_query_count_stays_the_same_when_projects_grow(
    budget_2024, dordrecht, theme, energy, django_assert_num_queries, extra
):
    for n in range(1 + extra):
        project = paid_project(f"Project {n}", energy if n % 2 else theme, dordrecht, D("1000"))
        outside(project, D("5000"), FundingStatus.COMMITTED)
        outside(project, D("700"), FundingStatus.HOPED)
    financing = list(budget_2024.financing.all())
    # What the seven pay per theme, summed by the database, and the funded projects' outside
    # money by status: two queries however many projects the year has.
    with django_assert_num_queries(2):
        result = multiplier.for_year(budget_2024, financing)
    assert result.total.outside == D("5000") * (1 + extra)
    assert result.total.hoped == D("700") * (1 + extra) + D("250000")
    # Without the financing read already: one more query.
    with django_assert_num_queries(3):
        multiplier.for_year(budget_2024)


def test_the_demo_counts_the_regio_deal_and_not_the_hoped_provincial_money(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    statuses = {
        (f.project.name, f.source): f.status
        for f in ExternalFunding.objects.select_related("project")
    }
    assert statuses[("MBO-aanpak", "regio_deal")] == FundingStatus.RECEIVED
    assert statuses[("Maakfabriek", "provincie")] == FundingStatus.HOPED
    assert FundingStatus.HOPED in statuses.values()


def test_outside_money_kept_in_the_portal_moves_the_multiplier(
    budget_2024, dordrecht, theme, programme_office
):
    """Issue 30: the programme office's page is the source of a project's outside money."""
    from django.urls import reverse

    project = paid_project("Portaal", theme, dordrecht, D("100000"))
    client = client_for(programme_office)
    client.post(
        reverse("portfolio:funding-create", args=[project.pk]),
        {"source": "eu", "amount": "300.000", "status": "gehoopt"},
    )
    assert row_of(multiplier.for_year(budget_2024), theme).factor == 0
    row = ExternalFunding.objects.get(project=project)
    client.post(
        reverse("portfolio:funding-edit", args=[project.pk, row.pk]),
        {"source": "eu", "amount": "300.000", "status": "toegezegd", "version": row.version},
    )
    assert row_of(multiplier.for_year(budget_2024), theme).factor == D("3.0")
    row.refresh_from_db()
    client.post(
        reverse("portfolio:funding-remove", args=[project.pk, row.pk]), {"version": row.version}
    )
    assert row_of(multiplier.for_year(budget_2024), theme).outside == 0


def test_a_project_moved_to_another_theme_moves_its_money_in_the_multiplier(
    budget_2024, dordrecht, theme, energy
):
    """Each kept year row holds its project's theme (the multiplier sums them per theme from
    the rows alone): saving the project under another theme writes its rows again."""
    work = paid_project("Werk", theme, dordrecht, D("200000"))
    assert set(ProjectYear.objects.filter(project=work).values_list("theme_id", flat=True)) == {
        theme.pk
    }
    work.theme = energy
    work.save()
    assert set(ProjectYear.objects.filter(project=work).values_list("theme_id", flat=True)) == {
        energy.pk
    }
    result = multiplier.for_year(budget_2024)
    assert row_of(result, energy).own == D("200000")
    assert theme.pk not in {row.theme.pk for row in result.themes}
