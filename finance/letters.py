"""Municipality reports and council letters (raadsinformatiebrief): the context, the PDF, and
issuing a letter so that what was sent can be downloaded again exactly as it was.

The report page and the letter read the same context (`report_context`): what the
municipality pays per component (components 1 and 2 from the agreed inwonerbijdrage,
component 3 from confirmed positions, submitted ones as prognose), the budget's financial
challenge, the meerjarenraming, and the inhabitants with their source and reference date.
"""

from __future__ import annotations

import hashlib
import heapq
import io
import zipfile
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from portfolio.models import Variant
from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.models import Organisation, User
from smartdelta.versioning import check_version

from . import charts, pdf
from .budget import letter_for, particulars_for
from .contributions import load_inputs, span
from .models import BudgetYear, IssuedLetter

# The letter's bijlage names the largest payments; the rest is one line (all are on the report).
LETTER_PROJECTS = 25
GROUP_PREVIEW = 12

VARIANT_GROUPS = [
    (Variant.FULL, "Doet volledig mee"),
    (Variant.SOLIDARITY, "Betaalt mee uit solidariteit"),
    (Variant.ENTRY, "Stapt in (instapmodel)"),
    (Variant.NONE, "Doet niet mee"),
    (None, "Nog niet bepaald"),
]
COMPONENT_LABELS = [
    ("1 – onderhoud van het netwerk", "c1"),
    ("2 – gezamenlijke basis voor projecten", "c2"),
    ("3 – specifieke projecten", "c3"),
]


def report_context(organisation: Organisation, year: int) -> dict:
    """Everything the report page and the letter show about `organisation` in `year`."""
    inputs = load_inputs(span(year))
    figures = inputs.figures(year)
    if figures is None:
        raise Http404("Voor dit jaar is geen begroting.")
    previous = inputs.figures(year - 1)
    row = figures.row_for(organisation.pk)
    before = previous.row_for(organisation.pk) if previous else None
    projects = figures.projects_of(organisation)
    paying, paying_rest_total, groups = figures.remembered(
        ("report", organisation.pk), lambda: _project_summary(projects)
    )

    def compare(label, attr):
        now = getattr(row, attr)
        then = getattr(before, attr) if before else None
        return {
            "label": label,
            "now": now,
            "before": then,
            "difference": None if then is None else now - then,
        }

    outlook = [year_ahead.for_party(organisation.pk) for year_ahead in inputs.outlook(year)]
    return {
        "organisation": organisation,
        "figures": figures,
        "budget": figures.budget,
        "version_label": figures.version_label,
        "row": row,
        "previous": before,
        "previous_year": year - 1,
        "component_rows": [compare(label, attr) for label, attr in COMPONENT_LABELS],
        "total_row": compare("Totaal", "total"),
        "projects": projects,
        "paying": paying[:LETTER_PROJECTS],
        "paying_rest": paying[LETTER_PROJECTS:],
        "paying_rest_total": paying_rest_total,
        "groups": groups,
        "outlook": outlook,
        "outlook_assumed": any(y["assumed"] for y in outlook),
        "chart": charts.contribution_bars(figures.rows, highlight=organisation.pk),
        "letter": letter_for(figures.budget),
        "particulars": particulars_for(organisation),
    }


def _project_summary(projects: list[dict]) -> tuple[list[dict], Decimal, list[dict]]:
    """The projects that cost the organisation something (largest first, as `projects`), what
    those after the letter's first LETTER_PROJECTS cost together, and the projects per
    position: how many, and the first GROUP_PREVIEW by name. One pass over thousands of
    projects, kept with the figures (`YearFigures.remembered`) instead of made per request."""
    paying = [p for p in projects if p["amount"] or p["forecast"]]
    by_variant = {variant: [] for variant, _ in VARIANT_GROUPS}
    for p in projects:
        by_variant[p["variant"]].append(p)
    groups = [
        {
            "variant": variant,
            "label": label,
            "count": len(by_variant[variant]),
            "projects": heapq.nsmallest(
                GROUP_PREVIEW, by_variant[variant], key=lambda p: p["project"].name
            ),
        }
        for variant, label in VARIANT_GROUPS
    ]
    rest_total = sum((p["amount"] for p in paying[LETTER_PROJECTS:]), Decimal(0))
    return paying, rest_total, groups


def letter_figures(context: dict) -> dict:
    """The amounts a letter states, as text, kept with an issued letter."""
    row = context["row"]
    balance = context["figures"].balance
    return {
        "component_1": str(row.c1),
        "component_2": str(row.c2),
        "component_3": str(row.c3),
        "component_3_prognose": str(row.c3_forecast),
        "total": str(row.total),
        "inwonerbijdrage_zeven": str(context["figures"].result.contribution),
        "financiele_uitdaging": str(balance.challenge),
        "meerjarenraming": [
            {"jaar": y["year"], "totaal": str(y["total"]), "prognose": str(y["total_forecast"])}
            for y in context["outlook"]
        ],
    }


def render_letter(context: dict) -> bytes:
    """The letter as tagged PDF (PdfBusy when the server renders too many at once)."""
    html = render_to_string("finance/letter_pdf.html", context)
    return pdf.render_pdf(html)


def _reference(context: dict, number: int) -> str:
    prefix = context["particulars"].reference_prefix
    organisation = context["organisation"]
    base = prefix or f"SDD/{context['budget'].year}/{organisation.cbs_code or organisation.slug}"
    return f"{base}/{number}"


def issue_letter(
    user: User, organisation: Organisation, budget: BudgetYear, seen_version: int | None
) -> IssuedLetter:
    """Issue the council letter of `organisation` for `budget`'s year: render it with today's
    date and the next number, and keep the PDF and its figures as they were sent. Refused when
    the budget changed since the user read the report (`seen_version`)."""
    if not permissions.can_issue_letter(user, organisation):
        raise DomainError(f"U mag de brief van {organisation} niet uitbrengen.")
    check_version(BudgetYear.objects.get(pk=budget.pk), seen_version, f"De begroting {budget.year}")
    context = report_context(organisation, budget.year)
    today = timezone.localdate()
    for _attempt in range(3):
        number = (
            IssuedLetter.objects.filter(budget=budget, organisation=organisation).aggregate(
                n=Max("number")
            )["n"]
            or 0
        ) + 1
        reference = _reference(context, number)
        document = render_letter(
            {**context, "today": today, "reference": reference, "issued": True}
        )
        try:
            with transaction.atomic():
                issued = IssuedLetter(
                    budget=budget,
                    organisation=organisation,
                    number=number,
                    reference=reference,
                    issued_on=today,
                    issued_by=user,
                    budget_version=context["version_label"],
                    figures=letter_figures(context),
                    pdf=document,
                    sha256=hashlib.sha256(document).hexdigest(),
                )
                issued._history_user = user
                issued.save()
                return issued
        except IntegrityError:
            continue  # issued by someone else at the same moment: take the next number
    raise DomainError("De brief kon niet worden uitgebracht; probeer het opnieuw.")


def issue_all_letters(
    user: User, budget: BudgetYear, seen_version: int | None
) -> list[IssuedLetter]:
    """Issue the letters of all seven municipalities for `budget`'s year (the programme office),
    each kept as it was sent; returns them in the order of the municipalities' names."""
    if not permissions.can_issue_all_letters(user):
        raise DomainError("Alleen het programmabureau brengt de brieven van alle gemeenten uit.")
    return [
        issue_letter(user, organisation, budget, seen_version)
        for organisation in Organisation.objects.core().order_by("name")
    ]


def letters_zip(issued: list[IssuedLetter]) -> bytes:
    """The issued letters as one ZIP file, each PDF byte for byte as kept."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for letter in issued:
            name = f"raadsinformatiebrief-{letter.organisation.slug}-{letter.budget.year}-{letter.number}.pdf"
            archive.writestr(name, bytes(letter.pdf))
    return buffer.getvalue()


def concept_letter(organisation: Organisation, year: int) -> bytes:
    """The letter as it would be issued today, marked as concept (nothing is kept)."""
    context = report_context(organisation, year)
    return render_letter(
        {**context, "today": timezone.localdate(), "reference": "(concept)", "issued": False}
    )
