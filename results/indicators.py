"""Indicators, targets and measurements: the only writers of the results models (issue 27).

"Who keeps them: the carriers of a project (those who may post its progress) enter its
measurements; the programme office keeps a theme's indicators; every change is in the history."
So the programme office defines indicators and their targets (`permissions.can_keep_indicators`)
and enters a theme's measurements; a project's measurements are entered by its carriers
(`permissions.can_enter_measurement`).

Each function follows `smartdelta.versioning`: the acting user first, one transaction, the
permission re-checked here, the version checked for rows that change, the user stamped.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_save

from portfolio.models import Project, Theme
from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.formatting import format_dutch_number
from smartdelta.models import Organisation, User
from smartdelta.versioning import lock, stamp

from . import trajectory
from .models import Indicator, IndicatorState, Measurement, MeasurementPart, Target
from .trajectory import parts_difference

KEEPS_INDICATORS = "Alleen het programmabureau houdt indicatoren en streefwaarden bij."
ENTERS_MEASUREMENTS = (
    "Metingen van dit project voeren het programmabureau en de ambtenaren van de trekker en van "
    "volledige deelnemers in; die van een thema het programmabureau."
)


def _validate(instance, exclude=()) -> None:
    try:
        instance.full_clean(exclude=["updated_by", *exclude])
    except ValidationError as error:
        raise DomainError(" ".join(m for ms in error.message_dict.values() for m in ms)) from error


@transaction.atomic
def define_indicator(
    user: User,
    *,
    name: str,
    unit: str,
    direction: str,
    baseline_date: datetime.date,
    baseline_value: Decimal,
    theme: Theme | None = None,
    project: Project | None = None,
) -> Indicator:
    """A new indicator of a theme or of a project (exactly one of them)."""
    if not permissions.can_keep_indicators(user):
        raise DomainError(KEEPS_INDICATORS)
    if (theme is None) == (project is None):
        raise DomainError("Een indicator hoort bij een thema of bij een project.")
    indicator = Indicator(
        theme=theme,
        project=project,
        name=name,
        unit=unit,
        direction=direction,
        baseline_date=baseline_date,
        baseline_value=baseline_value,
    )
    _validate(indicator)
    stamp(indicator, user)
    indicator.save()
    keep_state(indicator.pk)
    return indicator


# What may change of an indicator once defined: not whether it belongs to a theme or a project.
INDICATOR_FIELDS = ("name", "unit", "direction", "baseline_date", "baseline_value")


@transaction.atomic
def update_indicator(
    user: User, indicator: Indicator, changes: dict, seen_version: int | None
) -> Indicator:
    """Change an indicator's name, unit, direction or baseline, refused when someone else
    changed it since the user saw it. A baseline after a measurement is refused: a measurement
    never lies before the baseline (`add_measurement`)."""
    if not permissions.can_keep_indicators(user):
        raise DomainError(KEEPS_INDICATORS)
    current = lock(Indicator.objects, indicator.pk, seen_version, "Deze indicator")
    for field in INDICATOR_FIELDS:
        if field in changes:
            setattr(current, field, changes[field])
    first = current.measurements.order_by("date").values_list("date", flat=True).first()
    if first is not None and current.baseline_date > first:
        raise DomainError(
            "De peildatum van de nulmeting ligt na de eerste meting; kies een eerdere datum."
        )
    _validate(current)
    stamp(current, user)
    current.save()
    keep_state(current.pk)
    return current


@transaction.atomic
def add_target(
    user: User, indicator: Indicator, period_end: datetime.date, value: Decimal
) -> Target:
    """A new target of `indicator` at the end of a period (one per date)."""
    if not permissions.can_keep_indicators(user):
        raise DomainError(KEEPS_INDICATORS)
    if Target.objects.filter(indicator=indicator, period_end=period_end).exists():
        raise DomainError("Deze indicator heeft al een streefwaarde op die datum.")
    target = Target(indicator=indicator, period_end=period_end, value=value)
    _validate(target, exclude=["indicator"])
    stamp(target, user)
    target.save()
    keep_state(indicator.pk)
    return target


@transaction.atomic
def update_target(user: User, target: Target, value: Decimal, seen_version: int | None) -> Target:
    """Change a target's value, refused when someone else changed it since the user saw it."""
    if not permissions.can_keep_indicators(user):
        raise DomainError(KEEPS_INDICATORS)
    current = lock(Target.objects, target.pk, seen_version, "Deze streefwaarde")
    current.value = value
    _validate(current, exclude=["indicator"])
    stamp(current, user)
    current.save()
    keep_state(current.indicator_id)
    return current


def keep_state(indicator_pk: int) -> IndicatorState:
    """Write whether the indicator's latest measurement is behind its trajectory, in the
    transaction of the change that may move it. Under the indicator's row lock: two writers of
    one indicator take turns, and the second reads what the first committed."""
    indicator = (
        Indicator.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=indicator_pk)
    )
    latest = indicator.measurements.order_by("-date", "-pk").first()
    points = list(indicator.targets.values_list("period_end", "value"))
    baseline = (indicator.baseline_date, indicator.baseline_value)
    behind = latest is not None and trajectory.is_behind(
        indicator.direction, baseline, points, latest.date, latest.value
    )
    state, _ = IndicatorState.objects.update_or_create(
        indicator=indicator, defaults={"behind": behind, "theme_id": theme_of(indicator)}
    )
    return state


def theme_of(indicator: Indicator) -> int:
    """The theme whose board table follows `indicator`: its own, or its project's."""
    return indicator.theme_id or indicator.project.theme_id


def _project_saved(sender, instance: Project, **kwargs) -> None:
    """A project moved to another theme takes the kept theme of its indicators along, in the
    transaction of its save (whoever saves it: a service or the admin)."""
    IndicatorState.objects.filter(indicator__project=instance).exclude(
        theme_id=instance.theme_id
    ).update(theme_id=instance.theme_id)


def connect() -> None:
    post_save.connect(_project_saved, sender=Project, dispatch_uid="results-indicator-theme")


def check_parts(value: Decimal, parts: dict[Organisation, Decimal]) -> None:
    """The municipal parts of a regional figure add up to it exactly (or there are none)."""
    difference = parts_difference(value, list(parts.values()))
    if difference:
        total = sum(parts.values(), Decimal(0))
        raise DomainError(
            f"De delen van de gemeenten tellen op tot {format_dutch_number(total)}, niet tot "
            f"de meting van {format_dutch_number(value)}. Pas de delen of de meting aan, of laat "
            "alle delen leeg."
        )


@transaction.atomic
def add_measurement(
    user: User,
    indicator: Indicator,
    *,
    date: datetime.date,
    value: Decimal,
    source: str,
    parts: dict[Organisation, Decimal] | None = None,
    is_demo: bool = False,
) -> Measurement:
    """A new measurement with its source, and each municipality's part where it has them.

    Measurements are a log, like progress updates: a later figure is a new measurement.
    """
    if not permissions.can_enter_measurement(user, indicator):
        raise DomainError(ENTERS_MEASUREMENTS)
    if date < indicator.baseline_date:
        raise DomainError("Een meting ligt niet vóór de peildatum van de nulmeting.")
    parts = {org: part for org, part in (parts or {}).items() if part is not None}
    check_parts(value, parts)
    measurement = Measurement(
        indicator=indicator,
        date=date,
        value=value,
        source=source,
        is_demo=is_demo,
        entered_by=user,
    )
    _validate(measurement, exclude=["indicator", "entered_by"])
    stamp(measurement, user)
    measurement.save()
    for organisation, part_value in parts.items():
        part = MeasurementPart(measurement=measurement, organisation=organisation, value=part_value)
        _validate(part, exclude=["measurement"])
        part._history_user = user
        part.save()
    keep_state(indicator.pk)
    return measurement
