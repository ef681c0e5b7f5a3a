"""Municipality reports and council letters (raadsinformatiebrief): the context, the letter's
HTML, and issuing a letter so that what was sent can be downloaded again exactly as it was.
The PDF is made by the task worker from the HTML and kept (`finance/tasks.py`).

The report page and the letter read the same context (`report_context`): first what the
collaboration delivers (`results.delivers`: targets, the projects the municipality takes part
in, its own published agenda), then what the municipality pays per component (components 1
and 2 from the agreed inwonerbijdrage, component 3 from confirmed positions, submitted ones as
prognose), the budget's financial challenge, the meerjarenraming, and the inhabitants with
their source and reference date.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import zipfile
from decimal import Decimal
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.db.models import (
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from portfolio.forms import NOT_DECIDED
from portfolio.models import Position, Variant
from portfolio.queries import as_public
from results.delivers import what_it_delivers
from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.models import Organisation, User
from smartdelta.versioning import lock, stamp

from . import charts, shares
from . import figures as figures_of
from .budget import letter_for, missing_particulars, particulars_for
from .models import (
    BudgetYear,
    IssuedLetter,
    ProjectYear,
    RenderedLetter,
    RenderStatus,
    Share,
)
from .tasks import queue_render

# The letter's bijlage names the largest payments; the rest is one line (all are on the report).
LETTER_PROJECTS = 25

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
    groups = _groups(organisation, read.paid.get(year, {}).get(organisation.pk))
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
        # "Wat het oplevert": what the money buys, which the report and the letter open with.
        "delivers": what_it_delivers(organisation, year),
    }


def letter_context(organisation: Organisation | str, year: int) -> dict:
    """The report's context with what only the letter shows: its text, the first
    LETTER_PROJECTS projects the municipality pays for (the rest as one line), and those it
    does not pay for yet (prognose and maximum)."""
    context = report_context(organisation, year)
    row = context["row"]
    projects = context["projects"]
    # Two queries, each the first rows of an index (share_by_organisation): the window that
    # numbered both groups in one query sorted every share of the year (48 ms at 10x).
    paying = describe(list(projects.filter(money__gt=0)[:LETTER_PROJECTS]))
    pending = describe(list(projects.filter(money=0)[:LETTER_PROJECTS]))
    return {
        **context,
        "paying": paying,
        # The rest as one line, from the totals read with the figures (no query).
        "paying_rest_total": row.c3 - sum((p["amount"] for p in paying), Decimal(0)),
        "paying_rest_count": row.paying - len(paying),
        "pending": pending,
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
        "project__positions", condition=Q(project__positions__organisation=organisation)
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
        .order_by(*PROJECT_ORDER)
    )


PROJECT_ORDER = ["-money", "-forecast", "-maximum", "project__name", "project_id"]


def describe(shares: list[Share]) -> list[dict]:
    """Rows of `projects_of` for a page or the letter: the project, the organisation's position
    as everyone may read it, and the amounts."""
    rows = []
    for s in shares:
        position = None
        if s.position_status:
            position = Position(project_id=s.project_id, organisation_id=s.organisation_id)
            for name in POSITION:
                setattr(position, name, getattr(s, f"position_{name}"))
            position.decision_reference = ""
        rows.append(
            {
                "project": s.project,
                "position": as_public(position),
                "amount": s.money,
                "forecast": s.forecast,
                "maximum": s.maximum,
                "binding": bool(s.binding),
            }
        )
    return rows


def _groups(organisation: Organisation, kept: dict | None) -> list[dict]:
    """How many of the year's projects `organisation` takes each position in, as everyone may
    read it (a concept shows the confirmed position in force, or none), with the address of
    the project list that shows them: the counts kept in its `PartyYear` row of the year
    (`kept`, read with the figures; None when it has none)."""
    return [
        {
            "variant": variant,
            "label": label,
            "count": kept[shares.STANCE_FIELDS[variant or ""]] if kept else 0,
            "query": urlencode(
                {"municipality": organisation.slug, "variant": variant or NOT_DECIDED}
            ),
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


def letter_html(context: dict) -> str:
    """The letter as HTML, for the worker to render as tagged PDF (`finance/tasks.py`)."""
    return render_to_string("finance/letter_pdf.html", context)


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _reference(context: dict, number: int) -> str:
    """The municipality's own kenmerk or zaaknummer, with the letter's number after it."""
    return f"{context['particulars'].reference_prefix.strip()}/{number}"


def issue_letter(
    user: User, organisation: Organisation, budget: BudgetYear, seen_version: int | None
) -> IssuedLetter:
    """Issue the council letter of `organisation` for `budget`'s year: with today's date and
    the next number, keep its figures as they were sent, and queue its PDF, which the worker
    renders from this very HTML and adds to the issued letter. Refused when the budget changed
    since the user read the report (`seen_version`)."""
    if not permissions.can_issue_letter(user, organisation):
        raise DomainError(f"U mag de brief van {organisation} niet uitbrengen.")
    with transaction.atomic():
        # The budget's row lock orders the issues of its year: the numbers go one at a time.
        lock(BudgetYear.objects, budget.pk, seen_version, f"De begroting {budget.year}")
        context = letter_context(organisation, budget.year)
        missing = missing_particulars(context["particulars"])
        if missing:
            raise DomainError(
                f"De brief van {organisation} is niet uitgebracht: de briefgegevens zijn niet "
                f"compleet. Vul eerst in: {_listed(missing)}."
            )
        today = timezone.localdate()
        latest = IssuedLetter.objects.filter(budget=budget, organisation=organisation).aggregate(
            n=Max("number")
        )["n"]
        number = (latest or 0) + 1
        reference = _reference(context, number)
        issued = IssuedLetter(
            budget=budget,
            organisation=organisation,
            number=number,
            reference=reference,
            issued_on=today,
            issued_by=user,
            budget_version=context["version_label"],
            figures=letter_figures(context),
            pdf=b"",  # the worker adds the PDF (finance.tasks.keep)
            sha256="",
        )
        stamp(issued, user)
        issued.save()
        html = letter_html({**context, "today": today, "reference": reference, "issued": True})
        kept_render(context["organisation"], budget.year, html, issued=issued)
        return issued


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
    # All seven or none.
    with transaction.atomic():
        return [
            issue_letter(user, organisation, budget, seen_version)
            for organisation in Organisation.objects.core().order_by("name")
        ]


def latest_issued(year: int) -> list[IssuedLetter]:
    """The last letter issued to each municipality for `year`, in the order of their names
    (after "issue all": those seven), with their renders' state."""
    last = IssuedLetter.objects.filter(
        budget=OuterRef("budget"), organisation=OuterRef("organisation")
    ).order_by("-number")
    return list(
        IssuedLetter.objects.filter(budget__year=year, number=Subquery(last.values("number")[:1]))
        .select_related("organisation", "budget", "rendering")
        .order_by("organisation__name")
    )


def letters_zip(issued: list[IssuedLetter]) -> bytes:
    """The issued letters as one ZIP file, each PDF byte for byte as kept."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for letter in issued:
            name = f"raadsinformatiebrief-{letter.organisation.slug}-{letter.budget.year}-{letter.number}.pdf"
            archive.writestr(name, bytes(letter.pdf))
    return buffer.getvalue()


def concept_letter(organisation: Organisation | str, year: int) -> RenderedLetter:
    """The letter as it would be issued today, marked as concept: its kept render, queued for
    the worker the first time this state of the letter is asked for (`kept_render`)."""
    context = letter_context(organisation, year)
    html = letter_html(
        {**context, "today": timezone.localdate(), "reference": "(concept)", "issued": False}
    )
    return kept_render(context["organisation"], year, html)


# A render that failed, or whose worker died, is queued again by the first request after this.
RETRY_AFTER = datetime.timedelta(minutes=5)


def kept_render(
    organisation: Organisation, year: int, html: str, issued: IssuedLetter | None = None
) -> RenderedLetter:
    """The kept render of `html`, found by the HTML's digest (one query when it is there). New
    HTML gets its row and its task together, once: of two requests at the same moment one
    inserts, the other meets the unique digest and reads that row."""
    digest = hashlib.sha256(html.encode()).hexdigest()
    letter = RenderedLetter.objects.filter(html_sha256=digest).first()
    if letter is None:
        try:
            with transaction.atomic():
                letter = RenderedLetter.objects.create(
                    organisation=organisation,
                    year=year,
                    issued=issued,
                    html=html,
                    html_sha256=digest,
                )
                queue_render(letter)
        except IntegrityError:
            letter = RenderedLetter.objects.get(html_sha256=digest)
        return letter
    return queued_again_if_stuck(letter)


def queued_again_if_stuck(letter: RenderedLetter) -> RenderedLetter:
    """`letter`, queued again when it failed or has waited RETRY_AFTER: by one request only
    (the update that moves `queued_at` succeeds once)."""
    now = timezone.now()
    if letter.is_ready or letter.queued_at > now - RETRY_AFTER:
        return letter
    moved = RenderedLetter.objects.filter(pk=letter.pk, queued_at=letter.queued_at).update(
        status=RenderStatus.WAITING, queued_at=now
    )
    if moved:
        letter.status, letter.queued_at = RenderStatus.WAITING, now
        queue_render(letter)
    return letter
