"""From the database to `finance.allocation`: the figures of budget years, in a fixed number of queries.

`load_inputs(years)` reads the budget years, their lines and financing, the core
municipalities with their inhabitant counts, and the projects of those years with their
positions: seven queries whatever the number of projects. The arithmetic is in `allocation`.
A what-if passes a `Scenario`: the same figures with one position changed or an extra fixed
contribution, computed and never saved.

Computing a year with hundreds of projects costs far more than a page may, so the inputs and
figures are kept per process, keyed by a fingerprint of everything they depend on: the latest
history row of each model they read (every change writes one, and `queryset.update()` is
refused on these models). Checking the fingerprint is one query; any change anywhere makes the
next request recompute. Cached objects are shared between requests and must not be changed.
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q

from portfolio.models import Commitment, CommitmentStatus, Project, ProjectStatus, Variant
from smartdelta.models import InhabitantCount, Organisation

from . import allocation
from .models import BudgetLine, BudgetYear, Component, Financing

ZERO = allocation.ZERO
# Ideas have no budget yet and stopped projects no longer ask for money.
COUNTED_STATUSES = [
    ProjectStatus.PROPOSAL,
    ProjectStatus.CONTRACTING,
    ProjectStatus.RUNNING,
    ProjectStatus.COMPLETED,
]


@dataclass(frozen=True)
class Scenario:
    """A what-if: one organisation's position on one project replaced, and/or extra financing."""

    project_id: int | None = None
    organisation_id: int | None = None
    position: allocation.Position | None = None  # None with a project: the position is removed
    extra_financing: Decimal = ZERO

    @property
    def changes_position(self) -> bool:
        return self.project_id is not None and self.organisation_id is not None


@dataclass
class MunicipalityRow:
    organisation: Organisation
    inhabitants: InhabitantCount | None
    c1: Decimal
    c2: Decimal
    c3: Decimal

    @property
    def base(self) -> Decimal:
        return self.c1 + self.c2

    @property
    def total(self) -> Decimal:
        return self.c1 + self.c2 + self.c3

    @property
    def per_inhabitant(self) -> Decimal | None:
        if not self.inhabitants:
            return None
        return allocation.cents(self.total / self.inhabitants.inhabitants)


@dataclass
class YearFigures:
    budget: BudgetYear
    lines: list
    financing: list
    cores: list[Organisation]
    inhabitants: dict[int, InhabitantCount]
    projects: dict[int, Project]
    result: allocation.YearContributions
    scenario: Scenario | None = None
    rows: list[MunicipalityRow] = field(default_factory=list)

    def __post_init__(self):
        self.rows = [
            MunicipalityRow(
                organisation=org,
                inhabitants=self.inhabitants.get(org.pk),
                **{k: v for k, v in self.result.for_party(org.pk).items() if k != "total"},
            )
            for org in self.cores
        ]

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
    def other_financing(self) -> Decimal:
        extra = self.scenario.extra_financing if self.scenario else ZERO
        return sum((f.amount for f in self.financing), ZERO) + extra

    @property
    def carried_surplus(self) -> Decimal:
        """A surplus carried over, as a positive amount (shown as a subtraction)."""
        return max(ZERO, -self.budget.carried_over)

    @property
    def rate(self) -> Decimal:
        counts = {pk: c.inhabitants for pk, c in self.inhabitants.items()}
        return allocation.rate_per_inhabitant(self.result.to_cover, counts)

    @property
    def total_inhabitants(self) -> int:
        return sum(c.inhabitants for c in self.inhabitants.values())

    # Totals ---------------------------------------------------------------------------------
    def totals(self) -> dict[str, Decimal]:
        c1 = sum((r.c1 for r in self.rows), ZERO)
        c2 = sum((r.c2 for r in self.rows), ZERO)
        c3 = sum((r.c3 for r in self.rows), ZERO)
        return {"c1": c1, "c2": c2, "c3": c3, "total": c1 + c2 + c3}

    def row_for(self, organisation_id: int) -> MunicipalityRow | None:
        return next((r for r in self.rows if r.organisation.pk == organisation_id), None)

    def project_rows(self) -> list[dict]:
        """Component 3 per project: cost this year, who pays, the gap."""
        rows = []
        for alloc in self.result.projects:
            project = self.projects[alloc.project]
            rows.append(
                {
                    "project": project,
                    "year_cost": alloc.year_cost,
                    "core": sum(
                        (a for p, a in alloc.payments.items() if p in self.inhabitants), ZERO
                    ),
                    "others": sum(
                        (a for p, a in alloc.payments.items() if p not in self.inhabitants), ZERO
                    ),
                    "gap": alloc.gap,
                    "surplus": alloc.surplus,
                }
            )
        return rows

    def projects_of(self, organisation: Organisation) -> list[dict]:
        """Every counted project of the year with this organisation's position and payment."""
        paid = {a.project: a for a in self.result.projects}
        rows = []
        for project in self.projects.values():
            position = next(
                (c for c in project.year_positions if c.organisation_id == organisation.pk), None
            )
            alloc = paid.get(project.pk)
            rows.append(
                {
                    "project": project,
                    "commitment": position,
                    "variant": position.variant if position else None,
                    "amount": alloc.payments.get(organisation.pk, ZERO) if alloc else ZERO,
                    "gap": alloc.gap if alloc else ZERO,
                }
            )
        return rows


def _position(commitment: PositionRow, core_ids: set[int]) -> allocation.Position:
    return allocation.Position(
        party=commitment.organisation_id,
        variant=commitment.variant,
        is_core=commitment.organisation_id in core_ids,
        amount=commitment.amount,
        share=commitment.share,
        entry_date=commitment.entry_date,
        withdrawn=commitment.status == CommitmentStatus.WITHDRAWN,
    )


def _project_cost(
    project: Project, core_ids: set[int], scenario: Scenario | None
) -> allocation.ProjectCost:
    positions = [_position(c, core_ids) for c in project.year_positions]
    if scenario and scenario.changes_position and scenario.project_id == project.pk:
        positions = [p for p in positions if p.party != scenario.organisation_id]
        if scenario.position is not None:
            positions.append(scenario.position)
    first = project.start_date.year
    last = project.end_date.year if project.end_date else first
    return allocation.ProjectCost(
        key=project.pk,
        cost=project.participant_funding,
        sharing_key=project.sharing_key,
        first_year=first,
        last_year=max(first, last),
        positions=tuple(positions),
    )


def _projects_for(years: Iterable[int]) -> list[Project]:
    """Projects with money in any of `years`: running then, or with an entry fee then."""
    years = list(years)
    first, last = min(years), max(years)
    runs = Q(status__in=COUNTED_STATUSES, start_date__year__lte=last) & (
        Q(end_date__isnull=True) & Q(start_date__year__gte=first) | Q(end_date__year__gte=first)
    )
    enters = Q(status__in=COUNTED_STATUSES, start_date__isnull=False) & Exists(
        Commitment.objects.filter(
            project=OuterRef("pk"),
            variant=Variant.ENTRY,
            entry_date__gte=datetime.date(first, 1, 1),
            entry_date__lte=datetime.date(last, 12, 31),
        )
    )
    # Only the columns the computation and the pages use: hundreds of projects a year.
    projects = list(
        Project.objects.filter(runs | enters)
        .select_related("theme")
        .only(*PROJECT_FIELDS)
        .order_by("theme__order", "name")
    )
    # Thousands of positions: plain rows, not model instances (that was most of the time).
    by_project = {project.pk: [] for project in projects}
    rows = (
        Commitment.objects.filter(project__in=list(by_project))
        .order_by("organisation_id")
        .values_list(*COMMITMENT_FIELDS)
    )
    for row in rows:
        by_project[row[0]].append(PositionRow(*row))
    for project in projects:
        project.year_positions = by_project[project.pk]
    return projects


@dataclass(frozen=True, slots=True)
class PositionRow:
    """A commitment as the figures and the report need it (see COMMITMENT_FIELDS)."""

    project_id: int
    organisation_id: int
    variant: str
    status: str
    amount: Decimal | None
    share: Decimal | None
    entry_date: datetime.date | None

    def get_variant_display(self) -> str:
        return Variant(self.variant).label

    def get_status_display(self) -> str:
        return CommitmentStatus(self.status).label


PROJECT_FIELDS = [
    "name",
    "status",
    "start_date",
    "end_date",
    "participant_funding",
    "sharing_key",
    "theme__name",
    "theme__slug",
    "theme__order",
]
COMMITMENT_FIELDS = [
    "project_id",
    "organisation_id",
    "variant",
    "status",
    "amount",
    "share",
    "entry_date",
]


def _latest_counts(cores: list[Organisation], date: datetime.date) -> dict[int, InhabitantCount]:
    counts = {}
    for org in cores:
        eligible = [c for c in org.all_counts if c.reference_date <= date]
        if eligible:
            counts[org.pk] = max(eligible, key=lambda c: c.reference_date)
    return counts


@dataclass
class Inputs:
    """What the computation reads from the database, loaded once for one or more years."""

    budgets: dict[int, BudgetYear]
    cores: list[Organisation]
    projects: list[Project]

    computed: dict[int, YearFigures] = field(default_factory=dict)

    def figures(self, year: int, scenario: Scenario | None = None) -> YearFigures | None:
        budget = self.budgets.get(year)
        if budget is None:
            return None
        if scenario is not None:
            return compute(budget, self.cores, self.projects, scenario)
        if year not in self.computed:
            self.computed[year] = compute(budget, self.cores, self.projects)
        return self.computed[year]


def load_inputs(years: Iterable[int]) -> Inputs:
    """Budget years among `years` with lines and financing, the core municipalities with their
    inhabitant counts, and the projects with money in those years with their positions."""
    years = tuple(sorted(set(years)))
    key = (years, _fingerprint())
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    inputs = _read_inputs(years)
    with _lock:
        _cache[key] = inputs
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return inputs


def _read_inputs(years: tuple[int, ...]) -> Inputs:
    budgets = {
        b.year: b
        for b in BudgetYear.objects.filter(year__in=years).prefetch_related(
            "lines", Prefetch("financing", queryset=_financing_queryset())
        )
    }
    if not budgets:
        return Inputs(budgets={}, cores=[], projects=[])
    cores = list(
        Organisation.objects.core().prefetch_related(
            Prefetch(
                "inhabitant_counts",
                queryset=InhabitantCount.objects.order_by("-reference_date"),
                to_attr="all_counts",
            )
        )
    )
    return Inputs(budgets=budgets, cores=cores, projects=_projects_for(budgets))


def load_figures(years: Iterable[int]) -> dict[int, YearFigures]:
    """The figures of each existing budget year among `years` (missing years are left out)."""
    inputs = load_inputs(years)
    return {year: inputs.figures(year) for year in inputs.budgets}


# --- The per-process cache -------------------------------------------------------------------

CACHE_SIZE = 16
_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()
FINGERPRINT_MODELS = [
    BudgetYear,
    BudgetLine,
    Financing,
    Project,
    Commitment,
    Organisation,
    InhabitantCount,
]


def _fingerprint() -> tuple:
    """The newest history id of every model the figures read, in one query."""
    quote = connection.ops.quote_name
    parts = ", ".join(
        f"(SELECT MAX({quote('history_id')}) FROM {quote(model.history.model._meta.db_table)})"
        for model in FINGERPRINT_MODELS
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return (connection.alias, connection.settings_dict["NAME"], *cursor.fetchone())


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _financing_queryset():
    return Financing.objects.select_related("organisation")


def compute(
    budget: BudgetYear,
    cores: list[Organisation],
    projects: list[Project],
    scenario: Scenario | None = None,
) -> YearFigures:
    lines = list(budget.lines.all())
    financing = list(budget.financing.all())
    inhabitants = _latest_counts(cores, budget.reference_date)
    component_lines = {
        c: sum((line.amount for line in lines if line.component == c), ZERO) for c in (1, 2)
    }
    extra = scenario.extra_financing if scenario else ZERO
    base = allocation.BaseBudget(
        component_lines=component_lines,
        other_financing=sum((f.amount for f in financing), ZERO) + extra,
        carried_over=budget.carried_over,
    )
    core_ids = {org.pk for org in cores}
    costs = [_project_cost(p, core_ids, scenario) for p in projects]
    result = allocation.year_contributions(
        budget.year, base, {pk: c.inhabitants for pk, c in inhabitants.items()}, costs
    )
    used = {a.project for a in result.projects}
    return YearFigures(
        budget=budget,
        lines=lines,
        financing=financing,
        cores=cores,
        inhabitants=inhabitants,
        projects={p.pk: p for p in projects if p.pk in used},
        result=result,
        scenario=scenario,
    )
