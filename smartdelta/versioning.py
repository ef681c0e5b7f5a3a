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

from django.conf import settings
from django.db import models
from django.utils import timezone

from smartdelta.errors import ConflictError
from smartdelta.formatting import format_datetime

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
