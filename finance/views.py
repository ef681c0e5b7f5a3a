"""Budget pages, municipality reports, council letters, exports and the what-if."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from portfolio.models import Variant
from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.exports import EXPORT_FORMATS, export_response
from smartdelta.formatting import format_dutch_number
from smartdelta.history import timeline
from smartdelta.htmx import wants_partial
from smartdelta.models import Organisation
from smartdelta.security import audit

from . import budget as budgets
from . import charts, pdf
from .contributions import Scenario, load_figures, load_inputs
from .forms import (
    BudgetYearForm,
    FinancingFormSet,
    LetterForm,
    LineFormSet,
    OpenYearForm,
    WhatIfForm,
)
from .models import BudgetLine, BudgetYear, Financing, LetterText

PROJECTS_PER_PAGE = 25
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


def _figures_or_404(year: int):
    figures = load_figures([year]).get(year)
    if figures is None:
        raise Http404("Voor dit jaar is geen begroting.")
    return figures


def _ordered_cores(user, cores):
    """The user's own municipality first, then the others by name."""
    own = getattr(user, "organisation_id", None)
    return sorted(cores, key=lambda org: (org.pk != own, org.name))


@require_GET
def budget_current(request):
    latest = BudgetYear.objects.order_by("-year").first()
    if latest is None:
        return render(
            request,
            "finance/budget_empty.html",
            {"can_edit": permissions.can_edit_budget(request.user)},
        )
    return redirect("finance:budget-detail", year=latest.year)


@require_GET
def budget_detail(request, year):
    figures = _figures_or_404(year)
    years = list(BudgetYear.objects.order_by("year").values_list("year", flat=True))
    # Projects with a financing gap first, then the most expensive: a page at a time.
    project_rows = sorted(
        figures.project_rows(), key=lambda r: (-r["gap"], -r["year_cost"], r["project"].name)
    )
    return render(
        request,
        "finance/budget_detail.html",
        {
            "project_page": Paginator(project_rows, PROJECTS_PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "figures": figures,
            "budget": figures.budget,
            "years": years,
            "chart": charts.contribution_bars(figures.rows),
            "cores": _ordered_cores(request.user, figures.cores),
            "can_edit": permissions.can_edit_budget(request.user),
            "can_preview": permissions.can_preview_scenario(request.user),
            "open_form": OpenYearForm(initial={"indexation": figures.budget.indexation_percent}),
            "next_exists": (year + 1) in years,
        },
    )


@require_GET
def contributions_export(request, year, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    figures = _figures_or_404(year)
    header = [
        "Gemeente",
        "Inwoners",
        "Peildatum",
        "Component 1",
        "Component 2",
        "Component 3",
        "Totaal",
        "Per inwoner",
    ]
    rows = [
        [
            row.organisation.name,
            row.inhabitants.inhabitants if row.inhabitants else None,
            row.inhabitants.reference_date if row.inhabitants else None,
            row.c1,
            row.c2,
            row.c3,
            row.total,
            row.per_inhabitant,
        ]
        for row in figures.rows
    ]
    totals = figures.totals()
    rows.append(
        [
            "Totaal zeven gemeenten",
            figures.total_inhabitants,
            None,
            totals["c1"],
            totals["c2"],
            totals["c3"],
            totals["total"],
            None,
        ]
    )
    audit(request, "export", f"bijdragen.{year}.{fmt}")
    return export_response(fmt, f"bijdragen-{year}.{fmt}", header, rows, title=f"Bijdragen {year}")


def _budget_history(budget):
    rows = list(BudgetYear.history.filter(id=budget.pk).select_related("history_user")[:30])
    lines = list(
        BudgetLine.history.filter(budget_id=budget.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:100]
    )
    financing = list(
        Financing.history.filter(budget_id=budget.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:60]
    )
    entries = timeline(rows) + timeline(lines) + timeline(financing)
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries[:60]


@require_http_methods(["GET", "POST"])
def budget_edit(request, year):
    budget = get_object_or_404(BudgetYear, year=year)
    if not permissions.can_edit_budget(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = BudgetYearForm(data, instance=budget, initial={"version": budget.version})
    lines = LineFormSet(data, instance=budget, prefix="posten")
    financing = FinancingFormSet(data, instance=budget, prefix="financiering")
    if request.method == "POST" and form.is_valid() and lines.is_valid() and financing.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            budgets.save_budget(
                budget, fields, form.cleaned_data["version"], lines=lines, financing=financing
            )
        except ConflictError as error:
            form.add_error(None, str(error))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Begroting {year} opgeslagen.")
            return redirect("finance:budget-detail", year=year)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "finance/budget_form.html",
        {
            "budget": budget,
            "form": form,
            "lines": lines,
            "financing": financing,
            "history": _budget_history(budget),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def budget_open_next(request, year):
    budget = get_object_or_404(BudgetYear, year=year)
    if not permissions.can_edit_budget(request.user):
        raise PermissionDenied
    form = OpenYearForm(request.POST or None, initial={"indexation": budget.indexation_percent})
    if request.method == "POST" and form.is_valid():
        try:
            new = budgets.open_next_year(budget, form.cleaned_data["indexation"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Begroting {new.year} geopend als concept, met "
                f"{format_dutch_number(new.indexation_percent)} % "
                "indexatie. Controleer de posten en de financiering.",
            )
            return redirect("finance:budget-edit", year=new.year)
    return render(
        request,
        "finance/open_year.html",
        {"budget": budget, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def letter_edit(request, year):
    budget = get_object_or_404(BudgetYear, year=year)
    if not permissions.can_write_letter(request.user):
        raise PermissionDenied
    letter = budgets.letter_for(budget)
    form = LetterForm(request.POST or None, instance=letter, initial={"version": letter.version})
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            budgets.save_letter(budget, fields, form.cleaned_data.get("version"))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"De tekst van de raadsinformatiebrief {year} is opgeslagen.")
            return redirect("finance:budget-detail", year=year)
    history = []
    if letter.pk:
        history = timeline(
            LetterText.history.filter(id=letter.pk).select_related("history_user")[:30]
        )
    return render(
        request,
        "finance/letter_form.html",
        {"budget": budget, "form": form, "history": history},
        status=422 if request.method == "POST" else 200,
    )


@require_GET
@vary_on_headers("HX-Request")
def what_if(request, year):
    if not permissions.can_preview_scenario(request.user):
        raise PermissionDenied
    inputs = load_inputs([year])
    today = inputs.figures(year)
    if today is None:
        raise Http404("Voor dit jaar is geen begroting.")
    form = WhatIfForm(
        request.GET or None,
        projects=sorted(today.projects.values(), key=lambda p: p.name),
        organisations=list(Organisation.objects.participants()),
    )
    scenario = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        scenario = Scenario(
            project_id=data["project"].pk if data.get("project") else None,
            organisation_id=data["organisation"].pk if data.get("organisation") else None,
            position=form.position() if data.get("project") else None,
            extra_financing=data.get("extra_financing") or 0,
        )
    preview = inputs.figures(year, scenario) if scenario else None
    comparison = []
    if preview is not None:
        for now, then in zip(today.rows, preview.rows, strict=True):
            comparison.append({"now": now, "then": then, "difference": then.total - now.total})
    template = "finance/what_if.html"
    if wants_partial(request):
        template += "#results"
    return render(
        request,
        template,
        {
            "budget": today.budget,
            "figures": today,
            "preview": preview,
            "comparison": comparison,
            "form": form,
        },
    )


def _report_context(request, slug, year):
    organisation = get_object_or_404(Organisation.objects.core(), slug=slug)
    figures_by_year = load_figures([year - 1, year])
    figures = figures_by_year.get(year)
    if figures is None:
        raise Http404("Voor dit jaar is geen begroting.")
    previous = figures_by_year.get(year - 1)
    row = figures.row_for(organisation.pk)
    projects = sorted(
        figures.projects_of(organisation), key=lambda p: (-p["amount"], p["project"].name)
    )
    paying = [p for p in projects if p["amount"]]
    groups = []
    for variant, label in VARIANT_GROUPS:
        members = [p for p in projects if p["variant"] == variant]
        groups.append(
            {
                "variant": variant,
                "label": label,
                "count": len(members),
                "projects": sorted(members, key=lambda p: p["project"].name)[:GROUP_PREVIEW],
            }
        )
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

    return {
        "organisation": organisation,
        "figures": figures,
        "component_rows": [
            compare("1 – onderhoud van het netwerk", "c1"),
            compare("2 – gezamenlijke basis voor projecten", "c2"),
            compare("3 – specifieke projecten", "c3"),
        ],
        "total_row": compare("Totaal", "total"),
        "budget": figures.budget,
        "row": row,
        "previous": before,
        "previous_year": year - 1,
        "projects": projects,
        "paying": paying[:LETTER_PROJECTS],
        "paying_rest": paying[LETTER_PROJECTS:],
        "paying_rest_total": sum((p["amount"] for p in paying[LETTER_PROJECTS:]), 0),
        "groups": groups,
        "chart": charts.contribution_bars(figures.rows, highlight=organisation.pk),
        "letter": budgets.letter_for(figures.budget),
    }


@require_GET
def municipality_latest(request, slug):
    organisation = get_object_or_404(Organisation.objects.core(), slug=slug)
    latest = BudgetYear.objects.order_by("-year").first()
    if latest is None:
        return redirect("finance:budget-current")
    return redirect("finance:report", slug=organisation.slug, year=latest.year)


@require_GET
def report(request, slug, year):
    context = _report_context(request, slug, year)
    context["can_write_letter"] = permissions.can_write_letter(request.user)
    context["project_page"] = Paginator(context["projects"], PROJECTS_PER_PAGE * 2).get_page(
        request.GET.get("page")
    )
    return render(request, "finance/report.html", context)


@require_GET
def letter_pdf(request, slug, year):
    context = _report_context(request, slug, year)
    organisation = context["organisation"]
    context["reference"] = f"SDD/{year}/{organisation.cbs_code or organisation.slug}"
    html = render_to_string("finance/letter_pdf.html", context, request=request)
    try:
        document = pdf.render_pdf(html)
    except pdf.PdfBusy:
        audit(request, "pdf", f"raadsbrief.{organisation.slug}.{year}", "busy")
        response = render(request, "finance/pdf_busy.html", context, status=503)
        response["Retry-After"] = "10"
        return response
    audit(request, "pdf", f"raadsbrief.{organisation.slug}.{year}")
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="raadsinformatiebrief-{organisation.slug}-{year}.pdf"'
    )
    return response
