from django import template

from smartdelta.formatting import format_measured

register = template.Library()


@register.filter
def cijfer(value):
    """A measured figure the Dutch way without trailing zeros (`smartdelta.formatting`)."""
    return format_measured(value)
