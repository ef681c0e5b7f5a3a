"""The badge of one organisation's position on a project, and a sorteerbak cell.

Tags in Python rather than included templates: the sorteerbak and table pages show one per
cell (up to 175 on a page), and a template per cell was most of their rendering time. Every
value is escaped with `html.escape`, which is what Django's `escape` calls (without its
lazy-string wrapper: 0.6 µs instead of 3 µs a value); the badges of the variants are made once.
"""

from html import escape

from django import template
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from portfolio.models import CommitmentStatus, Variant
from smartdelta.formatting import format_date, format_euro, format_percentage
from smartdelta.links import reverse

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
def position_badge(context, commitment):
    """A coloured badge, or the visible gap of a position not yet decided."""
    if not commitment:
        return GAP
    if getattr(commitment, "preparing", False):
        return PREPARING
    if commitment.variant == Variant.ENTRY:
        today = context.get("today") or timezone.localdate()
        when = format_date(commitment.entry_date)
        if commitment.entry_date > today:
            badge = f'<span class="badge badge--instap">Instapt per {when}</span>'
        else:
            badge = f'<span class="badge badge--volledig">Deelnemer sinds {when} (instap)</span>'
    else:
        badge = BADGES.get(commitment.variant) or (
            f'<span class="badge badge--{escape(commitment.variant)}">'
            f"{escape(commitment.variant)}</span>"
        )
    if commitment.status == CommitmentStatus.WITHDRAWN:
        badge += WITHDRAWN
    return mark_safe(badge)


@register.simple_tag
def cell_id(project, org) -> str:
    """The id of a sorteerbak cell: what htmx targets, and how the view knows it is asked for one."""
    return f"cell-{project.pk}-{org.slug}"


@register.simple_tag(takes_context=True)
def sorteerbak_cell(context, cell):
    """One cell of the sorteerbak: the badge, amount or share, and the edit link if allowed.

    The link opens the cell's form in place (htmx) or, without JavaScript, the position form,
    which returns to this page (`next`; after an htmx swap, the page the cell is on).
    """
    project, commitment, org = cell["project"], cell["commitment"], cell["org"]
    target = escape(cell_id(project, org))
    parts = [position_badge(context, commitment)]
    if commitment and commitment.amount is not None:
        parts.append(f'<br><span class="portal-muted">{format_euro(commitment.amount)}</span>')
    if commitment and commitment.share is not None:
        parts.append(
            f'<br><span class="portal-muted">{format_percentage(commitment.share)}%</span>'
        )
    if cell.get("can_edit"):
        request = context["request"]
        htmx = getattr(request, "htmx", None)
        page = (htmx and htmx.current_url_abs_path) or request.get_full_path()
        edit = escape(reverse("portfolio:position-edit", args=[project.pk, org.slug]))
        parts.append(
            f'<br><a class="utrecht-link" href="{edit}?{escape(urlencode({"next": page}))}" '
            f'hx-get="{edit}" hx-target="#{target}" hx-swap="outerHTML">'
            f'{"Wijzigen" if commitment else "Invullen"}<span class="visually-hidden"> positie '
            f"{escape(str(org))} op {escape(project.name)}</span></a>"
        )
    # data-focus-region: after a save or a cancel, static/js/portal.js focuses the cell's link.
    return mark_safe(f'<td id="{target}" data-focus-region>{"".join(parts)}</td>')
