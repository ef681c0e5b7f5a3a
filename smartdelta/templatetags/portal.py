"""Formatting filters for the portal: Dutch money and dates, in one place."""

from decimal import Decimal

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from smartdelta.formatting import (
    format_date,
    format_datetime,
    format_dutch_number,
    format_euro,
    format_percentage,
)
from smartdelta.links import reverse

register = template.Library()


@register.filter
def euro(value):
    return format_euro(value)


@register.filter
def euro_rounded(value):
    """Whole euros, for charts and tight tables."""
    return format_euro(value, cents=False)


@register.filter
def percentage(value):
    """A share in percent: `12,500`, `14` (what floatformat:"-3" writes, faster)."""
    return format_percentage(value)


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


class RememberedURLNode(URLNode):
    """Django's `{% url %}` node, reversing through `smartdelta.links.reverse`."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {key: value.resolve(context) for key, value in self.kwargs.items()}
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        try:
            url = reverse(
                self.view_name.resolve(context), args=args, kwargs=kwargs, current_app=current_app
            )
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """`{% url %}` as Django's (same syntax and answers), with the reverse() remembered: the
    portal's pages link every row, and reverse() was a tenth of their rendering time. This
    library is a template builtin (settings.TEMPLATES), loaded after Django's own, so this tag
    is the `{% url %}` of every template."""
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
