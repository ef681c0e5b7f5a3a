"""The collaboration's own milestones (`tables.collaboration`, issue 29): read by the
regiekamers and the programme office, kept by the programme office. A refused or invalid
form comes back with the input and its errors (status 200)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.history import timeline
from smartdelta.versioning import conflict_form

from . import collaboration
from .collaboration_forms import CollaborationMilestoneForm
from .models import CollaborationMilestone

FIELDS = ["title", "due_date", "owner", "status", "note"]


def _require_reader(user) -> None:
    if not permissions.sees_all_escalations(user):
        raise PermissionDenied


def _require_keeper(user) -> None:
    _require_reader(user)
    if not permissions.can_keep_collaboration_milestones(user):
        raise PermissionDenied


@require_GET
def milestone_list(request):
    _require_reader(request.user)
    today = timezone.localdate()
    milestones = list(CollaborationMilestone.objects.select_related("owner"))
    for milestone in milestones:
        milestone.overdue = milestone.is_overdue(today)
    return render(
        request,
        "tables/collaboration_milestones.html",
        {
            "milestones": milestones,
            "overdue": sum(1 for m in milestones if m.overdue),
            "can_keep": permissions.can_keep_collaboration_milestones(request.user),
        },
    )


def _done(request, text: str):
    messages.success(request, text)
    return redirect(reverse("regiekamer:milestone-list"))


@require_http_methods(["GET", "POST"])
def milestone_create(request):
    _require_keeper(request.user)
    form = CollaborationMilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in FIELDS}
        try:
            milestone = collaboration.add_milestone(request.user, **data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, f"Mijlpaal ‘{milestone.title}’ vastgelegd.")
    return render(
        request, "tables/collaboration_milestone_form.html", {"form": form, "milestone": None}
    )


@require_http_methods(["GET", "POST"])
def milestone_edit(request, pk):
    milestone = get_object_or_404(CollaborationMilestone.objects.select_related("owner"), pk=pk)
    _require_keeper(request.user)
    initial = {name: getattr(milestone, name) for name in FIELDS} | {
        "owner": milestone.owner_id,
        "version": milestone.version,
    }
    form = CollaborationMilestoneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in FIELDS}
        try:
            milestone = collaboration.update_milestone(
                request.user, milestone, seen_version=form.cleaned_data["version"], **data
            )
        except ConflictError as error:
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: CollaborationMilestoneForm(data),
                f"Opgeslagen stand: {error.current.get_status_display()}.",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, f"Mijlpaal ‘{milestone.title}’ bijgewerkt.")
    history = timeline(
        milestone.history.select_related("history_user", "owner").order_by(
            "-history_date", "-history_id"
        )[:50]
    )
    return render(
        request,
        "tables/collaboration_milestone_form.html",
        {"form": form, "milestone": milestone, "history": history},
    )
