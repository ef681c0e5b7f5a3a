"""The badge of one organisation's position on a project (the cell around it is the
sorteerbak's template partial `cell`).

A tag in Python rather than an included template: the sorteerbak and table pages show one per
cell (up to 175 on a page). Every value is escaped with `html.escape`, which is what Django's
`escape` calls (without its lazy-string wrapper); the badges of the variants are made once.
"""

from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from portfolio.models import PositionStatus, Variant
from smartdelta.formatting import format_date

register = template.Library()

# What get_variant_display() says, without it rebuilding the dict of choices for every cell.
VARIANTS = dict(Variant.choices)
# A soft hyphen lets the longest label wrap as "Solidariteits-/principe" in a narrow cell: seven
# municipalities' columns then fit beside the project names at 1366 px.
BADGE_LABELS = {**VARIANTS, Variant.SOLIDARITY: "Solidariteits\u00adprincipe"}
# The badge of each variant but the entry model, whose badge carries its date.
BADGES = {
    variant: f'<span class="badge badge--{escape(variant)}">{escape(label)}</span>'
    for variant, label in BADGE_LABELS.items()
}
GAP = mark_safe('<span class="badge badge--gap">Nog niet bepaald</span>')
PREPARING = mark_safe('<span class="badge badge--concept">In voorbereiding</span>')
WITHDRAWN = ' <span class="portal-muted">(ingetrokken)</span>'


@register.simple_tag(takes_context=True)
def position_badge(context, position):
    """A coloured badge, or the visible gap of a position not yet decided."""
    if not position:
        return GAP
    if getattr(position, "preparing", False):
        return PREPARING
    if position.variant == Variant.ENTRY:
        today = context.get("today") or timezone.localdate()
        when = format_date(position.entry_date)
        if position.entry_date > today:
            badge = f'<span class="badge badge--instap">Instapt per {when}</span>'
        else:
            badge = f'<span class="badge badge--volledig">Deelnemer sinds {when} (instap)</span>'
    else:
        badge = BADGES.get(position.variant) or (
            f'<span class="badge badge--{escape(position.variant)}">'
            f"{escape(position.variant)}</span>"
        )
    if position.status == PositionStatus.WITHDRAWN:
        badge += WITHDRAWN
    return mark_safe(badge)
