"""Milestones and the execution phase of a project, kept by its carriers (`portfolio.progress`).

The project page shows the forms; these views take their posts. A refusal or an invalid form
comes back as the page with the form and its errors (status 200).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.versioning import conflict_form

from . import progress
from .forms import MilestoneForm, MilestoneReachedForm, PhaseForm
from .models import Milestone, Project
from .views import _detail_context


def _project_for(request, pk) -> Project:
    """The project (404 when there is none), and 403 unless the user carries it."""
    project = get_object_or_404(
        Project.objects.for_user(request.user).select_related("theme", "lead"), pk=pk
    )
    _check(request, project)
    return project


def _check(request, project) -> None:
    if not permissions.can_post_progress(request.user, project):
        raise PermissionDenied


def _milestone_for(request, pk, milestone) -> tuple[Project, Milestone]:
    """The project and its milestone (404 when either is not there), then 403 unless the user
    carries the project."""
    project = get_object_or_404(
        Project.objects.for_user(request.user).select_related("theme", "lead"), pk=pk
    )
    milestone = get_object_or_404(
        Milestone.objects.select_related("updated_by"), pk=milestone, project=project
    )
    _check(request, project)
    return project, milestone


def _anchor(project, fragment: str) -> str:
    return reverse("portfolio:project-detail", args=[project.pk]) + fragment


@require_http_methods(["GET", "POST"])
def milestone_create(request, pk):
    project = _project_for(request, pk)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            progress.add_milestone(
                request.user, project, data["title"], data["due_date"], data["done_on"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Mijlpaal ‘{data['title']}’ toegevoegd.")
            return redirect(_anchor(project, "#mijlpalen"))
    return render(
        request,
        "portfolio/milestone_form.html",
        {"project": project, "form": form, "milestone": None},
    )


@require_http_methods(["GET", "POST"])
def milestone_edit(request, pk, milestone):
    project, milestone = _milestone_for(request, pk, milestone)
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            progress.update_milestone(
                request.user,
                milestone,
                data["title"],
                data["due_date"],
                data["done_on"],
                data["version"],
            )
        except ConflictError as error:
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: MilestoneForm(data, instance=stored),
                f"Nu opgeslagen: ‘{error.current.title}’.",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Mijlpaal ‘{data['title']}’ opgeslagen.")
            return redirect(_anchor(project, "#mijlpalen"))
    return render(
        request,
        "portfolio/milestone_form.html",
        {"project": project, "form": form, "milestone": milestone},
    )


@require_POST
def milestone_reached(request, pk, milestone):
    project, milestone = _milestone_for(request, pk, milestone)
    form = MilestoneReachedForm(request.POST, auto_id=f"id_mijlpaal{milestone.pk}_%s")
    if form.is_valid():
        try:
            progress.mark_milestone_reached(
                request.user, milestone, form.cleaned_data["done_on"], form.cleaned_data["version"]
            )
        except ConflictError as error:
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: MilestoneReachedForm(
                    data, auto_id=f"id_mijlpaal{milestone.pk}_%s"
                ),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Mijlpaal ‘{milestone.title}’ behaald.")
            return redirect(_anchor(project, "#mijlpalen"))
    return render(
        request,
        "portfolio/project_detail.html",
        _detail_context(request, project, reached_form=(milestone.pk, form)),
    )


@require_POST
def phase_set(request, pk):
    project = _project_for(request, pk)
    form = PhaseForm(request.POST, choices=progress.phase_choices(project))
    if form.is_valid():
        try:
            saved = progress.set_phase(
                request.user, project, form.cleaned_data["phase"], form.cleaned_data["version"]
            )
        except ConflictError as error:
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: PhaseForm(data, choices=progress.phase_choices(stored)),
                f"Huidige fase: {error.current.get_status_display().lower()}.",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Fase van ‘{saved}’: {saved.get_status_display().lower()}.")
            return redirect(_anchor(project, "#fase"))
    return render(
        request, "portfolio/project_detail.html", _detail_context(request, project, phase_form=form)
    )
