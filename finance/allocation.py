"""What each party pays: pure functions over plain values, no database.

Every amount is a `Decimal` in euros with cents. Every division of an amount over parties is
rounded to cents by the largest-remainder method, so that the shares add up exactly to the
amount divided. Ties in the remainders are broken by the parties' keys (not by input order),
so the result does not depend on the order in which parties are given.

The rules, with the seed sentence each comes from (README "How the money is divided"):

- Components 1 and 2 are paid by the agreed inwonerbijdrage of the seven, never by what is left
  of the budget. Seed 001 ("Bekostiging"): "De inwonerbijdrage zoals die de afgelopen jaren is
  gehanteerd, blijft gelijk, behoudens de vastgestelde indexatie. Hiermee kan € 4,75 miljoen van
  deze begroting bekostigd worden." The agreed total is divided over the seven by inhabitants.
  For presentation only, it is also split over components 1 and 2 in proportion to their lines,
  and component 1's total over the seven by inhabitants; each municipality's component 2 is the
  rest of its part. So both columns add up to their totals and each row to the municipality's
  part, and a line change never moves what a municipality pays.
- What the inwonerbijdrage and committed money do not cover, a carried deficit included, is the
  year's financial challenge, to be solved inside the budget and never charged to the seven.
  Seed 002: "Het uitgangspunt is dat het totale budget niet overschreden wordt en er geen
  aanvullende afrekening met de gemeenten volgt. Eventuele tekorten moeten dus opgelost worden
  binnen de totale begroting 2024 voor de Groeiagenda en/of er moeten aanvullende middelen via
  bijvoorbeeld subsidies toegevoegd worden." Hoped-for money ("Er is nog geen concrete
  toezegging") covers nothing until it is committed.
- Component 3 comes on top, per project and year (seed 004, advice 6: "De bijdrage hiervan is op
  basis van deelname en profijt/nut"). A project's component-3 cost, solidarity amounts and
  partners' committed amounts are for the whole run and fall evenly over its calendar years. An
  entrant (seed 004: "'passagiersbijdrage' of een instapfee") pays either a one-off fee in the
  year of its entry moment, or a yearly passenger contribution in every year of the run from
  its entry year. What solidarity payers, entrants and organisations outside the seven do not
  cover is shared by the core full participants by the project's key. Without full
  participants, or with percentages that do not reach 100, the rest is the project's financing
  gap, shown and never hidden.
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
    """Components 1 and 2 of one year: the agreed inwonerbijdrage and the lines it is shown over."""

    contribution: Decimal  # the agreed inwonerbijdrage of the seven together
    component_lines: Mapping[int, Decimal]  # component (1, 2) -> total of its lines

    def component_weights(self) -> dict[int, Decimal]:
        weights = {c: Decimal(self.component_lines.get(c, ZERO)) for c in (1, 2)}
        # Without lines the whole inwonerbijdrage is shown as upkeep of the network.
        return weights if sum(weights.values()) else {1: Decimal(1), 2: ZERO}


def base_contributions(
    budget: BaseBudget, inhabitants: Mapping[Hashable, int]
) -> dict[int, dict[Hashable, Decimal]]:
    """Per component (1, 2): each core municipality's part of the inwonerbijdrage.

    The agreed total is divided by inhabitants first, so what a municipality pays for 1 and 2
    together depends on the total and the inhabitants only. The total is also split over the
    components in proportion to their lines; component 1's total is divided by inhabitants, and
    each municipality's component 2 is its part minus its component 1. Both columns then add up
    to their component totals to the cent (a letter shows them), and each row to its part.
    """
    if not inhabitants:
        return {1: {}, 2: {}}
    per_party = largest_remainder(budget.contribution, inhabitants)
    totals = largest_remainder(budget.contribution, budget.component_weights())
    component1 = _largest_remainder_within(totals[1], inhabitants, per_party)
    return {
        1: component1,
        2: {party: per_party[party] - component1[party] for party in per_party},
    }


def _largest_remainder_within(
    total: Decimal, weights: Mapping[Hashable, int], caps: Mapping[Hashable, Decimal]
) -> dict[Hashable, Decimal]:
    """`largest_remainder`, with no key's share beyond its cap (away from zero).

    Needed because two largest-remainder divisions by the same weights do not nest: when
    component 2 is small, a municipality can get a leftover cent of component 1 that it did not
    get of its whole part, which would leave its component 2 at -0,01. Such a cent goes instead
    to the key furthest below its exact share that still has room, ties by key. The caps add up
    to at least `total` (component 1 is part of the whole), so every cent finds a key.
    """
    sign = -1 if total < 0 else 1
    shares = {k: abs(v) for k, v in largest_remainder(total, weights).items()}
    caps = {k: abs(caps[k]) for k in weights}
    over = sum((max(ZERO, shares[k] - caps[k]) for k in weights), ZERO)
    if over:
        shares = {k: min(shares[k], caps[k]) for k in weights}
        weight_sum = sum((Decimal(w) for w in weights.values()), Decimal(0))

        def behind(key):
            return (
                -(abs(total) * Decimal(weights[key]) / weight_sum - shares[key]),
                _sort_key(key),
            )

        while over:
            key = min((k for k in weights if shares[k] < caps[k]), key=behind)
            shares[key] += CENT
            over -= CENT
    return {k: sign * v if v else ZERO for k, v in shares.items()}


def rate_per_inhabitant(amount: Decimal, inhabitants: Mapping[Hashable, int]) -> Decimal:
    """The inwonerbijdrage per inhabitant, in cents (what councils compare)."""
    total = sum(inhabitants.values())
    if not total:
        return ZERO
    return cents(Decimal(amount) / total)


HOPED, COMMITTED, RECEIVED = "gehoopt", "toegezegd", "ontvangen"


@dataclass(frozen=True)
class Balance:
    """The lines of components 1 and 2 against what covers them, for one year.

    Only the inwonerbijdrage and committed (or received) money cover lines; hoped-for money is
    shown beside them. What is left uncovered, a carried deficit included, is the challenge.
    """

    lines: Decimal
    contribution: Decimal
    committed: Decimal
    hoped: Decimal
    carried_over: Decimal  # deficit (positive) or surplus (negative) from the year before

    @property
    def carried_deficit(self) -> Decimal:
        return max(ZERO, self.carried_over)

    @property
    def carried_surplus(self) -> Decimal:
        return max(ZERO, -self.carried_over)

    @property
    def covered(self) -> Decimal:
        return self.contribution + self.committed + self.carried_surplus

    @property
    def needed(self) -> Decimal:
        return self.lines + self.carried_deficit

    @property
    def challenge(self) -> Decimal:
        """What must be solved inside the budget (lower lines, subsidies): never charged."""
        return max(ZERO, self.needed - self.covered)

    @property
    def challenge_if_hoped_comes(self) -> Decimal:
        return max(ZERO, self.challenge - self.hoped)

    @property
    def room(self) -> Decimal:
        """Covered beyond the lines (not paid back: it stays in the budget)."""
        return max(ZERO, self.covered - self.needed)


def budget_balance(
    lines: Decimal,
    contribution: Decimal,
    financing: Iterable[tuple[Decimal, str]],
    carried_over: Decimal,
) -> Balance:
    """The balance of a year; `financing` holds (amount, status) of money from others."""
    committed = hoped = ZERO
    for amount, status in financing:
        if status == HOPED:
            hoped += amount
        else:
            committed += amount
    return Balance(
        lines=cents(lines),
        contribution=cents(contribution),
        committed=cents(committed),
        hoped=cents(hoped),
        carried_over=cents(carried_over),
    )


def indexed_series(amount: Decimal, percent: Decimal, count: int) -> list[Decimal]:
    """`amount` and the `count - 1` amounts after it, each raised by `percent` on the one before."""
    series = [cents(amount)]
    for _ in range(count - 1):
        series.append(index_amount(series[-1], percent))
    return series


# --- Component 3 -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Participation:
    """One organisation's participation in a project (its position), as the allocation needs it."""

    party: Hashable
    variant: str
    is_core: bool
    amount: Decimal | None = None
    share: Decimal | None = None  # percent
    entry_date: datetime.date | None = None
    withdrawn: bool = False
    yearly: bool = False  # an entrant's passagiersbijdrage: `amount` every year from its entry


@dataclass(frozen=True)
class ProjectCost:
    key: Hashable
    cost: Decimal  # component-3 cost of the whole run
    sharing_key: str
    first_year: int
    last_year: int
    positions: tuple[Participation, ...] = ()


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
        if position.variant == ENTRY and position.yearly:
            # A passenger contribution: each year of the run from the entry moment's year.
            if (
                runs
                and position.entry_date
                and position.entry_date.year <= year
                and position.amount
            ):
                result.payments[position.party] = cents(position.amount)
                result.variants[position.party] = ENTRY
                fixed += cents(position.amount)
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

    contribution: Decimal  # the agreed inwonerbijdrage of the seven
    base: dict[int, dict[Hashable, Decimal]]
    projects: list[ProjectAllocation]
    core: tuple[Hashable, ...]
    # What each party pays over `projects`, when the caller has it already (finance.figures
    # keeps it per year and updates it for the projects that changed).
    paid: dict[Hashable, Decimal] | None = None

    def component_total(self, component: int) -> Decimal:
        return sum(self.base.get(component, {}).values(), ZERO)

    def component3(self, party: Hashable) -> Decimal:
        return self.component3_by_party.get(party, ZERO)

    @functools.cached_property
    def component3_by_party(self) -> dict[Hashable, Decimal]:
        return self.paid if self.paid is not None else payments_by_party(self.projects)

    def for_party(self, party: Hashable) -> dict[str, Decimal]:
        c1 = self.base.get(1, {}).get(party, ZERO)
        c2 = self.base.get(2, {}).get(party, ZERO)
        c3 = self.component3(party)
        return {"c1": c1, "c2": c2, "c3": c3, "total": c1 + c2 + c3}

    # The totals over every project of the year (thousands at ten times today's data): made
    # once, as the figures that hold this result are never changed after they are made.
    @functools.cached_property
    def component3_total(self) -> Decimal:
        return sum((p.covered for p in self.projects), ZERO)

    @functools.cached_property
    def component3_cost(self) -> Decimal:
        return sum((p.year_cost for p in self.projects), ZERO)

    @functools.cached_property
    def gap_total(self) -> Decimal:
        return sum((p.gap for p in self.projects), ZERO)

    @functools.cached_property
    def surplus_total(self) -> Decimal:
        return sum((p.surplus for p in self.projects), ZERO)

    @functools.cached_property
    def outside_core_component3(self) -> Decimal:
        core = set(self.core)
        return sum(
            (a for p in self.projects for party, a in p.payments.items() if party not in core),
            ZERO,
        )


def payments_by_party(projects: Iterable[ProjectAllocation]) -> dict[Hashable, Decimal]:
    """What each party pays over `projects`, in one pass (not one pass per party)."""
    totals: dict[Hashable, Decimal] = {}
    for project in projects:
        for party, amount in project.payments.items():
            totals[party] = totals.get(party, ZERO) + amount
    return totals


def project_allocations(
    year: int,
    inhabitants: Mapping[Hashable, int],
    projects: Iterable[ProjectCost],
    known: MutableMapping[tuple[Hashable, int], ProjectAllocation | None] | None = None,
) -> list[ProjectAllocation]:
    """Component 3 of one year: each project with a cost or a payment that year.

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
    return allocations


def year_contributions(
    year: int,
    budget: BaseBudget,
    inhabitants: Mapping[Hashable, int],
    projects: Iterable[ProjectCost],
    known: MutableMapping[tuple[Hashable, int], ProjectAllocation | None] | None = None,
) -> YearContributions:
    """Components 1, 2 and 3 for one year. `inhabitants` holds the 7 core municipalities."""
    return with_component3(
        budget, inhabitants, project_allocations(year, inhabitants, projects, known)
    )


def with_component3(
    budget: BaseBudget,
    inhabitants: Mapping[Hashable, int],
    allocations: list[ProjectAllocation],
    paid: dict[Hashable, Decimal] | None = None,
) -> YearContributions:
    """Components 1 and 2 of `budget` beside component 3 as already allocated (`paid`: what
    each party pays over `allocations`, if known)."""
    return YearContributions(
        contribution=cents(budget.contribution),
        base=base_contributions(budget, inhabitants),
        projects=allocations,
        core=tuple(sorted(inhabitants, key=_sort_key)),
        paid=paid,
    )


def index_amount(amount: Decimal, percent: Decimal) -> Decimal:
    """An amount raised by an indexation percentage, to the cent."""
    return cents(Decimal(amount) * (HUNDRED + Decimal(percent)) / HUNDRED)
