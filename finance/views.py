"""Budget pages, municipality reports, council letters, exports and the what-if."""

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from portfolio.models import Project
from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.exports import EXPORT_FORMATS, export_response
from smartdelta.formatting import format_dutch_number
from smartdelta.history import timeline
from smartdelta.htmx import wants_partial
from smartdelta.models import Organisation
from smartdelta.security import audit

from . import budget as budgets
from . import charts, letters, multiplier
from . import figures as figures_of
from .figures import Scenario
from .forms import (
    AdoptForm,
    BudgetYearForm,
    FinancingFormSet,
    LetterForm,
    LetterIssueForm,
    LineFormSet,
    OpenYearForm,
    ParticularsForm,
    WhatIfForm,
    row_changes,
)
from .models import (
    BudgetAmendment,
    BudgetLine,
    BudgetYear,
    Financing,
    IssuedLetter,
    LetterText,
    ProjectYear,
    RenderStatus,
)

PROJECTS_PER_PAGE = 25
# The report names the largest payments of its municipality; its project page names them all.
REPORT_PROJECTS = 10


def _read_or_404(year: int, years=None) -> figures_of.Figures:
    read = figures_of.read(years or [year])
    if year not in read.budgets:
        raise Http404("Voor dit jaar is geen begroting.")
    return read


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
    read = _read_or_404(year, figures_of.span(year))
    figures = read.figures(year)
    years = read.all_years
    # Projects with a financing gap first, then the most expensive: a page at a time.
    paginator = Paginator(figures.project_rows(), PROJECTS_PER_PAGE)
    # Counted with the kept totals (YearTotal): no count over every project year.
    paginator.count = read.projects.get(year, {}).get("projects", 0)
    cores = _ordered_cores(request.user, figures.cores)
    outlook = read.outlook(year)
    return render(
        request,
        "finance/budget_detail.html",
        {
            "project_page": paginator.get_page(request.GET.get("page")),
            "figures": figures,
            "budget": figures.budget,
            "years": years,
            "chart": charts.contribution_bars(figures.rows),
            "multiplier": multiplier.for_year(figures.budget, figures.financing),
            "cores": cores,
            "outlook": outlook,
            "outlook_rows": [
                {"organisation": org, "years": [y.for_party(org.pk) for y in outlook]}
                for org in cores
            ],
            "amendments": list(
                BudgetAmendment.objects.filter(budget=figures.budget)
                .select_related("created_by")
                .order_by("-number")
            ),
            "can_edit": permissions.can_edit_budget(request.user),
            "can_preview": permissions.can_preview_scenario(request.user),
            "can_issue_all": permissions.can_issue_all_letters(request.user),
            "open_form": OpenYearForm(initial={"indexation": figures.budget.indexation_percent}),
            "adopt_form": AdoptForm(initial={"version": figures.budget.version}),
            "next_exists": (year + 1) in years,
        },
    )


@require_GET
def contributions_export(request, year, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    figures = _read_or_404(year).figures(year)
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
    rows.append([figures.version_label, None, None, None, None, None, None, None])
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
        try:
            budgets.save_budget(
                request.user,
                budget,
                form.budget_fields(),
                form.cleaned_data["version"],
                lines=row_changes(lines),
                financing=row_changes(financing),
                amendment=form.amendment(),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if budget.is_adopted:
                messages.success(request, f"Begrotingswijziging voor {year} vastgelegd.")
            else:
                messages.success(request, f"Begroting {year} opgeslagen.")
            return redirect("finance:budget-detail", year=year)
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
    )


@require_http_methods(["POST"])
def budget_adopt(request, year):
    budget = get_object_or_404(BudgetYear, year=year)
    if not permissions.can_edit_budget(request.user):
        raise PermissionDenied
    form = AdoptForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            budgets.adopt_budget(
                request.user,
                budget,
                data["version"],
                data["adopted_on"],
                data["decision_reference"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Begroting {year} is vastgesteld.")
            return redirect("finance:budget-detail", year=year)
    return render(request, "finance/adopt_form.html", {"budget": budget, "form": form})


@require_http_methods(["GET", "POST"])
def budget_open_next(request, year):
    budget = get_object_or_404(BudgetYear, year=year)
    if not permissions.can_edit_budget(request.user):
        raise PermissionDenied
    form = OpenYearForm(request.POST or None, initial={"indexation": budget.indexation_percent})
    if request.method == "POST" and form.is_valid():
        try:
            new = budgets.open_next_year(request.user, budget, form.cleaned_data["indexation"])
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
    return render(request, "finance/open_year.html", {"budget": budget, "form": form})


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
            budgets.save_letter(request.user, budget, fields, form.cleaned_data.get("version"))
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
        request, "finance/letter_form.html", {"budget": budget, "form": form, "history": history}
    )


@require_GET
@vary_on_headers("HX-Request")
def what_if(request, year):
    if not permissions.can_preview_scenario(request.user):
        raise PermissionDenied
    read = _read_or_404(year)
    today = read.figures(year)
    form = WhatIfForm(
        request.GET or None,
        projects=Project.objects.filter(
            pk__in=ProjectYear.objects.filter(year=year).values("project")
        ).order_by("name"),
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
    preview = read.figures(year, scenario) if scenario else None
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


def _municipality(slug):
    return get_object_or_404(Organisation.objects.core(), slug=slug)


@require_GET
def municipality_latest(request, slug):
    organisation = _municipality(slug)
    latest = BudgetYear.objects.order_by("-year").first()
    if latest is None:
        return redirect("finance:budget-current")
    return redirect("finance:report", slug=organisation.slug, year=latest.year)


@require_GET
def report(request, slug, year):
    context = letters.report_context(slug, year)
    organisation = context["organisation"]
    context["can_write_letter"] = permissions.can_write_letter(request.user)
    context["can_issue"] = permissions.can_issue_letter(request.user, organisation)
    context["issued_letters"] = list(
        IssuedLetter.objects.filter(budget=context["budget"], organisation=organisation)
        .select_related("issued_by")
        .defer("pdf")
    )
    # The largest payments; all of them, fifty a page, on the report's own project page.
    # (Counted with the figures: a municipality that pays for none reads no row.)
    rows = list(context["projects"][:REPORT_PROJECTS]) if context["row"].projects else []
    context["project_rows"] = letters.describe(rows)
    return render(request, "finance/report.html", context)


@require_GET
def report_projects(request, slug, year):
    """Every project `slug` pays for in `year`, binding or as prognose or maximum, the largest
    payment first, fifty a page: the report names the first REPORT_PROJECTS."""
    organisation = _municipality(slug)
    figures = _read_or_404(year).figures(year)
    row = figures.row_for(organisation.pk)
    paginator = Paginator(letters.projects_of(organisation, year), PROJECTS_PER_PAGE * 2)
    paginator.count = row.projects  # counted with the figures: no query of its own
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = letters.describe(list(page.object_list))
    context = {
        "organisation": organisation,
        "budget": figures.budget,
        "version_label": figures.version_label,
        "row": row,
        "project_page": page,
    }
    return render(request, "finance/report_projects.html", context)


def _kept_file(request, document: bytes, etag: str, filename: str, content_type: str):
    """Kept bytes, served like a static file: their length and an ETag of their content; the
    user's own browser may keep them and asks again with If-None-Match (answered 304, no
    body). Nothing is rendered here."""
    response = HttpResponse(document, content_type=content_type)
    response["Content-Length"] = str(len(document))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = f'"{etag}"'
    patch_cache_control(response, private=True, no_cache=True)
    return get_conditional_response(request, etag=response["ETag"], response=response)


def _render_state(request, context: dict):
    """The state of a letter the worker is making (or has made: under htmx, the region that
    says so): the page "wordt gemaakt" with a link to try again (202, refreshed every five
    seconds without JavaScript; with it, htmx asks for the region), or its htmx region."""
    if wants_partial(request):
        return render(request, "finance/_letter_state.html", context)
    status = 200 if context["state"] == RenderStatus.FAILED else 202
    response = render(request, "finance/letter_waiting.html", context, status=status)
    if status == 202:
        response["Retry-After"] = "5"
    return response


def _state_of(issued: list[IssuedLetter]) -> str:
    """Ready when every letter has its PDF; failed when one of the others failed."""
    renders = [getattr(letter, "rendering", None) for letter in issued if not letter.sha256]
    if not renders:
        return RenderStatus.READY
    for rendering in renders:
        if rendering is not None:
            letters.queued_again_if_stuck(rendering)
    if any(r is None or r.status == RenderStatus.FAILED for r in renders):
        return RenderStatus.FAILED
    return RenderStatus.WAITING


@require_GET
@vary_on_headers("HX-Request")
def letter_pdf(request, slug, year):
    """The letter as it would be issued today, marked as concept: the PDF the worker made of
    this state of the letter, or the page saying it is being made (the first request for a
    state queues it). Under htmx: the report's region with the concept's state."""
    letter = letters.concept_letter(slug, year)  # 404 unless one of the seven
    if letter.is_ready and not wants_partial(request):
        audit(request, "pdf", f"raadsbrief.{slug}.{year}")
        return _kept_file(
            request,
            bytes(letter.pdf),
            letter.html_sha256,
            f"concept-raadsinformatiebrief-{slug}-{year}.pdf",
            "application/pdf",
        )
    return _render_state(
        request,
        {
            "kind": "concept",
            "state": letter.status,
            "size": len(letter.pdf),
            "url": reverse("finance:letter-pdf", args=[slug, year]),
            "back_url": reverse("finance:report", args=[slug, year]),
            "organisation": letter.organisation,
        },
    )


@require_POST
def letter_issue(request, slug, year):
    organisation = _municipality(slug)
    budget = get_object_or_404(BudgetYear, year=year)
    if not permissions.can_issue_letter(request.user, organisation):
        raise PermissionDenied
    form = LetterIssueForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "De brief is niet uitgebracht: bevestig het uitbrengen op de pagina, of laad de "
            "pagina opnieuw.",
        )
        return redirect("finance:report", slug=organisation.slug, year=year)
    try:
        issued = letters.issue_letter(
            request.user, organisation, budget, form.cleaned_data["version"]
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        audit(request, "pdf", f"raadsbrief.{organisation.slug}.{year}.{issued.number}", "issued")
        messages.success(
            request,
            f"Raadsinformatiebrief {issued.reference} is uitgebracht. De PDF wordt nu gemaakt "
            "en daarna bewaard zoals verzonden.",
        )
    return redirect("finance:report", slug=organisation.slug, year=year)


@require_POST
def letters_issue_all(request, year):
    budget = get_object_or_404(BudgetYear, year=year)
    if not permissions.can_issue_all_letters(request.user):
        raise PermissionDenied
    form = LetterIssueForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "De brieven zijn niet uitgebracht: bevestig het uitbrengen op de pagina, of laad de "
            "pagina opnieuw.",
        )
        return redirect("finance:budget-detail", year=year)
    try:
        letters.issue_all_letters(request.user, budget, form.cleaned_data["version"])
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("finance:budget-detail", year=year)
    audit(request, "pdf", f"raadsbrieven.{year}", "issued")
    messages.success(
        request,
        "De brieven van de zeven gemeenten zijn uitgebracht. Zodra hun PDF's gemaakt zijn, "
        "krijgt u ze hier als één ZIP-bestand.",
    )
    return redirect("finance:issued-letters-zip", year=year)


@require_GET
@vary_on_headers("HX-Request")
def issued_letters_zip(request, year):
    """The last letter issued to each municipality for `year` as one ZIP file, each PDF byte
    for byte as kept; while the worker still makes one of them, the page saying so."""
    issued = letters.latest_issued(year)
    if not issued:
        raise Http404("Voor dit jaar is nog geen brief uitgebracht.")
    state = _state_of(issued)
    if state == RenderStatus.READY and not wants_partial(request):
        audit(request, "pdf", f"raadsbrieven.{year}", "download")
        checksums = "".join(letter.sha256 for letter in issued)
        return _kept_file(
            request,
            letters.letters_zip(issued),
            hashlib.sha256(checksums.encode()).hexdigest(),
            f"raadsinformatiebrieven-{year}.zip",
            "application/zip",
        )
    url = reverse("finance:issued-letters-zip", args=[year])
    back_url = reverse("finance:budget-detail", args=[year])
    return _render_state(
        request, {"kind": "zip", "state": state, "url": url, "back_url": back_url, "year": year}
    )


@require_GET
@vary_on_headers("HX-Request")
def issued_letter_pdf(request, slug, year, number):
    """An issued letter exactly as it was sent: the stored bytes, never rendered again (and
    while the worker still makes its PDF, the page saying so)."""
    organisation = _municipality(slug)
    issued = get_object_or_404(
        IssuedLetter.objects.select_related("rendering"),
        organisation=organisation,
        budget__year=year,
        number=number,
    )
    state = _state_of([issued])
    if state == RenderStatus.READY and not wants_partial(request):
        audit(request, "pdf", f"raadsbrief.{organisation.slug}.{year}.{number}", "download")
        return _kept_file(
            request,
            bytes(issued.pdf),
            issued.sha256,
            f"raadsinformatiebrief-{organisation.slug}-{year}-{number}.pdf",
            "application/pdf",
        )
    return _render_state(
        request,
        {
            "kind": "issued",
            "state": state,
            "size": len(issued.pdf),
            "issued": issued,
            "url": reverse("finance:issued-letter-pdf", args=[slug, year, number]),
            "back_url": reverse("finance:report", args=[slug, year]),
            "organisation": organisation,
        },
    )


@require_http_methods(["GET", "POST"])
def particulars_edit(request, slug):
    organisation = _municipality(slug)
    if not permissions.can_edit_letter_particulars(request.user, organisation):
        raise PermissionDenied
    current = budgets.particulars_for(organisation)
    # Back to the year's report one came from (?jaar=, kept in the form's own URL), else the
    # latest year.
    year = request.GET.get("jaar", "")
    if year.isdigit() and len(year) == 4 and BudgetYear.objects.filter(year=int(year)).exists():
        back = reverse("finance:report", args=[organisation.slug, int(year)])
    else:
        back = reverse("finance:report-latest", args=[organisation.slug])
    form = ParticularsForm(
        request.POST or None, instance=current, initial={"version": current.version}
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            budgets.save_particulars(
                request.user, organisation, fields, form.cleaned_data.get("version")
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"De briefgegevens van {organisation} zijn opgeslagen.")
            return redirect(back)
    history = []
    if current.pk:
        history = timeline(
            type(current).history.filter(id=current.pk).select_related("history_user")[:30]
        )
    return render(
        request,
        "finance/particulars_form.html",
        {"organisation": organisation, "form": form, "history": history, "back": back},
    )
