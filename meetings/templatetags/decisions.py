"""The decision list of a meeting on its page: `{% include "meetings/_decisions.html" %}`.

A tag rather than view context, so both meeting pages (a table's and a regiekamer's) show it
without their views knowing about decisions.
"""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def meeting_decisions(context, meeting):
    from meetings.decision_views import decision_list

    return decision_list(meeting, context["request"].user)
