"""What each party pays: pure functions over plain values, no database.

Every amount is a `Decimal` in euros with cents. Every division of an amount over parties is
rounded to cents by the largest-remainder method, so that the shares add up exactly to the
amount divided. Ties in the remainders are broken by the parties' keys (not by input order),
so the result does not depend on the order in which parties are given.

The rules (issue 4, DOMAIN.md "The budget: three components"):

- Components 1 and 2: what the 7 must cover (lines of components 1 and 2, minus the other
  financing, plus a carried deficit or minus a carried surplus) is split over the two components
  in proportion to their lines, and each part is divided by inhabitants.
- Component 3, per project and year: a project's component-3 cost, solidarity amounts and
  partners' commitments are for the whole run and fall evenly over its calendar years. An entry
  fee is paid once, in the year of the entry moment. What solidarity payers, entrants and
  organisations outside the 7 do not cover is shared by the core full participants by the
  project's key. Without full participants, or with percentages that do not reach 100, the rest
  is the project's financing gap, shown and never hidden.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Hashable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")

FULL, SOLIDARITY, ENTRY, NONE = "volledig", "solidariteit", "instap", "geen"
EQUAL, INHABITANTS, PERCENTAGES = "gelijk", "inwoners", "percentages"


def cents(amount: Decimal) -> Decimal:
    """Round half up to cents (for a single amount, not for shares)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def _sort_key(key: Hashable):
    return (type(key).__name__, str(key))


def largest_remainder(total: Decimal, weights: Mapping[Hashable, Decimal | int]) -> dict:
    """Divide `total` over the keys of `weights` in proportion, to the cent, adding up exactly.

    Each key first gets its exact share rounded down to cents; the cents left over go one by one
    to the keys with the largest remainders (ties: by key). Keys with weight 0 get 0. A negative
    total is divided as its absolute value and negated, so a surplus is returned the same way.
    """
    total = cents(total)
    if any(Decimal(w) < 0 for w in weights.values()):
        raise ValueError("Een gewicht kan niet negatief zijn.")
    weight_sum = sum((Decimal(w) for w in weights.values()), Decimal(0))
    if not weights:
        return {}
    if weight_sum == 0:
        if total != 0:
            raise ValueError("Er is niets om naar te verdelen: alle gewichten zijn nul.")
        return dict.fromkeys(weights, ZERO)
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    floors = {}
    remainders = {}
    for key, weight in weights.items():
        exact = magnitude * Decimal(weight) / weight_sum
        floor = exact.quantize(CENT, rounding=ROUND_FLOOR)
        floors[key] = floor
        remainders[key] = exact - floor
    left = int((magnitude - sum(floors.values())) / CENT)
    order = sorted(weights, key=lambda k: (-remainders[k], _sort_key(k)))
    for key in order[:left]:
        floors[key] += CENT
    return {key: sign * value if value else ZERO for key, value in floors.items()}


def spread_over_years(amount: Decimal, first_year: int, last_year: int) -> dict[int, Decimal]:
    """An amount for a whole run, evenly over its calendar years, to the cent."""
    return largest_remainder(amount, dict.fromkeys(range(first_year, last_year + 1), 1))


# --- Components 1 and 2 ----------------------------------------------------------------------


@dataclass(frozen=True)
class BaseBudget:
    """The inputs of the inwonerbijdrage for one year."""

    component_lines: Mapping[int, Decimal]  # component (1, 2) -> total of its lines
    other_financing: Decimal  # neighbours' fixed contributions and other income
    carried_over: Decimal  # deficit (positive) or surplus (negative) from the previous year

    @property
    def lines_total(self) -> Decimal:
        return sum((self.component_lines.get(c, ZERO) for c in (1, 2)), ZERO)

    @property
    def to_cover(self) -> Decimal:
        """What the 7 must cover together; never below zero (a surplus beyond it is not paid out)."""
        return max(ZERO, cents(self.lines_total - self.other_financing + self.carried_over))


def to_cover_by_component(budget: BaseBudget) -> dict[int, Decimal]:
    """Split what the 7 cover over components 1 and 2, in proportion to their lines."""
    weights = {c: budget.component_lines.get(c, ZERO) for c in (1, 2)}
    if sum(weights.values()) == 0:
        return {1: ZERO, 2: ZERO}
    return largest_remainder(budget.to_cover, weights)


def base_contributions(
    budget: BaseBudget, inhabitants: Mapping[Hashable, int]
) -> dict[int, dict[Hashable, Decimal]]:
    """Per component (1, 2): each core municipality's inwonerbijdrage, by inhabitants."""
    return {
        component: largest_remainder(amount, inhabitants)
        for component, amount in to_cover_by_component(budget).items()
    }


def rate_per_inhabitant(amount: Decimal, inhabitants: Mapping[Hashable, int]) -> Decimal:
    """The per-inhabitant rate, shown to four decimals (it is a rate, not a payment)."""
    total = sum(inhabitants.values())
    if not total:
        return Decimal("0.0000")
    return (Decimal(amount) / total).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


# --- Component 3 -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """One organisation's position on a project, as the allocation needs it."""

    party: Hashable
    variant: str
    is_core: bool
    amount: Decimal | None = None
    share: Decimal | None = None  # percent
    entry_date: datetime.date | None = None
    withdrawn: bool = False


@dataclass(frozen=True)
class ProjectCost:
    key: Hashable
    cost: Decimal  # component-3 cost of the whole run
    sharing_key: str
    first_year: int
    last_year: int
    positions: tuple[Position, ...] = ()


@dataclass
class ProjectAllocation:
    """One project in one year: who pays what, by which variant, and what is not covered."""

    project: Hashable
    year_cost: Decimal
    payments: dict[Hashable, Decimal] = field(default_factory=dict)
    variants: dict[Hashable, str] = field(default_factory=dict)
    gap: Decimal = ZERO  # not covered by anyone
    surplus: Decimal = ZERO  # committed beyond the cost

    @property
    def covered(self) -> Decimal:
        return sum(self.payments.values(), ZERO)


@functools.lru_cache(maxsize=4096)
def _spread(amount: Decimal, first_year: int, last_year: int) -> tuple[Decimal, ...]:
    """`spread_over_years` as a tuple, remembered: the same amounts recur across projects."""
    by_year = spread_over_years(amount, first_year, last_year)
    return tuple(by_year[year] for year in range(first_year, last_year + 1))


def _year_part(amount: Decimal, project: ProjectCost, year: int) -> Decimal:
    return _spread(amount, project.first_year, project.last_year)[year - project.first_year]


def allocate_project(
    project: ProjectCost, year: int, inhabitants: Mapping[Hashable, int]
) -> ProjectAllocation | None:
    """What each party pays for `project` in `year`; None when the project has no cost that year."""
    runs = project.first_year <= year <= project.last_year
    year_cost = _year_part(project.cost, project, year) if runs else ZERO
    result = ProjectAllocation(project=project.key, year_cost=year_cost)
    fixed = ZERO
    full_core = []
    for position in sorted(project.positions, key=lambda p: _sort_key(p.party)):
        if position.withdrawn or position.variant == NONE:
            if position.variant == NONE and not position.withdrawn and runs:
                result.variants[position.party] = NONE
            continue
        if position.variant == ENTRY:
            # The fee is paid once, in the year of the entry moment, even after the run ends.
            if position.entry_date and position.entry_date.year == year and position.amount:
                result.payments[position.party] = cents(position.amount)
                result.variants[position.party] = ENTRY
                fixed += cents(position.amount)
            continue
        if not runs:
            continue
        if position.variant == FULL and position.is_core:
            full_core.append(position)
            continue
        # Solidarity payers, and every organisation outside the 7 whatever its variant, pay what
        # they committed: an amount for the run, or a share of the project's cost.
        if position.amount is not None:
            pays = _year_part(position.amount, project, year)
        elif position.share is not None:
            pays = cents(year_cost * position.share / HUNDRED)
        else:
            pays = ZERO
        result.payments[position.party] = pays
        result.variants[position.party] = position.variant
        fixed += pays
    if not runs and not result.payments:
        return None
    rest = year_cost - fixed
    if rest < 0:
        result.surplus = -rest
        rest = ZERO
    for position in full_core:
        result.variants[position.party] = FULL
    if not full_core:
        result.gap = rest
        return result
    parties = [p.party for p in full_core]
    if project.sharing_key == PERCENTAGES:
        percents = {p.party: p.share or ZERO for p in full_core}
        total_percent = min(HUNDRED, sum(percents.values(), ZERO))
        shared = cents(rest * total_percent / HUNDRED)
        result.gap = rest - shared
        shares = (
            largest_remainder(shared, percents) if total_percent else dict.fromkeys(parties, ZERO)
        )
    elif project.sharing_key == INHABITANTS and all(inhabitants.get(p) for p in parties):
        shares = largest_remainder(rest, {p: inhabitants[p] for p in parties})
    else:
        shares = largest_remainder(rest, dict.fromkeys(parties, 1))
    result.payments.update(shares)
    return result


@dataclass
class YearContributions:
    """Everything one budget year asks of whom."""

    to_cover: Decimal
    to_cover_by_component: dict[int, Decimal]
    base: dict[int, dict[Hashable, Decimal]]
    projects: list[ProjectAllocation]
    core: tuple[Hashable, ...]

    def component3(self, party: Hashable) -> Decimal:
        return sum((p.payments.get(party, ZERO) for p in self.projects), ZERO)

    def for_party(self, party: Hashable) -> dict[str, Decimal]:
        c1 = self.base.get(1, {}).get(party, ZERO)
        c2 = self.base.get(2, {}).get(party, ZERO)
        c3 = self.component3(party)
        return {"c1": c1, "c2": c2, "c3": c3, "total": c1 + c2 + c3}

    @property
    def component3_total(self) -> Decimal:
        return sum((p.covered for p in self.projects), ZERO)

    @property
    def component3_cost(self) -> Decimal:
        return sum((p.year_cost for p in self.projects), ZERO)

    @property
    def gap_total(self) -> Decimal:
        return sum((p.gap for p in self.projects), ZERO)

    @property
    def surplus_total(self) -> Decimal:
        return sum((p.surplus for p in self.projects), ZERO)

    def outside_core_component3(self) -> Decimal:
        core = set(self.core)
        return sum(
            (a for p in self.projects for party, a in p.payments.items() if party not in core),
            ZERO,
        )


def year_contributions(
    year: int,
    budget: BaseBudget,
    inhabitants: Mapping[Hashable, int],
    projects: Iterable[ProjectCost],
    known: MutableMapping[tuple[Hashable, int], ProjectAllocation | None] | None = None,
) -> YearContributions:
    """Components 1, 2 and 3 for one year. `inhabitants` holds the 7 core municipalities.

    `known` remembers allocations by (project key, year) between calls with the same
    inhabitants and unchanged projects; allocations are shared then, and not to be changed.
    """
    if known is None:
        known = {}
    allocations = []
    for project in projects:
        if (project.key, year) not in known:
            known[project.key, year] = allocate_project(project, year, inhabitants)
        if (allocation := known[project.key, year]) is not None:
            allocations.append(allocation)
    return YearContributions(
        to_cover=budget.to_cover,
        to_cover_by_component=to_cover_by_component(budget),
        base=base_contributions(budget, inhabitants),
        projects=allocations,
        core=tuple(sorted(inhabitants, key=_sort_key)),
    )


def index_amount(amount: Decimal, percent: Decimal) -> Decimal:
    """An amount raised by an indexation percentage, to the cent."""
    return cents(Decimal(amount) * (HUNDRED + Decimal(percent)) / HUNDRED)
