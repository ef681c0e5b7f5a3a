"""The multiplier: outside money per euro the seven pay, per theme and in total (issue 27).

Seed 001 ("Bekostiging"): "Met deze inzet stellen we onszelf in staat om tot een multiplier te
komen op onze eigen investeringen met behulp van het aantrekken van provinciale, nationale en
Europese middelen." So, for one budget year Y:

- **Outside money of a theme** is the committed or received money of its projects from outside
  the collaboration (`portfolio.ExternalFunding`: Regio Deal, Rijk, province, EU, private). A
  project's outside money is for its whole run, so it falls evenly over the calendar years of
  its run, as its component-3 cost does (`finance.allocation`); Y gets its part.
- **What the seven pay for a theme** is what binds them in Y for the theme's projects: the
  kept component-3 figures (`ProjectYear.core`).
- A project counts on both sides, or on neither: only in a year in which its coalition is final
  (`ProjectYear.binding`; ideas and stopped projects have no year at all). Until then the seven
  pay nothing for it that binds, so its outside money would count against nothing; it is shown
  apart as waiting (`waiting`), as the budget page shows an open coalition's cost apart.
- **The total** adds what is not tied to a theme: the budget's own committed or received
  financing from others (`Financing` of kind subsidy, partner or neighbour; "overige
  inkomsten" is no attracted money) beside the seven's agreed inwonerbijdrage for components
  1 and 2 (`BudgetYear.contribution`). Total multiplier = all counted outside money in Y / (the
  inwonerbijdrage + all component 3 the seven pay in Y).

Hoped money never counts (seed 002: "Er is nog geen concrete toezegging"); it is shown beside
the figures. What neighbours and partners pay by a position on a project (component 3 by
others) is a share of the project's cost, not attracted money, and is left out. Without
anything paid by the seven there is no multiplier (`factor` None, the page writes "–").

Read in one query whatever the number of projects (the year's project rows with their themes
and outside money), plus one for the financing when the caller has not read it already.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Subquery, Sum

from portfolio.models import ExternalFunding, FundingStatus, Theme

from . import allocation
from .models import BudgetYear, Financing, FinancingKind, ProjectYear

ZERO = allocation.ZERO
TENTH, HUNDREDTH = Decimal("0.1"), Decimal("0.01")
# Money attracted from others for the budget itself; "overige inkomsten" is not.
OUTSIDE_KINDS = [FinancingKind.SUBSIDY, FinancingKind.PARTNER, FinancingKind.NEIGHBOUR]


@dataclass(frozen=True)
class MultiplierRow:
    """One line of the table: a theme, the budget itself (components 1 and 2), or the total."""

    label: str
    outside: Decimal  # committed or received outside money in the year
    own: Decimal  # what the seven pay in the year
    hoped: Decimal = ZERO  # hoped outside money in the year: shown, never counted
    # Committed or received, for projects whose coalition is still open: counts once it is final.
    waiting: Decimal = ZERO
    theme: Theme | None = None

    @property
    def factor(self) -> Decimal | None:
        """Outside money per euro of the seven: to one decimal (2.4), below 1 to two (0.02, so a
        small multiplier does not read as none); None when the seven pay nothing."""
        if not self.own:
            return None
        factor = self.outside / self.own
        return factor.quantize(TENTH if factor >= 1 else HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Multiplier:
    year: int
    themes: list[MultiplierRow]
    budget: MultiplierRow  # the budget's own financing beside the inwonerbijdrage (not a theme)
    total: MultiplierRow

    @property
    def rows(self) -> list[MultiplierRow]:
        """The themes, then the budget itself: together they add up to `total`."""
        return [*self.themes, self.budget]

    @property
    def waiting_themes(self) -> list[MultiplierRow]:
        return [row for row in self.themes if row.waiting]

    @property
    def without_factor(self) -> bool:
        """Some line has no multiplier because the seven pay nothing for it."""
        return any(row.factor is None for row in [*self.rows, self.total])


@functools.lru_cache(maxsize=4096)
def _spread(amount: Decimal, first_year: int, last_year: int) -> dict[int, Decimal]:
    # Remembered: demo and real portfolios repeat the same amounts and runs.
    return allocation.spread_over_years(amount, first_year, last_year)


def year_part(
    amount: Decimal, start: datetime.date | None, end: datetime.date | None, year: int
) -> Decimal:
    """The part of a project's `amount` that falls in `year`: evenly over the calendar years of
    its run (without an end date the run is its first year), 0 outside the run."""
    if start is None:
        return ZERO
    first = start.year
    last = max(first, end.year if end else first)
    if not first <= year <= last:
        return ZERO
    return _spread(allocation.cents(amount), first, last)[year]


def for_year(budget: BudgetYear, financing: list[Financing] | None = None) -> Multiplier:
    """The multiplier of `budget`'s year per theme, for the budget itself and in total (see the
    module docstring for what counts). `financing`: the budget's financing rows when the caller
    has them already (the budget page), else they are read. Themes without a project in the
    year are left out: they have nothing to show."""
    year = budget.year

    def outside_money(statuses):
        return Subquery(
            ExternalFunding.objects.filter(project=OuterRef("project_id"), status__in=statuses)
            .order_by()
            .values("project")
            .annotate(total=Sum("amount"))
            .values("total")
        )

    # What the seven pay per theme, summed by the database over every kept year row (only
    # binding rows have money of the seven: `core` is 0 while a coalition is open); each row
    # keeps its project's theme, so the sum reads the index `project_year_by_theme` alone.
    themes: dict[int, dict] = {}
    for theme_id, name, order, own in (
        ProjectYear.objects.filter(year=year)
        .values_list("theme_id", "theme__name", "theme__order")
        .annotate(own=Sum("core"))
        .order_by("theme__order", "theme__name")
    ):
        themes[theme_id] = {
            "theme": Theme(pk=theme_id, name=name, order=order),
            **dict.fromkeys(("outside", "hoped", "waiting"), ZERO),
            "own": own or ZERO,
        }
    # The outside money, project by project (each spread over its own run): only the projects
    # that have any, a handful beside the thousands of the year.
    funded = (
        ProjectYear.objects.filter(year=year, project__in=ExternalFunding.objects.values("project"))
        .annotate(
            counted=outside_money(FundingStatus.counting()),
            hoped=outside_money([FundingStatus.HOPED]),
        )
        .order_by()
        .values_list(
            "project__theme_id",
            "project__start_date",
            "project__end_date",
            "binding",
            "counted",
            "hoped",
        )
    )
    for theme_id, start, end, binds, counted, hoped in funded:
        theme = themes[theme_id]
        if counted:
            theme["outside" if binds else "waiting"] += year_part(counted, start, end, year)
        if hoped:
            theme["hoped"] += year_part(hoped, start, end, year)

    rows = [
        MultiplierRow(
            label=theme["theme"].name,
            theme=theme["theme"],
            outside=theme["outside"],
            hoped=theme["hoped"],
            waiting=theme["waiting"],
            own=allocation.cents(theme["own"]),
        )
        for theme in themes.values()
    ]
    if financing is None:
        financing = list(budget.financing.all())
    from_others = [f for f in financing if f.kind in OUTSIDE_KINDS]
    own_budget = MultiplierRow(
        label="De begroting zelf (componenten 1 en 2, niet aan een thema gebonden)",
        outside=sum((f.amount for f in from_others if f.covers), ZERO),
        hoped=sum((f.amount for f in from_others if not f.covers), ZERO),
        own=budget.contribution,
    )
    every = [*rows, own_budget]
    total = MultiplierRow(
        label="Totaal",
        outside=sum((r.outside for r in every), ZERO),
        hoped=sum((r.hoped for r in every), ZERO),
        waiting=sum((r.waiting for r in every), ZERO),
        own=sum((r.own for r in every), ZERO),
    )
    return Multiplier(year=year, themes=rows, budget=own_budget, total=total)
