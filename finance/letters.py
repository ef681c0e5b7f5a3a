"""Municipality reports and council letters (raadsinformatiebrief): the context, the PDF, and
issuing a letter so that what was sent can be downloaded again exactly as it was.

The report page and the letter read the same context (`report_context`): what the
municipality pays per component (components 1 and 2 from the agreed inwonerbijdrage,
component 3 from confirmed positions, submitted ones as prognose), the budget's financial
challenge, the meerjarenraming, and the inhabitants with their source and reference date.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, FilteredRelation, Max, OuterRef, Q, Subquery
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from portfolio.models import Commitment, CommitmentStatus, Project, Variant
from portfolio.queries import as_public
from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.models import Organisation, User
from smartdelta.versioning import check_version

from . import charts, pdf
from . import figures as figures_of
from .budget import letter_for, missing_particulars, particulars_for
from .models import BudgetYear, IssuedLetter, ProjectYear, Share

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


def report_context(organisation: Organisation | str, year: int) -> dict:
    """Everything the report page and the letter show about `organisation` (or the slug of
    one of the seven) in `year`; 404 when it is not one of the seven or the year has no
    budget."""
    read = figures_of.read(figures_of.span(year))
    figures = read.figures(year)
    if figures is None:
        raise Http404("Voor dit jaar is geen begroting.")
    slug = organisation if isinstance(organisation, str) else organisation.slug
    organisation = next((org for org in read.cores if org.slug == slug), None)
    if organisation is None:
        raise Http404("Dit is geen van de zeven gemeenten.")
    previous = read.figures(year - 1)
    row = figures.row_for(organisation.pk)
    before = previous.row_for(organisation.pk) if previous else None

    def compare(label, attr):
        now = getattr(row, attr)
        then = getattr(before, attr) if before else None
        return {
            "label": label,
            "now": now,
            "before": then,
            "difference": None if then is None else now - then,
        }

    outlook = [year_ahead.for_party(organisation.pk) for year_ahead in read.outlook(year)]
    particulars = particulars_for(organisation)
    groups = _groups(organisation, year)
    change = row.c3_forecast - row.c3
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
        "projects": projects_of(organisation, year),
        "forecast_change": {"amount": abs(change), "higher": change > 0} if change else None,
        "groups": groups,
        "groups_total": sum(group["count"] for group in groups),
        "outlook": outlook,
        "outlook_assumed": any(y["assumed"] for y in outlook),
        "outlook_decided": any(y["basis"] == "besloten" for y in outlook),
        "chart": charts.contribution_bars(figures.rows, highlight=organisation.pk),
        "particulars": particulars,
        "missing_particulars": missing_particulars(particulars),
    }


def letter_context(organisation: Organisation | str, year: int) -> dict:
    """The report's context with what only the letter shows: its text, the first
    LETTER_PROJECTS projects the municipality pays for (the rest as one line), and those it
    does not pay for yet (prognose and maximum)."""
    context = report_context(organisation, year)
    projects, row = context["projects"], context["row"]
    paying = describe(list(projects.filter(money__gt=0)[:LETTER_PROJECTS]))
    return {
        **context,
        "paying": paying,
        # The rest as one line, from the totals read with the figures (no query).
        "paying_rest_total": row.c3 - sum((p["amount"] for p in paying), Decimal(0)),
        "paying_rest_count": row.paying - len(paying),
        "pending": describe(list(projects.filter(money=0)[:LETTER_PROJECTS])),
        "letter": letter_for(context["budget"]),
    }


POSITION = ["variant", "status", "amount", "share", "entry_date", "entry_payment"]
POSITION += [f"in_force_{name}" for name in ("variant", "amount", "share", "entry_date")]
POSITION += ["in_force_entry_payment", "in_force_reference", "in_force_date"]


def projects_of(organisation: Organisation, year: int):
    """The projects `organisation` pays for in `year`, binding or as prognose or maximum: the
    largest payment first, each with the organisation's position and whether the project's
    coalition is final read with it (a query; pages read a page of it, the letter its first
    rows; `describe` turns them into rows)."""
    position = FilteredRelation(
        "project__commitments", condition=Q(project__commitments__organisation=organisation)
    )
    binding = ProjectYear.objects.filter(project=OuterRef("project"), year=OuterRef("year"))
    return (
        Share.objects.filter(organisation=organisation, year=year)
        .annotate(
            position=position,
            binding=Subquery(binding.values("binding")[:1]),
            **{f"position_{name}": F(f"position__{name}") for name in POSITION},
        )
        .select_related("project__theme")
        .order_by("-money", "-forecast", "-maximum", "project__name", "project_id")
    )


def describe(shares: list[Share]) -> list[dict]:
    """Rows of `projects_of` for a page or the letter: the project, the organisation's position
    as everyone may read it, and the amounts."""
    rows = []
    for s in shares:
        commitment = None
        if s.position_status:
            commitment = Commitment(project_id=s.project_id, organisation_id=s.organisation_id)
            for name in POSITION:
                setattr(commitment, name, getattr(s, f"position_{name}"))
            commitment.decision_reference = ""
        rows.append(
            {
                "project": s.project,
                "commitment": as_public(commitment),
                "amount": s.money,
                "forecast": s.forecast,
                "maximum": s.maximum,
                "binding": bool(s.binding),
            }
        )
    return rows


def _groups(organisation: Organisation, year: int) -> list[dict]:
    """The year's projects per position of `organisation` (as everyone may read it): how many,
    and the first GROUP_PREVIEW by name. One query over the year's projects."""
    position = FilteredRelation("commitments", condition=Q(commitments__organisation=organisation))
    rows = (
        Project.objects.filter(pk__in=ProjectYear.objects.filter(year=year).values("project"))
        .annotate(position=position)
        .order_by("name", "pk")
        .values_list("name", "position__status", "position__variant", "position__in_force_variant")
    )
    by_variant = {variant: [] for variant, _ in VARIANT_GROUPS}
    for name, status, variant, in_force in rows:
        if status == CommitmentStatus.CONCEPT:
            variant = in_force or None  # a concept is its own municipality's business
        elif status == CommitmentStatus.WITHDRAWN:
            variant = None
        by_variant[variant].append(name)
    return [
        {
            "variant": variant,
            "label": label,
            "count": len(by_variant[variant]),
            "projects": by_variant[variant][:GROUP_PREVIEW],
            "more": max(0, len(by_variant[variant]) - GROUP_PREVIEW),
        }
        for variant, label in VARIANT_GROUPS
    ]


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


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _reference(context: dict, number: int) -> str:
    """The municipality's own kenmerk or zaaknummer, with the letter's number after it."""
    return f"{context['particulars'].reference_prefix.strip()}/{number}"


def issue_letter(
    user: User, organisation: Organisation, budget: BudgetYear, seen_version: int | None
) -> IssuedLetter:
    """Issue the council letter of `organisation` for `budget`'s year: render it with today's
    date and the next number, and keep the PDF and its figures as they were sent. Refused when
    the budget changed since the user read the report (`seen_version`)."""
    if not permissions.can_issue_letter(user, organisation):
        raise DomainError(f"U mag de brief van {organisation} niet uitbrengen.")
    check_version(BudgetYear.objects.get(pk=budget.pk), seen_version, f"De begroting {budget.year}")
    context = letter_context(organisation, budget.year)
    missing = missing_particulars(context["particulars"])
    if missing:
        raise DomainError(
            f"De brief van {organisation} is niet uitgebracht: de briefgegevens zijn niet "
            f"compleet. Vul eerst in: {_listed(missing)}."
        )
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
    incomplete = [
        organisation.name
        for organisation in Organisation.objects.core().order_by("name")
        if missing_particulars(particulars_for(organisation))
    ]
    if incomplete:
        raise DomainError(
            "Er is geen brief uitgebracht: de briefgegevens van "
            f"{_listed(incomplete)} zijn niet compleet."
        )
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


def concept_letter(organisation: Organisation | str, year: int) -> bytes:
    """The letter as it would be issued today, marked as concept (nothing is kept)."""
    context = letter_context(organisation, year)
    return render_letter(
        {**context, "today": timezone.localdate(), "reference": "(concept)", "issued": False}
    )
