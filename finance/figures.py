"""The figures of budget years as pages, exports and letters read them, from stored rows.

Components 1 and 2 are computed when read: the agreed inwonerbijdrage divided over the seven by
their inhabitants on the budget's reference date (a handful of numbers, finance.allocation).
Component 3 is read from the `ProjectYear` and `Share` rows that `finance.shares` keeps, with
plain aggregate queries: nothing is kept between requests, so there is nothing to invalidate.
A what-if (`Scenario`) computes its one project again in memory and shows the difference.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Subquery

from portfolio.models import EntryPayment, PositionStatus, Project
from results import exploitation
from smartdelta.models import InhabitantCount, Organisation
from tables.models import Company

from . import allocation, shares
from .models import (
    BudgetLine,
    BudgetYear,
    Component,
    Financing,
    PartyYear,
    ProjectYear,
    Share,
    YearTotal,
)

ZERO = allocation.ZERO
OUTLOOK_YEARS = 4  # the budget year and the three after it


@dataclass(frozen=True)
class Scenario:
    """A what-if: one organisation's position on one project replaced, and/or extra financing."""

    project_id: int | None = None
    organisation_id: int | None = None
    position: allocation.Participation | None = None  # None with a project: the position is removed
    extra_financing: Decimal = ZERO

    @property
    def changes_position(self) -> bool:
        return self.project_id is not None and self.organisation_id is not None


@dataclass
class MunicipalityRow:
    organisation: Organisation
    inhabitants: InhabitantCount | None
    reference_date: object
    c1: Decimal
    c2: Decimal
    c3: Decimal
    c3_forecast: Decimal = ZERO
    c3_maximum: Decimal = ZERO
    projects: int = 0  # how many projects it pays for, binding, as prognose or as maximum
    paying: int = 0  # how many of them bind it (money)

    @property
    def base(self) -> Decimal:
        return self.c1 + self.c2

    @property
    def total(self) -> Decimal:
        return self.c1 + self.c2 + self.c3

    @property
    def total_forecast(self) -> Decimal:
        return self.c1 + self.c2 + self.c3_forecast

    @property
    def per_inhabitant(self) -> Decimal | None:
        if not self.inhabitants:
            return None
        return allocation.cents(self.total / self.inhabitants.inhabitants)

    @property
    def count_is_older(self) -> bool:
        """The municipality's count is of an earlier date than the budget's reference date."""
        return bool(self.inhabitants) and self.inhabitants.reference_date < self.reference_date


@dataclass
class Component3:
    """The year's projects together: the agreed inwonerbijdrage beside them for the pages."""

    contribution: Decimal
    component3_cost: Decimal = ZERO  # the cost of the projects whose coalition is final
    component3_total: Decimal = ZERO  # what their participants pay
    gap_total: Decimal = ZERO
    surplus_total: Decimal = ZERO
    outside_core_component3: Decimal = ZERO
    open_cost: Decimal = ZERO  # the cost of the projects whose coalition is still open
    open_count: int = 0

    @property
    def all_cost(self) -> Decimal:
        """The cost of every project of the year, whether its coalition is final or open."""
        return self.component3_cost + self.open_cost


@dataclass
class YearFigures:
    budget: BudgetYear
    lines: list
    financing: list
    cores: list[Organisation]
    inhabitants: dict[int, InhabitantCount]
    result: Component3
    balance: allocation.Balance
    rows: list[MunicipalityRow] = field(default_factory=list)
    scenario: Scenario | None = None

    @property
    def version_label(self) -> str:
        return self.budget.version_label(getattr(self.budget, "amendment_count", 0))

    # Lines and financing -----------------------------------------------------------------
    def lines_by_component(self) -> list[dict]:
        groups = []
        for component in Component:
            lines = [line for line in self.lines if line.component == component]
            budgeted = sum((line.amount for line in lines), ZERO)
            realised_lines = [line for line in lines if line.realised is not None]
            realised = sum((line.realised for line in realised_lines), ZERO)
            groups.append(
                {
                    "component": component,
                    "lines": lines,
                    "amount": budgeted,
                    "realised": realised if realised_lines else None,
                    "difference": realised - budgeted if realised_lines else None,
                }
            )
        return groups

    @property
    def lines_total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def base_lines_total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.component != 3), ZERO)

    @property
    def committed_financing(self) -> list:
        return [f for f in self.financing if f.covers]

    @property
    def hoped_financing(self) -> list:
        return [f for f in self.financing if not f.covers]

    @property
    def rate(self) -> Decimal:
        """The inwonerbijdrage per inhabitant, in cents."""
        counts = {pk: c.inhabitants for pk, c in self.inhabitants.items()}
        return allocation.rate_per_inhabitant(self.result.contribution, counts)

    @property
    def total_inhabitants(self) -> int:
        return sum(c.inhabitants for c in self.inhabitants.values())

    @property
    def older_counts(self) -> list[MunicipalityRow]:
        return [row for row in self.rows if row.count_is_older]

    def totals(self) -> dict[str, Decimal]:
        c1 = sum((r.c1 for r in self.rows), ZERO)
        c2 = sum((r.c2 for r in self.rows), ZERO)
        c3 = sum((r.c3 for r in self.rows), ZERO)
        c3_forecast = sum((r.c3_forecast for r in self.rows), ZERO)
        return {
            "c1": c1,
            "c2": c2,
            "c3": c3,
            "base": c1 + c2,
            "total": c1 + c2 + c3,
            "c3_forecast": c3_forecast,
            "total_forecast": c1 + c2 + c3_forecast,
        }

    def row_for(self, organisation_id: int) -> MunicipalityRow | None:
        return next((r for r in self.rows if r.organisation.pk == organisation_id), None)

    def project_rows(self):
        """Component 3 per project (a query: the view reads a page of it): those with a
        financing gap first, then the most expensive."""
        return (
            ProjectYear.objects.filter(year=self.budget.year)
            .select_related("project")
            .only("project__name", *PROJECT_YEAR_FIELDS)
            .order_by("-gap", "-year_cost", "project_id")
        )


PROJECT_YEAR_FIELDS = [
    "year",
    "binding",
    "year_cost",
    "core",
    "others",
    "gap",
    "surplus",
    "forecast_gap",
]


@dataclass(frozen=True)
class UnsecuredTail:
    """A project's running cost after its subsidy that nobody carries (`results.exploitation`),
    divided over the core municipalities taking part in it: each one's indicative part.

    An indication of what is not secured, not a contribution: no municipality committed to pay
    it, and it is never added to what a municipality pays (the "Totaal" of the raming).
    """

    project_id: int
    project_name: str
    yearly_cost: Decimal
    from_year: int
    is_demo: bool
    parts: dict[int, Decimal]  # municipality -> its indicative part per year


def divide_tail(tail: exploitation.Tail, inhabitants: dict[int, int]) -> dict[int, Decimal]:
    """The indicative part of each participating municipality in `tail`'s yearly cost, by the
    project's sharing key, to the cent and adding up exactly (`allocation.largest_remainder`).

    An indication of what is not secured, not a contribution. By inhabitants (of the budget's
    reference date, as the raming's inwonerbijdrage); by the agreed percentages in force,
    scaled to the whole cost (a participant without a percentage gets no part); equally when
    the key is equal parts, or when an inhabitant count or every percentage is missing.
    """
    parties = [p.organisation_id for p in tail.participants]
    weights: dict[int, Decimal | int] = dict.fromkeys(parties, 1)
    if tail.sharing_key == allocation.PERCENTAGES:
        percents = {p.organisation_id: p.share or ZERO for p in tail.participants}
        if sum(percents.values(), ZERO) > 0:
            weights = percents
    elif tail.sharing_key == allocation.INHABITANTS and all(inhabitants.get(p) for p in parties):
        weights = {p: inhabitants[p] for p in parties}
    return allocation.largest_remainder(tail.yearly_cost, weights)


@dataclass(frozen=True)
class Operation:
    """The yearly exploitation of an uitvoeringsorganisatie the seven own, as the raming shows it
    from its first year on: inside the inwonerbijdrage, never added to what a municipality pays.

    Seed 000, "Exploitatie": "Via Smart Delta Begroting werken en economie (inwonerbijdrage);
    Dekking Exploitatielast (personeel, huisvesting etc.) 390.000; Structurele inbreng van
    €40.000 vanuit Regionaal Werkcentrum". Whether that budget line grows for it is not decided
    in any seed, so the pages show it as an indication within the line, not as a charge."""

    name: str
    cost: Decimal
    work_centre: Decimal
    from_year: int
    line_name: str
    is_demo: bool

    @property
    def via_contribution(self) -> Decimal:
        """What the seven's inwonerbijdrage (through the budget line) covers of it."""
        return self.cost - self.work_centre


# The company's fields the raming shows, read as scalar subqueries of the budget years' query
# (`Figures.read`), so the pages ask no query more for it (tests/bench/test_query_bounds.py).
# Seed 000 founds one uitvoeringsorganisatie: the first recorded.
OPERATION_FIELDS = {
    "name": "name",
    "cost": "operating_cost",
    "work_centre": "work_centre_contribution",
    "from_year": "exploitation_from",
    "line_name": "budget_line_name",
    "is_demo": "is_demo",
}


def _operation_annotations() -> dict:
    first = Company.objects.order_by("pk")
    return {
        f"operation_{key}": Subquery(first.values(column)[:1])
        for key, column in OPERATION_FIELDS.items()
    }


def operation_of(budget: BudgetYear) -> Operation | None:
    """The exploitation read with `budget` (`_operation_annotations`), or None without one."""
    values = {key: getattr(budget, f"operation_{key}", None) for key in OPERATION_FIELDS}
    if values["name"] is None:
        return None
    # SQLite gives a decimal subquery back as a number: to cents, as the column stores it.
    for key in ("cost", "work_centre"):
        values[key] = Decimal(str(values[key])).quantize(Decimal("0.01"))
    values["is_demo"] = bool(values["is_demo"])
    return Operation(**values)


@dataclass
class OutlookYear:
    """One year of the meerjarenraming: the inwonerbijdrage and component 3 per municipality,
    and beside them the unsecured exploitation tails (never part of what it pays).

    `basis` says where the inwonerbijdrage comes from: "vastgesteld" (that year's adopted
    budget), "concept" (its budget is not yet adopted), "besloten" (the year before was decided
    to continue unchanged) or "aanname" (the year before with the expected indexation)."""

    year: int
    contribution: Decimal
    basis: str
    base: dict[int, Decimal]
    c3: dict[int, Decimal]
    c3_forecast: dict[int, Decimal]
    # Every unsecured tail of the raming, divided over the seven: read when a page first asks
    # for them (one query for all the years of the raming), so a page without them asks none.
    all_tails: Callable[[], list[UnsecuredTail]] = list
    # The uitvoeringsorganisatie's exploitation, read with the budget years (`operation_of`).
    all_operations: Callable[[], list[Operation]] = list

    @property
    def assumed(self) -> bool:
        return self.basis == "aanname"

    @property
    def operations(self) -> list[Operation]:
        """The exploitations that run in this year: from their first year on (seed 000: the
        organisation is founded in 2026 and its exploitation budgeted from then)."""
        return [op for op in self.all_operations() if op.from_year <= self.year]

    @property
    def tails(self) -> list[UnsecuredTail]:
        """The tails running in this year: from their first year on."""
        return [tail for tail in self.all_tails() if tail.from_year <= self.year]

    def unsecured_for(self, party: int) -> Decimal:
        """The indicative part of `party` in the year's unsecured tails: not a contribution."""
        return sum((t.parts.get(party, ZERO) for t in self.tails), ZERO)

    @property
    def unsecured_total(self) -> Decimal:
        return sum((t.yearly_cost for t in self.tails), ZERO)

    def unsecured_projects(self, party: int) -> list[dict]:
        """The year's tails `party` takes part in, with its indicative part of each."""
        return [
            {
                "project_id": t.project_id,
                "name": t.project_name,
                "yearly_cost": t.yearly_cost,
                "from_year": t.from_year,
                "is_demo": t.is_demo,
                "part": t.parts[party],
            }
            for t in self.tails
            if party in t.parts
        ]

    def for_party(self, party: int) -> PartyOutlook:
        base = self.base.get(party, ZERO)
        c3 = self.c3.get(party, ZERO)
        c3_forecast = self.c3_forecast.get(party, ZERO)
        return PartyOutlook(
            self,
            party,
            {
                "year": self.year,
                "assumed": self.assumed,
                "basis": self.basis,
                "base": base,
                "c3": c3,
                "c3_forecast": c3_forecast,
                "total": base + c3,
                "total_forecast": base + c3_forecast,
            },
        )

    @property
    def c3_total(self) -> Decimal:
        return sum(self.c3.values(), ZERO)


class PartyOutlook(dict):
    """One municipality's year of the raming as the pages and the letter read it (a dict).

    Beside the totals, never in them: "unsecured", its indicative part of the exploitation that
    nobody carries after the subsidies, and "unsecured_projects", the projects it comes from.
    Those two are read when first asked for (`OutlookYear.all_tails`), so a page that shows
    only the money asks no query for them."""

    LAZY = {
        "unsecured": OutlookYear.unsecured_for,
        "unsecured_projects": OutlookYear.unsecured_projects,
        # The same for every municipality: inside its inwonerbijdrage, not beside it.
        "operations": lambda year, party: year.operations,
    }

    def __init__(self, year: OutlookYear, party: int, values: dict):
        super().__init__(values)
        self._year, self._party = year, party

    def __missing__(self, key):
        if key not in self.LAZY:
            raise KeyError(key)
        self[key] = value = self.LAZY[key](self._year, self._party)
        return value


# --- Reading -----------------------------------------------------------------------------------


def span(year: int) -> list[int]:
    """The years a page about `year` reads: the year before (comparison) to three after."""
    return list(range(year - 1, year + OUTLOOK_YEARS))


def core_municipalities() -> list[Organisation]:
    """The seven, each with `all_counts`: every inhabitant count, newest first."""
    return list(
        # With each one's letter particulars (a reverse one-to-one: the same query).
        Organisation.objects.core()
        .select_related("letter_particulars")
        .prefetch_related(
            Prefetch(
                "inhabitant_counts",
                queryset=InhabitantCount.objects.order_by("-reference_date"),
                to_attr="all_counts",
            )
        )
    )


def counts_on(cores: list[Organisation], date) -> dict[int, InhabitantCount]:
    """Each core municipality's latest inhabitant count on or before `date`."""
    counts = {}
    for org in cores:
        eligible = [c for c in org.all_counts if c.reference_date <= date]
        if eligible:
            counts[org.pk] = max(eligible, key=lambda c: c.reference_date)
    return counts


def base_budget(budget: BudgetYear, lines: list) -> allocation.BaseBudget:
    return allocation.BaseBudget(
        contribution=budget.contribution,
        component_lines={
            c: sum((line.amount for line in lines if line.component == c), ZERO) for c in (1, 2)
        },
    )


@dataclass
class Figures:
    """The budget years of a span with what component 3 asks in each year of it: read once
    per request, in a fixed number of queries whatever the number of projects."""

    budgets: dict[int, BudgetYear]
    cores: list[Organisation]
    # year -> party -> its PartyYear: money, forecast, maximum, counts of projects and positions
    paid: dict[int, dict[int, dict]]
    projects: dict[int, dict]  # year -> totals over its ProjectYear rows
    all_years: list[int] = field(default_factory=list)  # every budget year, read or not

    @classmethod
    def read(cls, years: Iterable[int]) -> Figures:
        years = sorted(set(years))
        # Every budget year (a few a decade), so the pages' list of years costs no query.
        every = list(
            BudgetYear.objects.annotate(
                amendment_count=Count("amendments"), **_operation_annotations()
            )
            .select_related("letter")  # the year's letter text (a reverse one-to-one)
            # Lines and financing of the years read only (opening a year copies them all).
            .prefetch_related(
                Prefetch("lines", queryset=BudgetLine.objects.filter(budget__year__in=years)),
                Prefetch(
                    "financing",
                    queryset=Financing.objects.filter(budget__year__in=years).select_related(
                        "organisation"
                    ),
                ),
            )
        )
        budgets = {b.year: b for b in every if b.year in years}
        all_years = sorted(b.year for b in every)
        if not budgets:
            return cls({}, [], {}, {}, all_years)
        # The kept totals (finance.shares): a row per party and year, one per year.
        paid: dict[int, dict] = {year: {} for year in years}
        fields = [*shares.PARTY_FIELDS, *shares.STANCE_FIELDS.values()]
        for row in PartyYear.objects.filter(year__in=years).values(
            "year", "organisation_id", *fields
        ):
            paid[row["year"]][row["organisation_id"]] = row
        projects = {
            row["year"]: row
            for row in YearTotal.objects.filter(year__in=years).values(
                "year",
                "cost",
                "core",
                "others",
                "gap",
                "surplus",
                "open_cost",
                "open_count",
                "projects",
            )
        }
        return cls(budgets, core_municipalities(), paid, projects, all_years)

    def paid_by(self, year: int, field: str, every_core: bool = False) -> dict[int, Decimal]:
        """What each party pays in `year` (`field`: money, forecast or maximum); with
        `every_core` each of the seven, 0 where it pays nothing."""
        paid = {party: row[field] for party, row in self.paid.get(year, {}).items()}
        if every_core:
            return {org.pk: paid.get(org.pk, ZERO) for org in self.cores}
        return paid

    def figures(self, year: int, scenario: Scenario | None = None) -> YearFigures | None:
        budget = self.budgets.get(year)
        if budget is None:
            return None
        lines = list(budget.lines.all())
        financing = list(budget.financing.all())
        inhabitants = counts_on(self.cores, budget.reference_date)
        counts = {pk: c.inhabitants for pk, c in inhabitants.items()}
        base = allocation.base_contributions(base_budget(budget, lines), counts)
        money = self.paid_by(year, "money")
        forecast = self.paid_by(year, "forecast")
        maximum = self.paid_by(year, "maximum")
        totals = self.projects.get(year, {})
        result = Component3(
            contribution=allocation.cents(budget.contribution),
            component3_cost=totals.get("cost") or ZERO,
            component3_total=(totals.get("core") or ZERO) + (totals.get("others") or ZERO),
            gap_total=totals.get("gap") or ZERO,
            surplus_total=totals.get("surplus") or ZERO,
            outside_core_component3=totals.get("others") or ZERO,
            open_cost=totals.get("open_cost") or ZERO,
            open_count=totals.get("open_count") or 0,
        )
        if scenario is not None and scenario.changes_position:
            _apply(scenario, year, money, forecast, maximum, result)
        extra = scenario.extra_financing if scenario else ZERO
        balance = allocation.budget_balance(
            lines=sum((line.amount for line in lines if line.component != 3), ZERO),
            contribution=budget.contribution,
            financing=[(f.amount, f.status) for f in financing]
            + ([(extra, allocation.COMMITTED)] if extra else []),
            carried_over=budget.carried_over,
        )
        rows = [
            MunicipalityRow(
                organisation=org,
                inhabitants=inhabitants.get(org.pk),
                reference_date=budget.reference_date,
                c1=base[1].get(org.pk, ZERO),
                c2=base[2].get(org.pk, ZERO),
                c3=money.get(org.pk, ZERO),
                c3_forecast=forecast.get(org.pk, ZERO),
                c3_maximum=maximum.get(org.pk, ZERO),
                projects=self.paid.get(year, {}).get(org.pk, {}).get("projects", 0),
                paying=self.paid.get(year, {}).get(org.pk, {}).get("paying", 0),
            )
            for org in self.cores
        ]
        return YearFigures(
            budget=budget,
            lines=lines,
            financing=financing,
            cores=self.cores,
            inhabitants=inhabitants,
            result=result,
            balance=balance,
            rows=rows,
            scenario=scenario,
        )

    def outlook(self, year: int) -> list[OutlookYear]:
        """The meerjarenraming from `year`: the inwonerbijdrage of each year (see OutlookYear)
        divided by the inhabitants of `year`'s reference date, and component 3 as stored.

        Beside them, each year's unsecured exploitation tails (`results.exploitation`), divided
        over the municipalities taking part by the project's key (`divide_tail`): one query,
        asked when a page first reads them (`PartyOutlook`). Beside them too, the exploitation
        of Smart Delta & Partners from its first year (`OutlookYear.operations`, read with the
        budget years): inside the inwonerbijdrage, never added to what a municipality pays.
        An indication of what is not secured after the subsidies, not a contribution: it is
        never added to `base`, `c3` or a total."""
        budget = self.budgets.get(year)
        if budget is None:
            return []
        inhabitants = counts_on(self.cores, budget.reference_date)
        counts = {pk: c.inhabitants for pk, c in inhabitants.items()}
        last = year + OUTLOOK_YEARS - 1

        @functools.cache
        def tails() -> list[UnsecuredTail]:
            return [
                UnsecuredTail(
                    project_id=tail.project_id,
                    project_name=tail.project_name,
                    yearly_cost=tail.yearly_cost,
                    from_year=tail.from_year,
                    is_demo=tail.is_demo,
                    parts=divide_tail(tail, counts),
                )
                for tail in exploitation.unsecured_tails([org.pk for org in self.cores], last)
            ]

        operation = operation_of(budget)
        years = []
        contribution = budget.contribution
        for y in range(year, year + OUTLOOK_YEARS):
            own = self.budgets.get(y)
            before = self.budgets.get(y - 1)
            if y == year:
                basis = "vastgesteld" if budget.is_adopted else "concept"
            elif own is not None and own.is_adopted:
                contribution, basis = own.contribution, "vastgesteld"
            elif before is not None and before.next_year_unchanged:
                basis = "besloten"  # the year before was decided to continue unchanged
            elif own is not None:
                contribution, basis = own.contribution, "concept"
            else:
                contribution = allocation.index_amount(contribution, budget.forecast_indexation)
                basis = "aanname"
            years.append(
                OutlookYear(
                    year=y,
                    contribution=contribution,
                    basis=basis,
                    base=allocation.largest_remainder(contribution, counts) if counts else {},
                    c3=self.paid_by(y, "money", every_core=True),
                    c3_forecast=self.paid_by(y, "forecast", every_core=True),
                    all_tails=tails,
                    all_operations=lambda: [operation] if operation else [],
                )
            )
        return years


def read(years: Iterable[int]) -> Figures:
    return Figures.read(years)


def load_figures(years: Iterable[int]) -> dict[int, YearFigures]:
    """The figures of each existing budget year among `years` (missing years are left out)."""
    figures = Figures.read(years)
    return {year: figures.figures(year) for year in figures.budgets}


# --- What-if -----------------------------------------------------------------------------------


def _as_row(organisation_id: int, position: allocation.Participation) -> dict:
    values = {
        "variant": position.variant,
        "amount": position.amount,
        "share": position.share,
        "entry_date": position.entry_date,
        "entry_payment": EntryPayment.YEARLY if position.yearly else EntryPayment.FEE,
    }
    return {
        "organisation_id": organisation_id,
        "status": PositionStatus.CONFIRMED,
        **values,
        **{f"in_force_{name}": value for name, value in values.items()},
    }


def _apply(scenario: Scenario, year: int, money, forecast, maximum, result: Component3) -> None:
    """Move the year's figures by the scenario's project as computed with its position."""
    project = Project.objects.filter(pk=scenario.project_id).first()
    if project is None:
        return
    rows = [
        row
        for row in shares._positions([project.pk])[project.pk]
        if row["organisation_id"] != scenario.organisation_id
    ]
    if scenario.position is not None:
        rows.append(_as_row(scenario.organisation_id, scenario.position))
    years, new = shares.project_rows(project, rows, shares.Basis.read())
    new = [s for s in new if s.year == year]
    old = list(Share.objects.filter(project=project, year=year))
    for sign, items in ((-1, old), (1, new)):
        for s in items:
            for totals, value in ((money, s.money), (forecast, s.forecast), (maximum, s.maximum)):
                totals[s.organisation_id] = totals.get(s.organisation_id, ZERO) + sign * value
    before = ProjectYear.objects.filter(project=project, year=year).first()
    after = next((y for y in years if y.year == year), None)
    for sign, row in ((-1, before), (1, after)):
        if row is None:
            continue
        result.gap_total += sign * row.gap
        result.surplus_total += sign * row.surplus
        result.component3_total += sign * (row.core + row.others)
        result.outside_core_component3 += sign * row.others
        if row.binding:
            result.component3_cost += sign * row.year_cost
        else:
            result.open_cost += sign * row.year_cost
            result.open_count += sign
