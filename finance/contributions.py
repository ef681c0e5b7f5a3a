"""The figures of budget years for pages, exports and letters, kept per process.

`load_inputs(years)` returns the loaded rows (finance.loading) of those years with what was
computed over them (finance.figures), from a per-process cache. The cache is keyed by the
figures clock (finance.clock): every write that can move money raises it in its own
transaction, serialised and in commit order, so a cached entry is used only when nothing has
committed since it was read, and is never older than what a reader has seen. Reading the clock
is one query. When only positions changed since (officials saving, the common case), only the
projects of those positions are read and allocated again, and each year's totals move by their
old and new payments (finance.figures.Memo); any other change reads everything.
Cached objects are shared between requests and must not be changed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection

from smartdelta.models import Organisation

from . import clock, loading
from .figures import Memo, OutlookYear, Scenario, YearFigures, compute, outlook
from .models import BudgetYear

__all__ = ["Scenario", "YearFigures", "load_inputs", "load_figures", "clear_cache"]

CACHE_SIZE = 16


@dataclass
class Inputs:
    """What the computation reads from the database, loaded once for a span of years."""

    years: tuple[int, ...]
    budgets: dict[int, BudgetYear]
    cores: list[Organisation]
    projects: list
    tick: clock.Tick
    memo: Memo = field(default_factory=Memo)
    computed: dict[int, YearFigures] = field(default_factory=dict)
    # After saved positions: the sorted project lists of the figures before, per year, and the
    # projects whose positions changed since (YearFigures.carry_from).
    earlier: dict[int, dict] = field(default_factory=dict)
    changed: frozenset = frozenset()
    outlooks: dict[int, list[OutlookYear]] = field(default_factory=dict)

    def figures(self, year: int, scenario: Scenario | None = None) -> YearFigures | None:
        budget = self.budgets.get(year)
        if budget is None:
            return None
        if scenario is not None:
            return compute(budget, self.cores, self.projects, self.memo, scenario)
        if year not in self.computed:
            figures = compute(budget, self.cores, self.projects, self.memo)
            if year in self.earlier:
                figures.carry_from(self.earlier[year], self.changed)
            self.computed[year] = figures
        return self.computed[year]

    def outlook(self, year: int) -> list[OutlookYear]:
        """The meerjarenraming from `year` (the span loaded must reach three years further)."""
        budget = self.budgets.get(year)
        if budget is None:
            return []
        if year not in self.outlooks:
            self.outlooks[year] = outlook(
                budget, self.budgets, self.cores, self.projects, self.memo
            )
        return self.outlooks[year]


def span(year: int) -> list[int]:
    """The years a page about `year` reads: the year before (comparison) to three after."""
    return list(range(year - 1, year + 4))


def load_inputs(years: Iterable[int]) -> Inputs:
    years = tuple(sorted(set(years)))
    key = (connection.alias, connection.settings_dict["NAME"], years)
    now = clock.now()
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
    if cached is not None and cached.tick == now:
        return cached
    inputs = None
    if cached is not None and cached.tick.number <= now.number:
        inputs = _with_fresh_positions(cached, now)
    if inputs is None:
        inputs = _read(years, now)
    with _lock:
        current = _cache.get(key)
        # Another thread may have stored a newer read meanwhile: keep the newest. What this
        # read replaces is replaced whatever its number: one ahead of the clock was read inside
        # a transaction that rolled back.
        if current is None or current is cached or current.tick.number <= inputs.tick.number:
            _cache[key] = inputs
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return inputs


def _read(years: tuple[int, ...], tick: clock.Tick) -> Inputs:
    budgets = loading.budgets_for(years)
    if not budgets:
        return Inputs(years=years, budgets={}, cores=[], projects=[], tick=tick)
    return Inputs(
        years=years,
        budgets=budgets,
        cores=loading.core_municipalities(),
        projects=loading.projects_for(years),
        tick=tick,
    )


def _with_fresh_positions(cached: Inputs, tick: clock.Tick) -> Inputs | None:
    """`cached` with the projects whose positions changed read again; None to read everything."""
    changed, other = clock.changes_since(cached.tick, tick)
    if other or not cached.budgets:
        return None
    fresh = {p.id: p for p in loading.projects_for(cached.years, only=changed)} if changed else {}
    known = {p.id for p in cached.projects}
    if not fresh.keys() <= known:
        return None  # a project that now has money in these years: its place in the order
    projects = [fresh.get(p.id, p) for p in cached.projects if p.id not in changed or p.id in fresh]
    return Inputs(
        years=cached.years,
        budgets=cached.budgets,
        cores=cached.cores,
        projects=projects,
        tick=tick,
        memo=cached.memo.without(changed),
        # The lists themselves, not the figures: nothing keeps a chain of earlier figures alive.
        earlier={year: figures.carried() for year, figures in list(cached.computed.items())},
        changed=frozenset(changed),
    )


def load_figures(years: Iterable[int]) -> dict[int, YearFigures]:
    """The figures of each existing budget year among `years` (missing years are left out)."""
    inputs = load_inputs(years)
    return {year: inputs.figures(year) for year in inputs.budgets}


_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()
    clock.forget()
