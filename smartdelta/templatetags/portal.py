"""Formatting filters for the portal: Dutch money and dates, in one place."""

from decimal import Decimal

from django import template

from smartdelta.formatting import format_date, format_datetime, format_dutch_number, format_euro

register = template.Library()


@register.filter
def euro(value):
    return format_euro(value)


@register.filter
def euro_rounded(value):
    """Whole euros, for charts and tight tables."""
    return format_euro(value, cents=False)


@register.filter(expects_localtime=True)
def datum(value):
    """`date(2026, 11, 22)` -> `22 november 2026`."""
    return format_date(value)


@register.filter(expects_localtime=True)
def datumtijd(value):
    """A moment in Dutch time: `30 november 2026 20:05`."""
    return format_datetime(value)


@register.filter
def getal(value):
    """A number the Dutch way: `Decimal("2.50")` -> `2,50` (percentages, rates)."""
    if value is None or value == "":
        return ""
    return format_dutch_number(Decimal(value))
