from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.exports import EXPORT_FORMATS, export_response
from smartdelta.history import timeline
from smartdelta.htmx import wants_partial
from smartdelta.models import Organisation
from smartdelta.security import audit
from smartdelta.versioning import conflict_form

from . import positions, progress, projects, queries
from .forms import (
    CoalitionForm,
    MilestoneReachedForm,
    PhaseForm,
    PositionForm,
    ProgressUpdateForm,
    ProjectFilterForm,
    ProjectForm,
    StatusForm,
)
from .models import ExternalFunding, Milestone, Position, ProgressUpdate, Project, Theme
from .projects import PROJECT_FIELDS

PAGE_SIZE = 25
# Projects per query (with their positions' prefetch) while an export is written.
EXPORT_CHUNK = 250
# Long texts the exports do not show, left in the database.
EXPORT_SKIPS = ("description", "goal")
SORTEERBAK_PAGE_SIZE = 25
# The columns of a position that a sorteerbak cell shows (portfolio/templatetags/positions.py).
CELL_FIELDS = ("variant", "amount", "share", "entry_date")


def _page_query(request) -> str:
    """The current query string without `page`, ending in `&` when not empty."""
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


@require_GET
@vary_on_headers("HX-Request")
def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    projects = queries.filter_projects(
        Project.objects.for_user(request.user).select_related("theme", "lead"), data, request.user
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    summaries = queries.position_summaries(page, len(Organisation.objects.core()), request.user)
    rows = [(project, summaries[project.pk]) for project in page]
    template = "portfolio/project_list.html"
    if wants_partial(request):
        template += "#results"
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "query_without_page": _page_query(request),
            "export_query": _page_query(request).rstrip("&"),
            "can_manage": permissions.can_manage_projects(request.user),
        },
    )


@require_GET
def project_export(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    form = ProjectFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    projects = (
        queries.filter_projects(
            Project.objects.for_user(request.user).select_related("theme", "lead"),
            data,
            request.user,
        )
        .defer(*EXPORT_SKIPS)
        .prefetch_related(queries.core_positions_prefetch("variant"))
    )
    cores = list(Organisation.objects.core())
    header = [
        "Project",
        "Thema",
        "Trekker",
        "Status",
        "Totale kosten",
        "Component 2 (basis)",
        "Component 3 (deelnemers)",
        "Verdeelsleutel",
        *[org.name for org in cores],
    ]

    def rows():
        # Read in chunks as the download goes (smartdelta/exports.py): memory stays flat.
        for project in projects.iterator(chunk_size=EXPORT_CHUNK):
            by_org = {
                c.organisation_id: queries.as_seen_by(request.user, c).get_variant_display()
                for c in project.core_positions
            }
            yield [
                project.name,
                project.theme.name,
                project.lead.name,
                project.get_status_display(),
                project.total_cost,
                project.base_funding,
                project.participant_funding,
                project.get_sharing_key_display(),
                *[by_org.get(org.pk, "Nog niet bepaald") for org in cores],
            ]

    audit(request, "export", f"portfolio.{fmt}")
    return export_response(fmt, f"portfolio.{fmt}", header, rows(), title="Portfolio")


@require_GET
def sorteerbak_index(request):
    first = Theme.objects.first()
    if first is None:
        raise Http404("Er zijn nog geen thema's.")
    return redirect("portfolio:sorteerbak", theme=first.slug)


def _cell(project, org, position, can_edit: bool) -> dict:
    """One organisation's position on a project: a sorteerbak cell and a project page row."""
    return {"project": project, "org": org, "position": position, "can_edit": can_edit}


def _sorteerbak_context(request, theme):
    cores = list(Organisation.objects.core())
    editable = {org.pk for org in cores if permissions.can_edit_position(request.user, org)}
    # Only what a row and its cells show (up to 175 positions a page): no long texts.
    projects = (
        Project.objects.for_user(request.user)
        .filter(theme=theme)
        .select_related("lead")
        .defer(*EXPORT_SKIPS)
        .prefetch_related(queries.core_positions_prefetch(*CELL_FIELDS))
        .order_by("name")
    )
    page = Paginator(projects, SORTEERBAK_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for project in page:
        by_org = {
            c.organisation_id: queries.as_seen_by(request.user, c) for c in project.core_positions
        }
        rows.append(
            {
                "project": project,
                "cells": [
                    _cell(project, org, by_org.get(org.pk), org.pk in editable) for org in cores
                ],
            }
        )
    return {
        "theme": theme,
        "themes": Theme.objects.all(),
        "return_query": _return_query(request),
        "return_path": _return_path(request),
        "cores": cores,
        "rows": rows,
        "page_obj": page,
        "query_without_page": "",
        "own_column": request.user.organisation
        if request.user.organisation_id in editable
        else None,
    }


def _return_path(request) -> str:
    """The page a cell is on: the page itself, or after an htmx swap the page the cell was
    swapped into (where the position form and the cell's Indienen return to)."""
    htmx = getattr(request, "htmx", None)
    return (htmx and htmx.current_url_abs_path) or request.get_full_path()


def _return_query(request) -> str:
    """`next=` the page a cell is on, for the link to the position form without JavaScript."""
    return urlencode({"next": _return_path(request)})


@require_GET
def sorteerbak(request, theme):
    theme = get_object_or_404(Theme, slug=theme)
    return render(request, "portfolio/sorteerbak.html", _sorteerbak_context(request, theme))


@require_GET
def sorteerbak_export(request, theme, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    theme = get_object_or_404(Theme, slug=theme)
    cores = list(Organisation.objects.core())
    projects = (
        Project.objects.for_user(request.user)
        .filter(theme=theme)
        .select_related("lead")
        .defer(*EXPORT_SKIPS)
        .prefetch_related(queries.core_positions_prefetch("variant", "amount"))
        .order_by("name")
    )

    def rows():
        for project in projects.iterator(chunk_size=EXPORT_CHUNK):
            by_org = {
                c.organisation_id: queries.as_seen_by(request.user, c)
                for c in project.core_positions
            }
            row = [project.name, project.lead.name, project.get_status_display()]
            for org in cores:
                c = by_org.get(org.pk)
                row += [
                    c.get_variant_display() if c else "Nog niet bepaald",
                    c.amount if c else None,
                ]
            yield row

    header = ["Project", "Trekker", "Status"]
    for org in cores:
        header += [org.name, f"{org.name} bedrag"]
    audit(request, "export", f"sorteerbak.{theme.slug}.{fmt}")
    return export_response(fmt, f"sorteerbak-{theme.slug}.{fmt}", header, rows(), title=theme.name)


@require_GET
def project_detail(request, pk):
    projects = Project.objects.for_user(request.user).select_related("theme", "lead")
    project = get_object_or_404(projects, pk=pk)
    return render(request, "portfolio/project_detail.html", _detail_context(request, project))


def _detail_context(
    request,
    project,
    status_form=None,
    progress_form=None,
    phase_form=None,
    reached_form=None,
    coalition_form=None,
) -> dict:
    """What the project page shows; a refused form (`status_form` of one organisation's row,
    `progress_form`, `phase_form`, or `reached_form` as (milestone pk, form)) takes its place
    with the user's input and the errors."""
    positions = list(
        project.positions.select_related("organisation", "updated_by", "submitted_by").order_by(
            "organisation__kind", "organisation__name"
        )
    )
    positions = [queries.as_seen_by(request.user, c) for c in positions]
    by_org = {c.organisation_id: c for c in positions}
    cores = list(Organisation.objects.core())
    core_rows = [_position_row(request, project, org, by_org.get(org.pk)) for org in cores]
    partner_rows = [
        _position_row(request, project, c.organisation, c)
        for c in positions
        if not c.organisation.is_core
    ]
    if status_form is not None:
        for row in core_rows + partner_rows:
            if row["org"] == status_form.organisation:
                row["status_form"] = status_form
    external = list(project.external_funding.all())
    can_post = permissions.can_post_progress(request.user, project, positions)
    phases = progress.phase_choices(project)
    if phase_form is None and can_post and phases:
        phase_form = PhaseForm(
            initial={"phase": project.status, "version": project.version}, choices=phases
        )
    milestones = []
    for milestone in project.milestones.all():
        form = None
        if reached_form is not None and reached_form[0] == milestone.pk:
            form = reached_form[1]
        elif can_post and milestone.done_on is None:
            form = MilestoneReachedForm(
                initial={"done_on": timezone.localdate(), "version": milestone.version},
                auto_id=f"id_mijlpaal{milestone.pk}_%s",
            )
        milestones.append({"milestone": milestone, "reached_form": form})
    can_manage = permissions.can_manage_projects(request.user)
    if coalition_form is None and can_manage and project.coalition_closed_on is None:
        coalition_form = CoalitionForm(initial={"version": project.version})
    return {
        "project": project,
        "coalition": _coalition(project, positions, cores),
        "coalition_form": coalition_form if can_manage else None,
        "core_rows": core_rows,
        "partner_rows": partner_rows,
        "external": external,
        "external_total": sum((f.amount for f in external), start=0),
        "updates": project.updates.select_related("author")[:10],
        "milestones": milestones,
        "can_manage": can_manage,
        "can_add_outside_position": permissions.can_add_outside_position(
            request.user, {org.pk for org in cores}
        ),
        "can_post_progress": can_post,
        "progress_form": progress_form or ProgressUpdateForm(),
        "phase_form": phase_form if can_post else None,
    }


@require_GET
def project_history(request, pk):
    """Who changed what of a project, and when: its positions, progress, milestones and phase.

    A page of its own, linked from the project page: the project page is read far more often
    than its history, and the four history queries were a third of its cost.
    """
    project = get_object_or_404(Project.objects.for_user(request.user), pk=pk)
    history = timeline(
        Position.history.filter(project_id=project.pk)
        # Another municipality's concept stays out of sight here too (need-to-know).
        .exclude(permissions.hidden_concepts(request.user))
        .select_related("history_user", "organisation", "submitted_by")
        .order_by("-history_date", "-history_id")[:100]
    )
    return render(
        request,
        "portfolio/project_history.html",
        {"project": project, "history": history, "progress_history": _progress_history(project)},
    )


def _progress_history(project, limit: int = 50) -> list[dict]:
    """Who posted progress, changed a milestone or the phase, when: newest first."""
    entries = []
    for what, rows in (
        (
            "Voortgangsbericht",
            ProgressUpdate.history.filter(project_id=project.pk).select_related("history_user"),
        ),
        (
            "Mijlpaal",
            Milestone.history.filter(project_id=project.pk).select_related("history_user"),
        ),
        (
            "Externe financiering",
            ExternalFunding.history.filter(project_id=project.pk).select_related("history_user"),
        ),
    ):
        for entry in timeline(rows.order_by("-history_date", "-history_id")[:limit]):
            if what == "Mijlpaal":
                entry["what"] = f"{what} ‘{entry['row'].title}’"
            elif what == "Externe financiering":
                entry["what"] = f"{what} ({entry['row'].get_source_display()})"
            else:
                entry["what"] = what
            entries.append(entry)
    phase_rows = Project.history.filter(id=project.pk).select_related("history_user")
    for entry in timeline(phase_rows.order_by("-history_date", "-history_id")[:limit], ["status"]):
        if entry["changes"]:
            entry["what"] = "Fase"
            entries.append(entry)
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:limit]


def _coalition(project, positions, cores) -> dict:
    """Whether the project's coalition is final, in words (README "How the money is divided")."""
    confirmed = {
        c.organisation_id
        for c in positions
        if getattr(c, "has_position_in_force", False) and c.status != "ingetrokken"
    }
    open_cores = [org for org in cores if org.pk not in confirmed]
    return {
        "closed_by_decision": project.coalition_closed_on is not None,
        "final": project.coalition_closed_on is not None or not open_cores,
        "waiting_for": open_cores,
    }


@require_POST
def coalition_close(request, pk):
    project = get_object_or_404(Project.objects.select_related("theme", "lead"), pk=pk)
    if not permissions.can_manage_projects(request.user):
        raise PermissionDenied
    form = CoalitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            projects.close_coalition(
                request.user, project, data["closed_on"], data["reference"], data["version"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"De coalitie van ‘{project}’ is gesloten: de kosten binden nu de deelnemers die "
                "hun positie hebben bevestigd.",
            )
            return redirect(reverse("portfolio:project-detail", args=[project.pk]) + "#coalitie")
    return render(
        request,
        "portfolio/project_detail.html",
        _detail_context(request, project, coalition_form=form),
    )


def _position_row(request, project, org, position) -> dict:
    """A row of the project page: the cell, and the status change its state machine allows."""
    row = _cell(project, org, position, permissions.can_edit_position(request.user, org))
    row["status_form"] = None
    row["awaits_second_person"] = positions.awaits_second_person(request.user, position)
    if row["can_edit"] and position is not None:
        transitions = positions.allowed_transitions(request.user, position)
        if transitions:
            row["status_form"] = StatusForm(
                initial={"version": position.version}, organisation=org, transitions=transitions
            )
    return row


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@require_http_methods(["GET", "POST"])
def position_edit(request, pk, org):
    project = get_object_or_404(Project.objects.for_user(request.user), pk=pk)
    organisation = get_object_or_404(Organisation.objects.participants(), slug=org)
    if not permissions.can_edit_position(request.user, organisation):
        raise PermissionDenied
    position = (
        Position.objects.select_related("updated_by")
        .filter(project=project, organisation=organisation)
        .first()
    )
    # The sorteerbak asks for its cell (and the cell's form) with ?weergave=cel.
    in_cell = wants_partial(request) and request.GET.get("weergave") == "cel"
    # Several cells' forms can be open at once: each gets its own field ids, which the labels
    # and the error summary's links point at.
    form_options = {
        "organisation": organisation,
        "auto_id": f"id_{project.pk}_{organisation.slug}_%s" if in_cell else "id_%s",
    }
    context = {
        "project": project,
        "organisation": organisation,
        "position": position,
        "cell": _cell(project, organisation, position, True),
        "return_query": _return_query(request),
        "return_path": _return_path(request),
    }
    if request.method == "POST":
        form = PositionForm(request.POST, **form_options)
        if form.is_valid():
            try:
                saved = positions.record_position(
                    request.user,
                    project,
                    organisation,
                    form.position_input(),
                    form.cleaned_data["version"],
                )
            except ConflictError as error:
                current = error.current
                form = conflict_form(
                    error,
                    request.POST,
                    lambda data, stored: PositionForm(data, **form_options),
                    f"Huidige positie: {current.get_variant_display().lower()}.",
                )
                context.update(position=current, cell=_cell(project, organisation, current, True))
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Positie van {organisation} op ‘{project}’ opgeslagen: {saved.get_variant_display()}.",
                )
                if in_cell:
                    context["cell"] = _cell(project, organisation, saved, True)
                    return render(request, "portfolio/sorteerbak.html#cell", context)
                return redirect(
                    _safe_next(request, reverse("portfolio:project-detail", args=[project.pk]))
                )
    else:
        form = PositionForm(initial=PositionForm.initial_for(position), **form_options)
    context.update(form=form, next=_safe_next(request, ""))
    if in_cell:
        if request.method == "GET" and request.GET.get("annuleren"):
            return render(request, "portfolio/sorteerbak.html#cell", context)
        return render(request, "portfolio/sorteerbak.html#cell-form", context)
    return render(request, "portfolio/position_form.html", context)


@require_POST
def position_status(request, pk, org):
    project = get_object_or_404(Project.objects.for_user(request.user), pk=pk)
    organisation = get_object_or_404(Organisation.objects.participants(), slug=org)
    if not permissions.can_edit_position(request.user, organisation):
        raise PermissionDenied
    position = get_object_or_404(
        Position.objects.select_related("submitted_by", "organisation"),
        project=project,
        organisation=organisation,
    )
    # Every choice the status allows is taken, so that a confirmation by the one who submitted
    # is refused by the service with its reason rather than as an unknown choice.
    transitions = positions.allowed_transitions(None, position)
    form = StatusForm(
        request.POST,
        organisation=organisation,
        transitions=transitions,
    )
    if form.is_valid():
        try:
            positions.change_status(
                request.user,
                position,
                form.cleaned_data["status"],
                form.cleaned_data["version"],
                form.cleaned_data["decision_reference"],
                form.cleaned_data["decision_date"],
            )
        except ConflictError as error:
            position = error.current
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: StatusForm(
                    data,
                    organisation=organisation,
                    transitions=positions.allowed_transitions(None, stored),
                ),
                f"Huidige status: {position.get_status_display().lower()}.",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Status van de toezegging van {organisation} bijgewerkt.")
            # The page the button was pressed on (the sorteerbak's Indienen), else the project.
            target = _safe_next(
                request,
                reverse("portfolio:project-detail", args=[project.pk])
                + f"#positie-{organisation.slug}",
            )
            if request.htmx:
                return HttpResponseClientRedirect(target)
            return redirect(target)
    # The form comes back offering only what this user may choose.
    form.offer(positions.allowed_transitions(request.user, position))
    return render(
        request,
        "portfolio/project_detail.html",
        _detail_context(request, project, status_form=form),
    )


@require_http_methods(["GET", "POST"])
def project_form(request, pk=None):
    if not permissions.can_manage_projects(request.user):
        raise PermissionDenied
    project = get_object_or_404(Project, pk=pk) if pk else None
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PROJECT_FIELDS}
        try:
            if project is None:
                project = projects.create_project(request.user, fields)
            else:
                project = projects.update_project(
                    request.user, project, fields, form.cleaned_data["version"]
                )
        except ConflictError as error:
            form = _project_conflict_form(request, error)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Project ‘{project}’ opgeslagen.")
            return redirect("portfolio:project-detail", pk=project.pk)
    return render(request, "portfolio/project_form.html", {"form": form, "project": project})


def _project_conflict_form(request, error) -> ProjectForm:
    return conflict_form(
        error, request.POST, lambda data, stored: ProjectForm(data, instance=stored)
    )


@require_POST
def progress_add(request, pk):
    project = get_object_or_404(
        Project.objects.for_user(request.user).select_related("theme", "lead"), pk=pk
    )
    if not permissions.can_post_progress(request.user, project):
        raise PermissionDenied
    form = ProgressUpdateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            progress.post_progress(request.user, project, data["date"], data["light"], data["text"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Voortgangsbericht toegevoegd.")
            return redirect(reverse("portfolio:project-detail", args=[project.pk]) + "#voortgang")
    return render(
        request,
        "portfolio/project_detail.html",
        _detail_context(request, project, progress_form=form),
    )


@require_GET
def outside_position(request, pk):
    """The button for a position of a partner or neighbour (issue 30): the programme office
    chooses the organisation; an official of one goes straight to their own."""
    project = get_object_or_404(Project.objects.for_user(request.user), pk=pk)
    cores = list(Organisation.objects.core())
    if not permissions.can_add_outside_position(request.user, {org.pk for org in cores}):
        raise PermissionDenied
    if not permissions.is_programme_office(request.user):
        return redirect(
            "portfolio:position-edit", pk=project.pk, org=request.user.organisation.slug
        )
    taken = Position.objects.filter(project=project).values("organisation")
    organisations = (
        Organisation.objects.participants()
        .exclude(pk__in=[org.pk for org in cores])
        .exclude(pk__in=taken)
        .order_by("kind", "name")
    )
    return render(
        request,
        "portfolio/outside_position.html",
        {"project": project, "organisations": organisations},
    )
