"""A project's external financing, kept by the programme office (`portfolio.funding`, issue 30).

The project page lists the rows with a link to change each; these views hold the form. A refusal
or an invalid form comes back as the form with its errors (status 200).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.formatting import format_euro
from smartdelta.versioning import conflict_form

from . import funding as service
from .forms import ExternalFundingForm, RemoveForm
from .models import ExternalFunding, Project

TEMPLATE = "portfolio/funding_form.html"


def _project_for(request, pk) -> Project:
    """The project (404 when there is none), then 403 unless the user keeps projects."""
    project = get_object_or_404(Project.objects.for_user(request.user), pk=pk)
    if not permissions.can_manage_projects(request.user):
        raise PermissionDenied
    return project


def _funding_for(request, pk, funding) -> tuple[Project, ExternalFunding]:
    project = get_object_or_404(Project.objects.for_user(request.user), pk=pk)
    row = get_object_or_404(
        ExternalFunding.objects.select_related("updated_by"), pk=funding, project=project
    )
    if not permissions.can_manage_projects(request.user):
        raise PermissionDenied
    return project, row


def _back(project) -> str:
    return reverse("portfolio:project-detail", args=[project.pk]) + "#financiering"


@require_http_methods(["GET", "POST"])
def funding_create(request, pk):
    project = _project_for(request, pk)
    form = ExternalFundingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = service.add_external_funding(
                request.user,
                project,
                data["source"],
                data["amount"],
                data["status"],
                data["description"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Externe financiering ({row.get_source_display()}, "
                f"{format_euro(row.amount)}) toegevoegd.",
            )
            return redirect(_back(project))
    return render(request, TEMPLATE, {"project": project, "form": form, "funding": None})


@require_http_methods(["GET", "POST"])
def funding_edit(request, pk, funding):
    project, row = _funding_for(request, pk, funding)
    form = ExternalFundingForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = service.change_external_funding(
                request.user,
                row,
                data["source"],
                data["amount"],
                data["status"],
                data["description"],
                data["version"],
            )
        except ConflictError as error:
            current = error.current
            stored = (
                f"{current.get_source_display()}, {format_euro(current.amount)}, "
                f"{current.get_status_display().lower()}"
            )
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: ExternalFundingForm(data, instance=stored),
                f"Nu opgeslagen: {stored}.",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Externe financiering ({saved.get_source_display()}) opgeslagen."
            )
            return redirect(_back(project))
    return render(
        request,
        TEMPLATE,
        {
            "project": project,
            "form": form,
            "funding": row,
            "remove_form": RemoveForm(initial={"version": row.version}),
        },
    )


@require_POST
def funding_remove(request, pk, funding):
    """A button without fields of its own: refused, it answers with the reason and goes back."""
    project, row = _funding_for(request, pk, funding)
    form = RemoveForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        service.remove_external_funding(request.user, row, version)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("portfolio:funding-edit", pk=project.pk, funding=row.pk)
    messages.success(request, f"Externe financiering ({row.get_source_display()}) verwijderd.")
    return redirect(_back(project))
