"""Optimistic locking and the acting user: the one contract of every write a person makes.

A write is a verb-named function `verb(user, obj, ..., seen_version=...)` that runs in
`transaction.atomic`, checks the permission (`smartdelta.permissions`), and then:

    current = lock(Model.objects, obj.pk, seen_version, "Deze positie")   # or ConflictError
    ... change current ...
    stamp(current, user)                                                 # version + 1, who, when
    current.save()

`lock` refuses a write that does not name the version the user saw (a form without its hidden
`version` field is never taken as "no conflict"), and a write based on an older version: the
message says who changed it and when, in Dutch time. The view then shows the form with the
user's own input and the current stored value beside it (see README "Writing").
`stamp` also names the user for django-simple-history, so history never depends on the request
middleware (commands and tasks write through the same functions).
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from smartdelta.errors import ConflictError
from smartdelta.formatting import format_date, format_datetime, format_dutch_number, format_euro

MISSING_VERSION = (
    "Uw wijziging is niet opgeslagen: er ontbreekt welke versie u zag. Laad de pagina opnieuw "
    "en breng uw wijziging opnieuw aan."
)


class Versioned(models.Model):
    """A row that people change: its version, and who changed it last and when."""

    version = models.PositiveIntegerField("versie", default=1)
    updated_at = models.DateTimeField("gewijzigd op", default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="gewijzigd door",
    )

    class Meta:
        abstract = True


def conflict(current: Versioned, what: str) -> ConflictError:
    """The one conflict message: `what` changed since the user loaded it; by whom, when."""
    who = getattr(current, "updated_by", None) or "een ander"
    when = format_datetime(getattr(current, "updated_at", None))
    moment = f" door {who} op {when}" if when else f" door {who}"
    return ConflictError(
        f"{what} is intussen gewijzigd{moment}. Er is niets overschreven. Hieronder ziet u uw "
        "eigen invoer, met de huidige opgeslagen waarde erbij; pas zo nodig aan en sla "
        "opnieuw op.",
        current=current,
    )


def check_version(current: Versioned, seen_version: int | None, what: str) -> None:
    """Refuse when the user named no version, or an older one than `current`'s."""
    if seen_version is None:
        raise ConflictError(MISSING_VERSION, current=current)
    if current.version != seen_version:
        raise conflict(current, what)


def lock(queryset: models.QuerySet, pk, seen_version: int | None, what: str):
    """Lock the row `pk` for this transaction and check the version the user saw."""
    current = queryset.select_for_update(of=("self",)).get(pk=pk)
    check_version(current, seen_version, what)
    return current


def stamp(instance: models.Model, user) -> None:
    """Record a change by `user`: the next version, who and when, and the history user."""
    if getattr(instance, "pk", None) is not None and hasattr(instance, "version"):
        instance.version += 1
    if hasattr(instance, "updated_at"):
        instance.updated_at = timezone.now()
    if hasattr(instance, "updated_by_id"):
        instance.updated_by = user
    # django-simple-history takes this before the request's user.
    instance._history_user = user


def with_current_version(data, current: Versioned):
    """The user's input with the version stored now: the form shown after a conflict keeps what
    the user typed, and saving it again is a deliberate choice over the other person's change."""
    data = data.copy()
    data["version"] = str(current.version)
    return data


def conflict_form(error: ConflictError, data, build: Callable, now: str = ""):
    """The form a view shows after `error`: the one answer to a conflict (README "Writing").

    The user's own input (`data`) with the version stored now, so that saving again is a
    deliberate choice over the other person's change; beside each field whose input differs,
    the value stored now, as the message promises; the message at the top, followed by `now`
    where the view says in words what is stored now ("Huidige status: ingediend.").
    `build(data, stored)` makes the view's own form from the data and a copy of the stored row
    (a ModelForm may take it as its instance: its validation writes the input onto it)."""
    current = error.current
    form = build(with_current_version(data, current), copy.copy(current))
    form.is_valid()
    name_stored_values(form, current)
    form.add_error(None, f"{error} {now}" if now else str(error))
    return form


def name_stored_values(form, current: Versioned) -> None:
    """After a conflict: at each field of `form` whose input differs from what `current` holds
    now, the stored value ("Nu opgeslagen: € 7.750,00."), as the conflict message promises.
    Fields that `current`'s model does not have (the version, a form's own choices) are left
    alone."""
    cleaned = getattr(form, "cleaned_data", {})
    for name in list(form.fields):
        if name == "version":
            continue
        try:
            field = current._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_many or field.one_to_many:
            continue
        stored = getattr(current, name)
        if name in cleaned and (cleaned[name] or None) == (stored or None):
            continue
        form.add_error(name, f"Nu opgeslagen: {stored_value(current, field)}.")


def stored_value(obj, field) -> str:
    """One stored value of `obj` as the portal writes it for its users."""
    value = getattr(obj, field.name)
    if value is None or value == "":
        return "leeg"
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        money = isinstance(field, models.DecimalField) and field.decimal_places == 2
        return (
            format_euro(value) if money and field.max_digits >= 13 else format_dutch_number(value)
        )
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    return str(value)
