"""Recording the acting user in django-simple-history outside a request (commands, imports)."""

import datetime
from collections.abc import Sequence
from contextlib import contextmanager
from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from simple_history.models import HistoricalRecords

from .formatting import format_date, format_dutch_number


@contextmanager
def acting_as(user):
    """Every history row written inside this block names `user` as the one who changed it."""
    previous = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del HistoricalRecords.context.request
        else:
            HistoricalRecords.context.request = previous


# Bookkeeping every save changes (smartdelta/versioning.py): "Versie: 1 → 2" tells a reader
# nothing, and who changed it when is already the entry's own heading.
BOOKKEEPING_FIELDS = frozenset({"version", "updated_at", "updated_by"})


def timeline(history_rows, fields: Sequence[str] | None = None) -> list[dict]:
    """Readable changes from django-simple-history rows: who, when, and field: old -> new.

    `history_rows` must be ordered newest first for one object (or several, grouped by the
    caller) and should have `history_user` selected. Each entry compares a row with the one
    before it of the same object; choice fields show their Dutch labels. The version counter
    and the who/when stamps are left out: they change on every save.
    """
    rows = list(history_rows)
    entries = []
    previous_by_object = {}
    for row in reversed(rows):
        previous = previous_by_object.get(row.id)
        changes = []
        if previous is not None:
            delta = row.diff_against(
                previous, included_fields=fields, excluded_fields=BOOKKEEPING_FIELDS
            )
            for change in delta.changes:
                field = row.instance_type._meta.get_field(change.field)
                if field.is_relation:
                    # A changed link (a seat's official, who submitted a position) reads as
                    # its name; select_related it in `history_rows` to read it without a query.
                    old, new = _link_name(previous, field), _link_name(row, field)
                else:
                    old, new = _display(field, change.old), _display(field, change.new)
                changes.append({"field": field.verbose_name, "old": old, "new": new})
        entries.append(
            {
                "when": row.history_date,
                "user": row.history_user,
                "type": {"+": "aangemaakt", "~": "gewijzigd", "-": "verwijderd"}[row.history_type],
                "changes": changes,
                "row": row,
            }
        )
        previous_by_object[row.id] = row
    entries.reverse()
    return entries


def _link_name(row, field) -> str:
    if getattr(row, field.attname) is None:
        return "—"
    try:
        return str(getattr(row, field.name))
    except ObjectDoesNotExist:
        return "(verwijderd)"


def _display(field, value):
    if value is None or value == "":
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    # Amounts and dates as everywhere else on the pages ("205.000,00", "4 juni 2024"), not as
    # the template's plain localisation writes them ("205000,00").
    if isinstance(value, Decimal):
        return format_dutch_number(value)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return format_date(value)
    return value


class HistoryKeepingQuerySet(models.QuerySet):
    """A queryset for history-tracked models that refuses `update()`.

    `queryset.update()` writes rows without django-simple-history seeing them, so nobody could
    tell who changed what. Change objects one by one through the service functions (or use
    simple_history.utils.bulk_update_with_history, which records history).
    """

    def update(self, **kwargs):
        raise TypeError(
            f"{self.model.__name__}.objects.update() would skip the history; "
            "save the objects through a service function instead."
        )
