"""What waits on each municipality (/gemeenten/…/wat-wacht/) and its coordinator (issue 29)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from smartdelta import coordinators, permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.formatting import format_date
from smartdelta.history import timeline
from smartdelta.models import Coordination, Organisation
from smartdelta.versioning import conflict_form

from . import waiting
from .forms import CoordinatorForm


def _municipality(slug) -> Organisation:
    """One of the seven, with its coordinator and deputy; anything else is not there (404)."""
    return get_object_or_404(waiting.with_coordination(Organisation.objects.core()), slug=slug)


@require_GET
def summary(request):
    """Per municipality: what waits on whom, for the regiekamers and the programme office."""
    if not permissions.sees_every_municipality_waiting(request.user):
        raise PermissionDenied
    organisations = list(waiting.with_coordination(Organisation.objects.core()).order_by("name"))
    rows = waiting.counts(request.user, organisations, timezone.localdate())
    return render(request, "following/waiting_summary.html", {"rows": rows})


@require_GET
def overview(request, slug):
    organisation = _municipality(slug)
    coordination = waiting.coordination_of(organisation)
    if not permissions.can_see_waiting_on(request.user, organisation, coordination):
        raise PermissionDenied
    context = waiting.overview(request.user, organisation, timezone.localdate())
    return render(
        request,
        "following/waiting_overview.html",
        context
        | {
            "organisation": organisation,
            "coordination": coordination,
            "can_set_coordinator": permissions.can_set_coordinator(request.user, organisation),
            "can_edit_position": permissions.can_edit_position(request.user, organisation),
            "sees_all": permissions.sees_every_municipality_waiting(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def coordinator_edit(request, slug):
    organisation = _municipality(slug)
    if not permissions.can_set_coordinator(request.user, organisation):
        raise PermissionDenied
    current = waiting.coordination_of(organisation)
    initial = {"version": 0}
    if current is not None:
        initial = {
            "coordinator": current.coordinator,
            "deputy": current.deputy,
            "valid_from": current.valid_from,
            "version": current.version,
        }
    form = CoordinatorForm(request.POST or None, initial=initial, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = coordinators.set_coordinator(
                request.user,
                organisation,
                coordinator=data["coordinator"],
                deputy=data["deputy"],
                valid_from=data["valid_from"],
                seen_version=data["version"],
            )
        except ConflictError as error:
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: CoordinatorForm(data, organisation=organisation),
                f"Nu opgeslagen: {_described(error.current)}.",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"{saved.coordinator} is vastgelegd als coördinator van {organisation}."
            )
            return redirect("following:waiting-overview", slug=organisation.slug)
    history = []
    if current is not None:
        rows = Coordination.history.filter(id=current.pk).select_related(
            "history_user", "coordinator", "deputy"
        )
        history = timeline(rows[:30])
    return render(
        request,
        "following/coordinator_form.html",
        {"organisation": organisation, "form": form, "current": current, "history": history},
    )


def _described(coordination: Coordination) -> str:
    deputy = f", plaatsvervanger {coordination.deputy}" if coordination.deputy_id else ""
    return (
        f"coördinator {coordination.coordinator}{deputy}, "
        f"sinds {format_date(coordination.valid_from)}"
    )
