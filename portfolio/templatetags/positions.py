"""The badge of one organisation's position on a project, and a sorteerbak cell.

Tags in Python rather than included templates: the sorteerbak and table pages show one per
cell (up to 175 on a page), and a template per cell was most of their rendering time. Both
build their markup with format_html, so every value is escaped.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from portfolio.models import CommitmentStatus, Variant
from smartdelta.links import reverse
from smartdelta.templatetags.portal import datum, euro

register = template.Library()

# What get_variant_display() says, without it rebuilding the dict of choices for every cell.
VARIANTS = dict(Variant.choices)
# A soft hyphen lets the longest label wrap as "Solidariteits-/principe" in a narrow cell: seven
# municipalities' columns then fit beside the project names at 1366 px.
BADGE_LABELS = {**VARIANTS, Variant.SOLIDARITY: "Solidariteits\u00adprincipe"}
GAP = mark_safe('<span class="badge badge--gap">Nog niet bepaald</span>')
PREPARING = mark_safe('<span class="badge badge--concept">In voorbereiding</span>')
WITHDRAWN = mark_safe(' <span class="portal-muted">(ingetrokken)</span>')


@register.simple_tag(takes_context=True)
def position_badge(context, commitment):
    """A coloured badge, or the visible gap of a position not yet decided."""
    if not commitment:
        return GAP
    if getattr(commitment, "preparing", False):
        return PREPARING
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
            BADGE_LABELS.get(commitment.variant, commitment.variant),
        )
    if commitment.status == CommitmentStatus.WITHDRAWN:
        badge += WITHDRAWN
    return badge


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
    target = cell_id(project, org)
    parts = [position_badge(context, commitment)]
    if commitment and commitment.amount is not None:
        parts.append(
            format_html('<br><span class="portal-muted">{}</span>', euro(commitment.amount))
        )
    if commitment and commitment.share is not None:
        parts.append(
            format_html(
                '<br><span class="portal-muted">{}%</span>', floatformat(commitment.share, "-3")
            )
        )
    if cell.get("can_edit"):
        request = context["request"]
        htmx = getattr(request, "htmx", None)
        page = (htmx and htmx.current_url_abs_path) or request.get_full_path()
        edit = reverse("portfolio:position-edit", args=[project.pk, org.slug])
        parts.append(
            format_html(
                '<br><a class="utrecht-link" href="{}?{}" hx-get="{}" hx-target="#{}" '
                'hx-swap="outerHTML">{}<span class="visually-hidden"> positie {} op {}</span></a>',
                edit,
                urlencode({"next": page}),
                edit,
                target,
                "Wijzigen" if commitment else "Invullen",
                org,
                project.name,
            )
        )
    # data-focus-region: after a save or a cancel, static/js/portal.js focuses the cell's link.
    return format_html('<td id="{}" data-focus-region>{}</td>', target, mark_safe("".join(parts)))
