"""Organisations in the portal (issue 30, smartdelta.organisations): the programme office lists
every organisation, adds a neighbour municipality or partner and changes an organisation's
details. Everyone else gets 403. A refusal or an invalid form comes back as the form with its
errors (status 200). Nothing is deleted here."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import organisations, permissions
from .errors import ConflictError, DomainError
from .forms import OrganisationForm
from .history import timeline
from .models import Organisation, OrganisationKind
from .versioning import conflict_form

FIXED_KINDS = (OrganisationKind.CORE, OrganisationKind.PROGRAMME)


def _keeper(request) -> None:
    if not permissions.can_keep_organisations(request.user):
        raise PermissionDenied


@require_GET
def organisation_list(request):
    _keeper(request)
    kinds = [
        (label, Organisation.objects.filter(kind=value).order_by("name"))
        for value, label in [
            (OrganisationKind.CORE, "De zeven Drechtstedengemeenten"),
            (OrganisationKind.NEIGHBOUR, "Buurgemeenten"),
            (OrganisationKind.PARTNER, "Triple-helixpartners"),
            (OrganisationKind.PROGRAMME, "Programmabureau"),
        ]
    ]
    return render(request, "smartdelta/organisation_list.html", {"kinds": kinds})


def _data(form, kind) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "kind": data.get("kind", kind),
        "helix_kind": data["helix_kind"],
        "cbs_code": data["cbs_code"],
    }


@require_http_methods(["GET", "POST"])
def organisation_create(request):
    _keeper(request)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisations.add_organisation(
                request.user, slug=form.cleaned_data["slug"], **_data(form, None)
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Organisatie ‘{organisation}’ toegevoegd.")
            return redirect("office:organisation-list")
    return render(
        request, "smartdelta/organisation_form.html", {"form": form, "organisation": None}
    )


@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    _keeper(request)
    fixed = organisation.kind in FIXED_KINDS
    kinds = [] if fixed else [OrganisationKind.NEIGHBOUR, OrganisationKind.PARTNER]
    initial = {
        "name": organisation.name,
        "kind": organisation.kind,
        "helix_kind": organisation.helix_kind,
        "cbs_code": organisation.cbs_code,
        "version": organisation.version,
    }
    core = organisation.kind == OrganisationKind.CORE
    form = OrganisationForm(
        request.POST or None, initial=initial, kinds=kinds, with_slug=False, core=core
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = organisations.change_organisation(
                request.user,
                organisation,
                **_data(form, organisation.kind),
                seen_version=form.cleaned_data["version"],
            )
        except ConflictError as error:
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: OrganisationForm(
                    data, kinds=kinds, with_slug=False, core=core
                ),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Organisatie ‘{saved}’ opgeslagen.")
            return redirect("office:organisation-list")
    history = timeline(organisation.history.select_related("history_user").order_by("-history_id"))
    return render(
        request,
        "smartdelta/organisation_form.html",
        {"form": form, "organisation": organisation, "fixed": fixed, "history": history},
    )
