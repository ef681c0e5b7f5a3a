"""The figures of a budget year as pages, exports and letters read them.

`compute` turns loaded rows (finance.loading) into a `YearFigures`: what each of the seven pays
per component, component 3 per project, the budget balance with its financial challenge, and
the same computed with submitted positions as prognose. `outlook` gives the meerjarenraming:
the budget year and the three after it. The arithmetic itself is in finance.allocation.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from decimal import Decimal

from portfolio.models import CommitmentStatus, EntryPayment, Project
from smartdelta.models import InhabitantCount, Organisation

from . import allocation
from .loading import PositionRow, counts_on
from .models import BudgetYear, Component

ZERO = allocation.ZERO
OUTLOOK_YEARS = 4  # the budget year and the three after it

MONEY, FORECAST = "money", "forecast"


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
class YearFigures:
    budget: BudgetYear
    lines: list
    financing: list
    cores: list[Organisation]
    inhabitants: dict[int, InhabitantCount]
    projects: dict[int, Project]
    result: allocation.YearContributions
    forecast: allocation.YearContributions
    balance: allocation.Balance
    scenario: Scenario | None = None
    rows: list[MunicipalityRow] = field(default_factory=list)
    # Derived lists, made once per figures: the figures are cached across requests and pages
    # show a page of thousands of projects (a race only computes the same list twice).
    _memo: dict = field(default_factory=dict, repr=False, compare=False)
    # The sorted project lists made so far (`_sorted`), and those of the figures these follow
    # when only the positions of the projects `_changed` differ (`carry_from`): those lists
    # are then updated, not made again.
    _lists: dict = field(default_factory=dict, repr=False, compare=False)
    _earlier: dict = field(default_factory=dict, repr=False, compare=False)
    _changed: frozenset = field(default=frozenset(), repr=False, compare=False)

    def __post_init__(self):
        forecast = {org.pk: self.forecast.component3(org.pk) for org in self.cores}
        self.rows = [
            MunicipalityRow(
                organisation=org,
                inhabitants=self.inhabitants.get(org.pk),
                reference_date=self.budget.reference_date,
                c3_forecast=forecast[org.pk],
                **{k: v for k, v in self.result.for_party(org.pk).items() if k != "total"},
            )
            for org in self.cores
        ]

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

    # Totals ---------------------------------------------------------------------------------
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

    def project_rows(self) -> list[dict]:
        """Component 3 per project: cost this year, who pays, the gap, and the prognose; those
        with a financing gap first, then the most expensive."""
        return self._sorted("project_rows", self._project_rows, _gap_first)

    def carried(self) -> dict:
        """The sorted project lists made so far, for the figures that follow these."""
        return dict(self._lists)

    def carry_from(self, earlier: dict, changed: frozenset) -> None:
        """Take `earlier` (`carried()` of the figures these follow) as the base of the sorted
        project lists: these figures differ from those only in the positions of the projects
        `changed` (and so only in those projects' allocations and rows)."""
        self._earlier, self._changed = earlier, changed

    def _sorted(self, key, make, order) -> list[dict]:
        """The rows `make(project_ids)` of every project (`project_ids` None), sorted by `order`;
        kept with the figures. When the figures before the last saved positions had them: their
        rows without the changed projects, with those projects' rows made again and put in their
        place (a bisection in the sorted list, instead of going over thousands of projects)."""
        if key not in self._lists:
            before = self._earlier.get(key)
            if before is None:
                rows = make(None)
                rows.sort(key=order)
            else:
                changed = self._changed
                rows = [row for row in before if row["project"].id not in changed]
                for row in make(changed):
                    bisect.insort(rows, row, key=order)
            self._lists[key] = rows
        return self._lists[key]

    def _project_rows(self, only: frozenset | None = None) -> list[dict]:
        forecast = {a.project: a for a in self.forecast.projects}
        cores = self.inhabitants
        rows = []
        for alloc in self.result.projects:
            if only is not None and alloc.project not in only:
                continue
            ahead = forecast.get(alloc.project)
            core = others = ZERO
            for party, amount in alloc.payments.items():
                if party in cores:
                    core += amount
                else:
                    others += amount
            rows.append(
                {
                    "project": self.projects[alloc.project],
                    "year_cost": alloc.year_cost,
                    "core": core,
                    "others": others,
                    "gap": alloc.gap,
                    "surplus": alloc.surplus,
                    "forecast_gap": ahead.gap if ahead else alloc.gap,
                }
            )
        return rows

    def projects_of(self, organisation: Organisation) -> list[dict]:
        """Every counted project of the year with this organisation's position and payment,
        the largest payment first."""
        return self._sorted(
            ("projects_of", organisation.pk),
            lambda only: self._projects_of(organisation, only),
            _largest_payment_first,
        )

    def remembered(self, key, make):
        """`make()`, made once for these figures: they never change (a save makes new figures),
        so whatever is derived from them alone can be kept with them. `key` names it."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def _projects_of(self, organisation: Organisation, only: frozenset | None) -> list[dict]:
        # Thousands of projects at a time: plain loops and local names.
        org_id = organisation.pk
        paid = {a.project: a for a in self.result.projects}
        forecast = {a.project: a for a in self.forecast.projects}
        concept = CommitmentStatus.CONCEPT
        rows = []
        projects = self.projects
        if only is not None:
            projects = {pk: projects[pk] for pk in only if pk in projects}
        for project_id, project in projects.items():
            position = None
            for c in project.year_positions:
                if c.organisation_id == org_id:
                    # A concept is its own municipality's business until it is submitted.
                    position = None if c.status == concept else c
                    break
            alloc = paid.get(project_id)
            ahead = forecast.get(project_id)
            rows.append(
                {
                    "project": project,
                    "commitment": position,
                    "variant": position.variant if position else None,
                    "amount": alloc.payments.get(org_id, ZERO) if alloc else ZERO,
                    "forecast": ahead.payments.get(org_id, ZERO) if ahead else ZERO,
                    "gap": alloc.gap if alloc else ZERO,
                }
            )
        return rows


# The sorted project lists (`YearFigures._sorted`). Each order ends in the project's id, so a
# row has one place whether the list is sorted whole or updated.
def _gap_first(row: dict) -> tuple:
    return (-row["gap"], -row["year_cost"], row["project"].name, row["project"].id)


def _largest_payment_first(row: dict) -> tuple:
    return (-row["amount"], row["project"].name, row["project"].id)


@dataclass
class OutlookYear:
    """One year of the meerjarenraming: the inwonerbijdrage and component 3 per municipality."""

    year: int
    contribution: Decimal
    assumed: bool  # indexed by the assumption, not from an own budget of that year
    base: dict[int, Decimal]
    c3: dict[int, Decimal]
    c3_forecast: dict[int, Decimal]

    def for_party(self, party: int) -> dict[str, Decimal]:
        base = self.base.get(party, ZERO)
        c3 = self.c3.get(party, ZERO)
        c3_forecast = self.c3_forecast.get(party, ZERO)
        return {
            "year": self.year,
            "assumed": self.assumed,
            "base": base,
            "c3": c3,
            "c3_forecast": c3_forecast,
            "total": base + c3,
            "total_forecast": base + c3_forecast,
        }

    @property
    def c3_total(self) -> Decimal:
        return sum(self.c3.values(), ZERO)


# --- Computing ---------------------------------------------------------------------------------


def _position(row: PositionRow, core_ids: set[int]) -> allocation.Participation:
    return allocation.Participation(
        party=row.organisation_id,
        variant=row.variant,
        is_core=row.organisation_id in core_ids,
        amount=row.amount,
        share=row.share,
        entry_date=row.entry_date,
        withdrawn=row.status == CommitmentStatus.WITHDRAWN,
        yearly=row.entry_payment == EntryPayment.YEARLY,
    )


def project_cost(
    project: Project, core_ids: set[int], basis: str, scenario: Scenario | None = None
) -> allocation.ProjectCost:
    """`project` as the arithmetic takes it: with its confirmed positions (MONEY), or with its
    confirmed and submitted ones (FORECAST); a scenario's position replaces the stored one."""
    positions = [
        _position(c, core_ids)
        for c in project.year_positions
        if (c.carries_money if basis == MONEY else c.in_forecast)
    ]
    if scenario and scenario.changes_position and scenario.project_id == project.id:
        positions = [p for p in positions if p.party != scenario.organisation_id]
        if scenario.position is not None:
            positions.append(scenario.position)
    first = project.start_date.year
    last = project.end_date.year if project.end_date else first
    return allocation.ProjectCost(
        key=project.id,
        cost=project.participant_funding,
        sharing_key=project.sharing_key,
        first_year=first,
        last_year=max(first, last),
        positions=tuple(positions),
    )


@dataclass(frozen=True)
class Listed:
    """Values per project in the projects' order, with each project's place in the list.
    Shared between computations; never changed in place."""

    items: list
    place: dict[int, int]

    @classmethod
    def of(cls, items: list, key) -> Listed:
        return cls(items, {key(item): i for i, item in enumerate(items)})


@dataclass(frozen=True)
class YearPart:
    """Component 3 of one year on one basis and reference date: the allocations in the
    projects' order and what each party pays over them."""

    allocations: Listed
    paid: dict

    @classmethod
    def of(cls, allocations: list[allocation.ProjectAllocation]) -> YearPart:
        return cls(
            Listed.of(allocations, lambda a: a.project), allocation.payments_by_party(allocations)
        )


def _add(paid: dict, alloc: allocation.ProjectAllocation | None, sign: int) -> None:
    if alloc is not None:
        for party, amount in alloc.payments.items():
            paid[party] = paid.get(party, ZERO) + sign * amount


@dataclass
class Memo:
    """What the computation remembers between calls and between reads: each project's cost per
    basis, and per (basis, reference date, year) that year's component 3 (an allocation by
    inhabitants depends on the counts of that date: the 2025 page and the meerjarenraming of
    2024 may divide 2025 by different counts).

    Each remembered list carries the projects that changed since it was made. After a saved
    position (`without`), the next computation allocates only those projects again, puts them
    in their place and moves each party's total by their old and new payments (exact: cents in
    Decimal), instead of going over every project of the year. A project that enters or leaves
    a year's list makes that list be rebuilt in the projects' order. Shared; never changed in
    place."""

    costs: dict[str, tuple[Listed, frozenset]] = field(default_factory=dict)
    parts: dict[tuple, tuple[YearPart, frozenset]] = field(default_factory=dict)

    def without(self, project_ids: set[int]) -> Memo:
        """This memo for when the projects `project_ids` have changed."""
        changed = frozenset(project_ids)
        return Memo(
            costs={k: (listed, stale | changed) for k, (listed, stale) in self.costs.items()},
            parts={k: (part, stale | changed) for k, (part, stale) in self.parts.items()},
        )


def _costs(projects, core_ids, basis, memo: Memo, scenario: Scenario | None = None) -> list:
    """Each project's cost on `basis`, in the projects' order (a scenario's project with the
    scenario's position, for the preview only)."""
    cached = memo.costs.get(basis)
    if cached is None:
        listed = Listed.of([project_cost(p, core_ids, basis) for p in projects], lambda c: c.key)
    else:
        listed, stale = cached
        if stale:
            listed = _refreshed(listed, projects, stale, lambda p: project_cost(p, core_ids, basis))
    memo.costs[basis] = (listed, frozenset())
    if scenario and scenario.changes_position and scenario.project_id in listed.place:
        project = next(p for p in projects if p.id == scenario.project_id)
        items = list(listed.items)
        items[listed.place[project.id]] = project_cost(project, core_ids, basis, scenario)
        return items
    return listed.items


def _refreshed(listed: Listed, projects, stale: frozenset, make) -> Listed:
    """`listed` with the values of the `stale` projects made again; `projects` as loaded now."""
    if len(projects) == len(listed.items) and all(p.id in listed.place for p in projects):
        items = list(listed.items)
        by_id = {p.id: p for p in projects if p.id in stale}
        for project_id in stale & by_id.keys():
            items[listed.place[project_id]] = make(by_id[project_id])
        return Listed(items, listed.place)
    # A project left (or came): the list in the projects' order.
    items = [
        make(p) if p.id in stale or p.id not in listed.place else listed.items[listed.place[p.id]]
        for p in projects
    ]
    return Listed.of(items, lambda c: c.key)


def _year_part(memo: Memo, basis, reference_date, year, counts, costs, also_stale=frozenset()):
    """Component 3 of `year` over `costs` (each project's cost in the projects' order).

    `also_stale`: projects whose cost differs from the remembered one for this call only (a
    what-if); the result is then not remembered."""
    key = (basis, reference_date, year)
    cached = memo.parts.get(key)
    if cached is None:
        part = YearPart.of(allocation.project_allocations(year, counts, costs))
    else:
        part, stale = cached
        stale |= also_stale
        if not stale:
            return part
        part = _moved(part, stale, year, counts, costs)
    if not also_stale:
        memo.parts[key] = (part, frozenset())
    return part


def _moved(part: YearPart, stale: frozenset, year, counts, costs) -> YearPart:
    """`part` with the `stale` projects allocated again over `costs`."""
    fresh = {
        cost.key: allocation.allocate_project(cost, year, counts)
        for cost in costs
        if cost.key in stale
    }
    old = part.allocations
    paid = dict(part.paid)
    if all((key in old.place) == (fresh.get(key) is not None) for key in stale):
        items = list(old.items)
        for key in stale & old.place.keys():
            _add(paid, items[old.place[key]], -1)
            items[old.place[key]] = fresh[key]
            _add(paid, fresh[key], +1)
        return YearPart(Listed(items, old.place), paid)
    # A project has money in this year now, or no longer: the list in the projects' order.
    for key in stale & old.place.keys():
        _add(paid, old.items[old.place[key]], -1)
    for alloc in fresh.values():
        _add(paid, alloc, +1)
    items = []
    for cost in costs:
        if cost.key in stale:
            alloc = fresh.get(cost.key)
        else:
            alloc = old.items[old.place[cost.key]] if cost.key in old.place else None
        if alloc is not None:
            items.append(alloc)
    return YearPart(Listed.of(items, lambda a: a.project), paid)


def _base_budget(budget: BudgetYear, lines: list) -> allocation.BaseBudget:
    return allocation.BaseBudget(
        contribution=budget.contribution,
        component_lines={
            c: sum((line.amount for line in lines if line.component == c), ZERO) for c in (1, 2)
        },
    )


def compute(
    budget: BudgetYear,
    cores: list[Organisation],
    projects: list[Project],
    memo: Memo,
    scenario: Scenario | None = None,
) -> YearFigures:
    """The figures of `budget`'s year over the loaded `projects` (with their positions)."""
    lines = list(budget.lines.all())
    financing = list(budget.financing.all())
    inhabitants = counts_on(cores, budget.reference_date)
    counts = {pk: c.inhabitants for pk, c in inhabitants.items()}
    core_ids = {org.pk for org in cores}
    base = _base_budget(budget, lines)
    # A what-if's project is allocated for the preview only.
    also_stale = (
        frozenset([scenario.project_id])
        if scenario is not None and scenario.changes_position
        else frozenset()
    )
    results = {}
    for basis in (MONEY, FORECAST):
        costs = _costs(projects, core_ids, basis, memo, scenario)
        part = _year_part(
            memo, basis, budget.reference_date, budget.year, counts, costs, also_stale
        )
        results[basis] = allocation.with_component3(base, counts, part.allocations.items, part.paid)
    extra = scenario.extra_financing if scenario else ZERO
    balance = allocation.budget_balance(
        lines=sum((line.amount for line in lines if line.component != 3), ZERO),
        contribution=budget.contribution,
        financing=[(f.amount, f.status) for f in financing]
        + ([(extra, allocation.COMMITTED)] if extra else []),
        carried_over=budget.carried_over,
    )
    used = {a.project for r in results.values() for a in r.projects}
    return YearFigures(
        budget=budget,
        lines=lines,
        financing=financing,
        cores=cores,
        inhabitants=inhabitants,
        projects={p.id: p for p in projects if p.id in used},
        result=results[MONEY],
        forecast=results[FORECAST],
        balance=balance,
        scenario=scenario,
    )


def outlook(
    budget: BudgetYear,
    budgets: dict[int, BudgetYear],
    cores: list[Organisation],
    projects: list[Project],
    memo: Memo,
) -> list[OutlookYear]:
    """The meerjarenraming from `budget`'s year: the inwonerbijdrage of each year (a later
    year's own budget where there is one, else indexed by `budget.forecast_indexation` on the
    year before) divided by the inhabitants of `budget`'s reference date, and component 3 from
    each project's run and positions."""
    inhabitants = counts_on(cores, budget.reference_date)
    counts = {pk: c.inhabitants for pk, c in inhabitants.items()}
    core_ids = {org.pk for org in cores}
    costs = {basis: _costs(projects, core_ids, basis, memo) for basis in (MONEY, FORECAST)}
    years = []
    contribution = budget.contribution
    for year in range(budget.year, budget.year + OUTLOOK_YEARS):
        own = budgets.get(year)
        assumed = False
        if year > budget.year:
            if own is not None:
                contribution = own.contribution
            else:
                contribution = allocation.index_amount(contribution, budget.forecast_indexation)
                assumed = True
        c3 = {}
        for basis in (MONEY, FORECAST):
            part = _year_part(memo, basis, budget.reference_date, year, counts, costs[basis])
            c3[basis] = {pk: part.paid.get(pk, ZERO) for pk in core_ids}
        years.append(
            OutlookYear(
                year=year,
                contribution=contribution,
                assumed=assumed,
                base=allocation.largest_remainder(contribution, counts) if counts else {},
                c3=c3[MONEY],
                c3_forecast=c3[FORECAST],
            )
        )
    return years
