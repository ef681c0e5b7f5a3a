"""The decision list of a meeting on its page: `{% include "meetings/_decisions.html" %}`.

A tag rather than view context, so both meeting pages (a table's and a regiekamer's) show it
without their views knowing about decisions.
"""

from django import template

from meetings.decisions import decision_list

register = template.Library()


@register.simple_tag(takes_context=True)
def meeting_decisions(context, meeting):
    return decision_list(meeting, context["request"].user)
