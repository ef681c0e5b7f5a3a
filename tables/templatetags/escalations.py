"""One row of the regiekamer overview, as a tag in Python.

The overview lists a page of escalations per regiekamer (up to 50 rows, each with five related
objects); a row rendered by the template language was about half of the page's time. The
markup is built with format_html, so every value is escaped.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from smartdelta.formatting import format_date as datum
from smartdelta.links import reverse
from tables.models import Category, EscalationState, Urgency

register = template.Library()

# What get_FOO_display() says, without it rebuilding the dict of choices on every call.
CATEGORIES = dict(Category.choices)
STATES = dict(EscalationState.choices)
URGENCIES = dict(Urgency.choices)
OVERDUE = mark_safe(' <span class="badge badge--overdue">Over de termijn</span>')


@register.simple_tag
def escalation_row(escalation):
    """Title and where it comes from, state, urgency, owner and deadline of one escalation.

    `escalation` carries the names of its theme, project and reporter's organisation as
    annotations (tables.views.OVERVIEW_NAMES).
    """
    overdue = escalation.is_overdue
    origin = [CATEGORIES.get(escalation.category, escalation.category)]
    if escalation.table_id:
        origin.append(escalation.theme_name)
    if escalation.project_id:
        origin.append(escalation.project_name)
    origin.append(escalation.reporter_organisation or str(escalation.reporter))
    return format_html(
        "<tr{}>"
        '<th scope="row"><a class="utrecht-link" href="{}">{}</a><br>'
        '<span class="portal-muted">{}</span></th>'
        '<td><span class="badge badge--{}">{}</span></td>'
        '<td><span class="badge badge--{}">{}</span></td>'
        "<td>{}</td><td>{}{}</td></tr>",
        mark_safe(' class="tables-overdue"') if overdue else "",
        reverse("regiekamer:escalation-detail", args=[escalation.pk]),
        escalation.title,
        " · ".join(origin),
        escalation.state,
        STATES.get(escalation.state, escalation.state),
        escalation.urgency,
        URGENCIES.get(escalation.urgency, escalation.urgency),
        escalation.owner or "—",
        datum(escalation.deadline),
        OVERDUE if overdue else "",
    )
