"""From the database to `finance.allocation`: the figures of budget years, in a fixed number of queries.

`load_inputs(years)` reads the budget years, their lines and financing, the core
municipalities with their inhabitant counts, and the projects of those years with their
positions: seven queries whatever the number of projects. The arithmetic is in `allocation`.
A what-if passes a `Scenario`: the same figures with one position changed or an extra fixed
contribution, computed and never saved.

Computing a year with hundreds of projects costs far more than a page may, so the inputs and
figures are kept per process with a fingerprint of everything they depend on: the latest
history row of each model they read (every change writes one, and `queryset.update()` is
refused on these models). Checking the fingerprint is one query; any change makes the next
request recompute. When only positions changed (officials saving, the common case) only the
projects whose positions changed are read again; any other change reads everything. Cached
objects are shared between requests and must not be changed.
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
from django.utils import timezone

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


def _projects_for(years: Iterable[int], only: set[int] | None = None) -> list[Project]:
    """Projects with money in any of `years`: running then, or with an entry fee then.

    With `only`, just those of the projects with these ids.
    """
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
    projects = Project.objects.filter(runs | enters)
    if only is not None:
        projects = projects.filter(pk__in=only)
    projects = list(
        projects.select_related("theme").only(*PROJECT_FIELDS).order_by("theme__order", "name")
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
    fingerprint: tuple = ()
    read_at: datetime.datetime | None = None
    # Each project's positions as the arithmetic takes them, by project id (the same for every
    # year), and its allocation by (project id, year); a refresh keeps both for the projects it
    # did not read again.
    costs: dict[int, allocation.ProjectCost] = field(default_factory=dict)
    allocations: dict[tuple[int, int], allocation.ProjectAllocation | None] = field(
        default_factory=dict
    )

    def figures(self, year: int, scenario: Scenario | None = None) -> YearFigures | None:
        budget = self.budgets.get(year)
        if budget is None:
            return None
        if scenario is not None:
            # A copy: the scenario's project is allocated for the preview only.
            known = {k: a for k, a in self.allocations.items() if k[0] != scenario.project_id}
            return compute(budget, self.cores, self.projects, scenario, self.costs, known)
        if year not in self.computed:
            self.computed[year] = compute(
                budget, self.cores, self.projects, None, self.costs, self.allocations
            )
        return self.computed[year]


def load_inputs(years: Iterable[int]) -> Inputs:
    """Budget years among `years` with lines and financing, the core municipalities with their
    inhabitant counts, and the projects with money in those years with their positions."""
    years = tuple(sorted(set(years)))
    fingerprint = _fingerprint()
    with _lock:
        cached = _cache.get(years)
        if cached is not None:
            _cache.move_to_end(years)
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    inputs = None
    if cached is not None and _only_positions_changed(cached.fingerprint, fingerprint):
        inputs = _with_fresh_positions(cached, fingerprint)
    if inputs is None:
        inputs = _read_inputs(years, fingerprint)
    with _lock:
        _cache[years] = inputs
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return inputs


def _only_positions_changed(before: tuple, now: tuple) -> bool:
    """Whether the fingerprints differ in the positions (Commitment) only."""
    return len(before) == len(now) and all(
        a == b for i, (a, b) in enumerate(zip(before, now, strict=True)) if i != COMMITMENTS
    )


def _with_fresh_positions(cached: Inputs, fingerprint: tuple) -> Inputs | None:
    """`cached` with the projects whose positions changed read again; None to read everything.

    Changed are the projects of history rows after the cached fingerprint, and of those written
    in the minute before it was read: a transaction that committed after a later one has the
    lower history id, so the newest id alone can pass over it.
    """
    read_at = timezone.now()
    if not cached.budgets:
        return Inputs(budgets={}, cores=[], projects=[], fingerprint=fingerprint, read_at=read_at)
    since = cached.fingerprint[COMMITMENTS] or 0
    changed = set(
        Commitment.history.filter(
            Q(history_id__gt=since) | Q(history_date__gte=cached.read_at - RECENT)
        ).values_list("project_id", flat=True)
    )
    fresh = {p.pk: p for p in _projects_for(cached.budgets, only=changed)}
    known = {p.pk for p in cached.projects}
    if not fresh.keys() <= known:
        return None  # a project that now has money in these years: its place in the order
    projects = [fresh.get(p.pk, p) for p in cached.projects if p.pk not in changed or p.pk in fresh]
    return Inputs(
        budgets=cached.budgets,
        cores=cached.cores,
        projects=projects,
        fingerprint=fingerprint,
        read_at=read_at,
        costs={pk: cost for pk, cost in cached.costs.items() if pk not in changed},
        allocations={k: a for k, a in cached.allocations.items() if k[0] not in changed},
    )


def _read_inputs(years: tuple[int, ...], fingerprint: tuple) -> Inputs:
    read_at = timezone.now()
    budgets = {
        b.year: b
        for b in BudgetYear.objects.filter(year__in=years).prefetch_related(
            "lines", Prefetch("financing", queryset=_financing_queryset())
        )
    }
    if not budgets:
        return Inputs(budgets={}, cores=[], projects=[], fingerprint=fingerprint, read_at=read_at)
    cores = list(
        Organisation.objects.core().prefetch_related(
            Prefetch(
                "inhabitant_counts",
                queryset=InhabitantCount.objects.order_by("-reference_date"),
                to_attr="all_counts",
            )
        )
    )
    return Inputs(
        budgets=budgets,
        cores=cores,
        projects=_projects_for(budgets),
        fingerprint=fingerprint,
        read_at=read_at,
    )


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


# Where the positions are in the fingerprint: after the database alias and name.
COMMITMENTS = 2 + FINGERPRINT_MODELS.index(Commitment)
RECENT = datetime.timedelta(minutes=1)


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
    costs: dict[int, allocation.ProjectCost] | None = None,
    allocations: dict | None = None,
) -> YearFigures:
    """The figures of `budget`'s year. `costs` (each project's ProjectCost without the
    scenario) and `allocations` (see allocation.year_contributions) are remembered across
    calls with the same inputs; they are filled here."""
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
    costs = {} if costs is None else costs
    project_costs = []
    for project in projects:
        if scenario and scenario.changes_position and scenario.project_id == project.pk:
            project_costs.append(_project_cost(project, core_ids, scenario))
            continue
        if project.pk not in costs:
            costs[project.pk] = _project_cost(project, core_ids, None)
        project_costs.append(costs[project.pk])
    result = allocation.year_contributions(
        budget.year,
        base,
        {pk: c.inhabitants for pk, c in inhabitants.items()},
        project_costs,
        allocations,
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
