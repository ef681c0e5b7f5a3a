from decimal import Decimal

from django import template

from smartdelta.formatting import format_dutch_number

register = template.Library()


@register.filter
def cijfer(value):
    """A measured figure the Dutch way without trailing zeros: `960.00` -> `960`,
    `12.50` -> `12,5`, `1500` -> `1.500`."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return format_dutch_number(value)
