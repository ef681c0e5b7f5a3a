"""The badge of one organisation's position on a project.

A tag in Python rather than an included template: the sorteerbak and table pages show one per
cell (up to 175 on a page), and `{% include %}` per cell was most of their rendering time.
"""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from portfolio.models import CommitmentStatus, Variant
from smartdelta.templatetags.portal import datum

register = template.Library()

GAP = mark_safe('<span class="badge badge--gap">Nog niet bepaald</span>')
WITHDRAWN = mark_safe(' <span class="portal-muted">(ingetrokken)</span>')


@register.simple_tag(takes_context=True)
def position_badge(context, commitment):
    """A coloured badge, or the visible gap of a position not yet decided."""
    if not commitment:
        return GAP
    if commitment.variant == Variant.ENTRY:
        today = context.get("today") or timezone.localdate()
        if commitment.entry_date > today:
            badge = format_html(
                '<span class="badge badge--instap">Instapt per {}</span>',
                datum(commitment.entry_date),
            )
        else:
            badge = format_html(
                '<span class="badge badge--volledig">Deelnemer sinds {} (instap)</span>',
                datum(commitment.entry_date),
            )
    else:
        badge = format_html(
            '<span class="badge badge--{}">{}</span>',
            commitment.variant,
            commitment.get_variant_display(),
        )
    if commitment.status == CommitmentStatus.WITHDRAWN:
        badge += WITHDRAWN
    return badge
