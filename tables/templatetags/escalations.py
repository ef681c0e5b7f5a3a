"""One row of the regiekamer overview, as a tag in Python.

The overview lists a page of escalations per regiekamer (up to 50 rows, each with five related
objects); a row rendered by the template language was about half of the page's time. Every
value from the database is escaped with `html.escape`, which is what Django's `escape` calls
(without its lazy-string wrapper: 0.6 µs instead of 3 µs a value, eleven values a row); the
labels of the choices are escaped once, here.
"""

from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from smartdelta.formatting import format_date as datum
from smartdelta.links import reverse
from tables.models import Category, EscalationState, Urgency

register = template.Library()

# What get_FOO_display() says, escaped, without it rebuilding the dict of choices on every call.
CATEGORIES = {key: escape(label) for key, label in Category.choices}
STATES = {key: escape(label) for key, label in EscalationState.choices}
URGENCIES = {key: escape(label) for key, label in Urgency.choices}
OVERDUE_ROW = ' class="tables-overdue"'
OVERDUE = ' <span class="badge badge--overdue">Over de termijn</span>'


@register.simple_tag(takes_context=True)
def escalation_row(context, escalation):
    """Title and where it comes from, state, urgency, owner and deadline of one escalation.

    `escalation` carries the names of its theme, project, reporter (and their organisation)
    and owner as annotations (tables.views.OVERVIEW_NAMES). Overdue as `Escalation.is_overdue`
    says, with the page's date (the `today` of the context processor) instead of asking the
    clock per row.
    """
    overdue = escalation.is_overdue_on(context.get("today") or timezone.localdate())
    origin = [CATEGORIES.get(escalation.category) or escape(escalation.category)]
    if escalation.table_id:
        origin.append(escape(escalation.theme_name))
    if escalation.project_id:
        origin.append(escape(escalation.project_name))
    origin.append(escape(escalation.reporter_organisation or escalation.reporter_name))
    state, urgency = escape(escalation.state), escape(escalation.urgency)
    url = escape(reverse("regiekamer:escalation-detail", args=[escalation.pk]))
    return mark_safe(
        f"<tr{OVERDUE_ROW if overdue else ''}>"
        f'<th scope="row"><a class="utrecht-link" href="{url}">{escape(escalation.title)}</a><br>'
        f'<span class="portal-muted">{" · ".join(origin)}</span></th>'
        f'<td><span class="badge badge--{state}">{STATES.get(escalation.state, state)}</span></td>'
        f'<td><span class="badge badge--{urgency}">'
        f"{URGENCIES.get(escalation.urgency, urgency)}</span></td>"
        f"<td>{escape(escalation.owner_name or '—')}</td>"
        f"<td>{datum(escalation.deadline)}{OVERDUE if overdue else ''}</td></tr>"
    )
