"""The figures clock: when the money figures may have changed, correct by construction.

Every saved row of a model the figures read (budgets, lines, financing, projects and their
themes, positions, organisations, inhabitants) writes a history row (django-simple-history;
`queryset.update()` is refused on these models). When that history row is written, `tick()`
raises the one row of `FiguresClock` in the same transaction and logs what changed (a position's project, or
"anything"). The raise holds a row lock until commit, so two such writes are serialised and
their ticks follow their commit order: when a reader sees tick N, every change with a tick up
to N has committed and is visible. A per-process cache keyed by the tick can therefore never
keep figures older than what it saw (issue 18: the history-id fingerprint missed a
transaction that committed after one with a higher id).

This listens to simple-history's `post_create_historical_record` signal rather than being
called by each service function: it is cache bookkeeping, not a domain rule, and it must hold
for every writer, the admin and the shell included. Bulk loads that skip history
(`make_bench_data`) call `tick()` themselves.

A tick is its number and a stamp unique to the write that set it. A transaction that ticked
and rolled back leaves its number to the next writer; a reader inside that transaction saw
the number with changes that never committed. Whatever was kept under that tick is kept under
its stamp too, which no committed write carries, so it is never taken for the committed tick
of the same number, nor used as the base of an update (`changes_since`).
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from simple_history.signals import post_create_historical_record

from .models import FiguresChange, FiguresClock

_SQL_RAISE = "UPDATE {table} SET tick = tick + 1, stamp = %s WHERE id = 1 RETURNING tick"
# The log keeps the last KEEP ticks, pruned once every PRUNE_EVERY ticks by the writer that
# reaches it. A reader whose figures are older than what is kept reads everything again.
KEEP = 10_000
PRUNE_EVERY = 1_000


@dataclass(frozen=True)
class Tick:
    """A state of the watched models: equal ticks are the same state. Ordered by `number`
    alone, and only where a newer one replaces an older one."""

    number: int
    stamp: str = ""


def tick(project_id: int | None = None) -> Tick:
    """Raise the clock in the current transaction and log what changed; returns the new tick."""
    table = connection.ops.quote_name(FiguresClock._meta.db_table)
    stamp = uuid.uuid4().hex
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_SQL_RAISE.format(table=table), [stamp])
            row = cursor.fetchone()
        if row is None:  # a new or flushed database: the row is made once
            FiguresClock.objects.get_or_create(pk=1, defaults={"tick": 0})
            with connection.cursor() as cursor:
                cursor.execute(_SQL_RAISE.format(table=table), [stamp])
                row = cursor.fetchone()
        FiguresChange.objects.create(tick=row[0], stamp=stamp, project_id=project_id)
        if row[0] % PRUNE_EVERY == 0:
            FiguresChange.objects.filter(tick__lte=row[0] - KEEP).delete()
    return Tick(row[0], stamp)


def now() -> Tick:
    """The tick of the last change this connection sees (number 0 before any)."""
    row = FiguresClock.objects.filter(pk=1).values_list("tick", "stamp").first()
    return Tick(*row) if row else Tick(0)


_remembered: dict = {}
_remembered_lock = threading.Lock()


def remembered(key, make):
    """`make()`, made again in this process only when the clock has moved since it was made.

    For an answer read from the watched models alone (`key` names it and what it depends on).
    The clock is read before `make()` runs, so the answer is at least as new as the tick it is
    kept under: a reader that sees the same tick later gets nothing older than it would read
    itself, and any committed change to what it depends on has moved the clock.
    """
    key = (connection.alias, connection.settings_dict["NAME"], key)
    tick = now()
    seen = _remembered.get(key)
    if seen is not None and seen[0] == tick:
        return seen[1]
    value = make()
    with _remembered_lock:
        # Keep another thread's newer answer; replace the one seen whatever its number (one
        # ahead of the clock was read inside a transaction that rolled back).
        kept = _remembered.get(key)
        if kept is None or kept is seen or kept[0].number <= tick.number:
            _remembered[key] = (tick, value)
    return value


def forget() -> None:
    """Drop what `remembered` keeps (tests: each starts from an empty process)."""
    with _remembered_lock:
        _remembered.clear()


def changes_since(since: Tick, until: Tick) -> tuple[set[int], bool]:
    """The projects whose positions changed after `since` up to `until`, and whether anything
    else did (then, or when this cannot be known, the caller reads everything).

    Every tick logs exactly one row in its own transaction, so `since` and the ticks after it
    up to `until` are `until - since + 1` rows, `since` with its own stamp, unless the log was
    pruned or `since` never committed (a reader inside a transaction that rolled back).
    """
    rows = list(
        FiguresChange.objects.filter(tick__gte=since.number, tick__lte=until.number).values_list(
            "tick", "stamp", "project_id"
        )
    )
    if since.number > 0:
        if (since.number, since.stamp) not in {(t, stamp) for t, stamp, _ in rows}:
            return set(), True
        rows = [row for row in rows if row[0] != since.number]
    if len(rows) != until.number - since.number:
        return set(), True
    projects = set()
    other = False
    for _, _, project_id in rows:
        if project_id is None:
            other = True
        else:
            projects.add(project_id)
    return projects, other


def watched_models():
    from portfolio.models import Commitment, Project, Theme
    from smartdelta.models import InhabitantCount, Organisation

    from .models import BudgetAmendment, BudgetLine, BudgetYear, Financing

    return [
        BudgetYear,
        BudgetLine,
        Financing,
        BudgetAmendment,
        Project,
        # The figures keep each project's theme (name and order: the report lists them).
        Theme,
        Commitment,
        Organisation,
        InhabitantCount,
    ]


def _on_history(sender, instance, history_instance, **kwargs):
    from portfolio.models import Commitment

    project_id = instance.project_id if isinstance(instance, Commitment) else None
    tick(project_id)


def connect() -> None:
    for model in watched_models():
        post_create_historical_record.connect(
            _on_history,
            sender=model.history.model,
            dispatch_uid=f"figures-clock-{model._meta.label}",
        )
