"""Pages of the council procedures (/raadsprocedures/)."""

import copy
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from results import subject
from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.history import timeline
from smartdelta.htmx import wants_partial
from smartdelta.versioning import conflict_form

from . import procedures
from .forms import CouncilStepForm, ProcedureForm
from .models import CouncilProcedure, CouncilStep, Outcome

HISTORY_FIELDS = ["kind", "council_date", "outcome", "document_reference", "document_url"]


@require_GET
def procedure_list(request):
    today = timezone.localdate()
    # One query: each procedure with its counts of open and decided councils.
    rows = CouncilProcedure.objects.for_user(request.user).annotate(
        open_count=Count("steps", filter=Q(steps__outcome=Outcome.OPEN)),
        step_count=Count("steps"),
    )
    return render(
        request,
        "councils/procedure_list.html",
        {
            "procedures": rows,
            "today": today,
            "can_start": permissions.can_start_council_procedure(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def procedure_create(request):
    if not permissions.can_start_council_procedure(request.user):
        raise PermissionDenied
    form = ProcedureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            procedure = procedures.start_procedure(request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Raadsprocedure ‘{procedure}’ gestart voor de zeven raden.")
            return redirect("councils:procedure-detail", pk=procedure.pk)
    return render(request, "councils/procedure_form.html", {"form": form})


def _row(request, step, today, form=None) -> dict:
    """One council's row; `form` is set only while it is being edited."""
    return {
        "step": step,
        "own": request.user.organisation_id == step.municipality_id,
        "overdue": step.is_overdue(today),
        "can_edit": permissions.can_edit_council_step(request.user, step),
        "form": form,
    }


@require_GET
def procedure_detail(request, pk):
    procedure = get_object_or_404(
        CouncilProcedure.objects.for_user(request.user).select_related(
            "theme", "project", "company"
        ),
        pk=pk,
    )
    today = timezone.localdate()
    steps = list(
        procedure.steps.select_related("municipality", "updated_by").order_by("municipality__name")
    )
    for step in steps:
        step.procedure = procedure  # is_overdue reads the deadline without a query per row
    # A reader's own council comes first (councillors look for theirs), the rest by name.
    steps.sort(key=lambda s: s.municipality_id != request.user.organisation_id)
    # The results of what the proposal is about, with the reader's own municipality's part
    # (one of the seven, already read with its row). Three queries, none without a subject.
    own = next(
        (s.municipality for s in steps if s.municipality_id == request.user.organisation_id), None
    )
    results = subject.results_of(procedure.theme, procedure.project, own, today)
    history = defaultdict(list)
    rows = CouncilStep.history.filter(procedure_id=procedure.pk).select_related("history_user")
    for entry in timeline(rows.order_by("id", "-history_date", "-history_id"), HISTORY_FIELDS):
        history[entry["row"].id].append(entry)
    return render(
        request,
        "councils/procedure_detail.html",
        {
            "procedure": procedure,
            "results": results,
            "own_municipality": own,
            "rows": [_row(request, s, today) for s in steps],
            "histories": [(s, history[s.pk]) for s in steps],
            "overdue_count": sum(s.is_overdue(today) for s in steps),
        },
    )


def _load_step(request, pk, slug) -> CouncilStep:
    procedure = get_object_or_404(CouncilProcedure.objects.for_user(request.user), pk=pk)
    step = get_object_or_404(
        CouncilStep.objects.select_related("municipality", "updated_by"),
        procedure=procedure,
        municipality__slug=slug,
    )
    step.procedure = procedure
    return step


def _step_url(step) -> str:
    return (
        reverse("councils:procedure-detail", args=[step.procedure_id])
        + f"#raad-{step.municipality.slug}"
    )


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def step_edit(request, pk, slug):
    """Edit one council's row.

    With htmx the row becomes its form in place and, once saved, the updated row; without
    JavaScript this is a page of its own that redirects back to the row. Invalid input and a
    refused save come back as a 200 with the form, its errors and a summary at the top.
    """
    step = _load_step(request, pk, slug)
    if not permissions.can_edit_council_step(request.user, step):
        raise PermissionDenied
    procedure = step.procedure
    if request.method == "GET":
        form = None
        if "annuleren" not in request.GET:
            form = CouncilStepForm(instance=step, prefix_slug=slug)
    else:
        # The form validates on a copy: the row shown beside it keeps the stored values.
        form = CouncilStepForm(request.POST, instance=copy.copy(step), prefix_slug=slug)
        if form.is_valid():
            data = form.cleaned_data
            try:
                step = procedures.record_council_step(
                    request.user,
                    step,
                    data["version"],
                    **{field: data[field] for field in HISTORY_FIELDS},
                )
            except ConflictError as error:
                step = _load_step(request, pk, slug)
                form = conflict_form(
                    error,
                    request.POST,
                    lambda data, stored: CouncilStepForm(
                        data, instance=copy.copy(step), prefix_slug=slug
                    ),
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                step.procedure = procedure
                messages.success(
                    request,
                    f"{step.municipality}: {step.get_outcome_display().lower()} opgeslagen.",
                )
                form = None
    context = {
        "row": _row(request, step, timezone.localdate(), form),
        "procedure": procedure,
    }
    if wants_partial(request):
        return render(request, "councils/procedure_detail.html#council-row", context)
    if form is None:
        return redirect(_step_url(step))
    return render(request, "councils/step_form.html", context)
