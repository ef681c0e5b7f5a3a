"""Formatting filters for the portal: Dutch money and dates, in one place."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import formats
from django.utils.dates import MONTHS

from smartdelta.fields import format_dutch_number

register = template.Library()

NBSP = "\u00a0"


def format_euro(value, cents: bool = True) -> str:
    """`Decimal("4750000")` -> `€ 4.750.000,00` (non-breaking space after the sign)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    quantum = Decimal("0.01") if cents else Decimal("1")
    amount = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}€{NBSP}{format_dutch_number(abs(amount))}"


@register.filter
def euro(value):
    return format_euro(value)


@register.filter
def euro_rounded(value):
    """Whole euros, for charts and tight tables."""
    return format_euro(value, cents=False)


@register.filter
def datum(value):
    """`date(2026, 11, 22)` -> `22 november 2026`."""
    if not value:
        return ""
    # What date_format(value, "j F Y") gives, without parsing the format on every call: pages
    # show up to a hundred dates.
    return f"{value.day} {MONTHS[value.month]} {value.year}"


@register.filter
def datumtijd(value):
    if not value:
        return ""
    return formats.date_format(value, "j F Y H:i")


@register.filter
def getitem(mapping, key):
    """Look up `key` in a dict inside a template (matrix cells)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
