"""Is a measurement on schedule? Pure functions, no ORM (tested without a database).

Issue 27: "A measurement behind the trajectory to its target is marked". The trajectory is the
straight line from the baseline to the next target; once a target date has passed, the line to
the following target starts at that target (each period has its own target, as in IATI), and
after the last target the last target itself is the bar.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

HIGHER = "hoger"
LOWER = "lager"

BEHIND = "achter op schema"


def expected_value(
    start: tuple[datetime.date, Decimal], end: tuple[datetime.date, Decimal], on: datetime.date
) -> Decimal:
    """The value on the straight line from `start` to `end` (both (date, value)) at `on`."""
    (start_date, start_value), (end_date, end_value) = start, end
    if on >= end_date or end_date <= start_date:
        return end_value
    if on <= start_date:
        return start_value
    elapsed = Decimal((on - start_date).days) / Decimal((end_date - start_date).days)
    return start_value + (end_value - start_value) * elapsed


def trajectory_value(
    baseline: tuple[datetime.date, Decimal],
    targets: Sequence[tuple[datetime.date, Decimal]],
    on: datetime.date,
) -> Decimal | None:
    """Where the indicator should be at `on`; None without targets."""
    if not targets:
        return None
    start = baseline
    for target in sorted(targets):
        if on <= target[0]:
            return expected_value(start, target, on)
        start = target
    return start[1]


def is_behind(
    direction: str,
    baseline: tuple[datetime.date, Decimal],
    targets: Sequence[tuple[datetime.date, Decimal]],
    on: datetime.date,
    value: Decimal,
) -> bool:
    """Whether `value` measured at `on` is behind the trajectory (respecting the direction)."""
    expected = trajectory_value(baseline, targets, on)
    if expected is None:
        return False
    return value > expected if direction == LOWER else value < expected


def next_target(
    targets: Sequence[tuple[datetime.date, Decimal]], on: datetime.date
) -> tuple[datetime.date, Decimal] | None:
    """The first target on or after `on`, else the last one (None without targets)."""
    ordered = sorted(targets)
    for target in ordered:
        if target[0] >= on:
            return target
    return ordered[-1] if ordered else None


def trend(direction: str, previous: Decimal | None, latest: Decimal) -> str:
    """How the latest measurement compares with the one before: "beter", "slechter", "gelijk"
    (and "" when there is no earlier measurement)."""
    if previous is None:
        return ""
    if latest == previous:
        return "gelijk"
    up = latest > previous
    return "beter" if up == (direction != LOWER) else "slechter"


def movement(previous: Decimal, latest: Decimal) -> str:
    """How a figure moved since the measurement before, in the words of a council report:
    "gestegen", "gedaald" or "gelijk gebleven" (whether that is good is `trend`'s)."""
    if latest == previous:
        return "gelijk gebleven"
    return "gestegen" if latest > previous else "gedaald"


def parts_difference(total: Decimal, parts: Sequence[Decimal]) -> Decimal:
    """How far the parts are from the total (0 when they add up exactly; empty parts: 0)."""
    if not parts:
        return Decimal(0)
    return sum(parts, Decimal(0)) - total
