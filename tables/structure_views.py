"""Themes, board tables and triple-helix tables (`tables.structure`), and a table's new process
cycle (`tables.process.open_cycle`), kept by the programme office in the portal (issue 30).

Everyone else gets 403 (the tables themselves are everyone's to read on their own pages). A
refusal or an invalid form comes back as the form with its errors (status 200)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from portfolio.models import Theme
from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.history import timeline
from smartdelta.versioning import conflict_form

from . import process, structure
from .forms import CycleForm, HelixTableForm, ThemeForm
from .models import BoardTable, TripleHelixTable


def _office(request) -> None:
    if not permissions.can_manage_tables(request.user):
        raise PermissionDenied


@require_GET
def structure_overview(request):
    _office(request)
    themes = Theme.objects.select_related("board_table").prefetch_related(
        "board_table__helix_tables"
    )
    return render(request, "tables/structure.html", {"themes": themes})


def _theme_data(form) -> dict:
    data = form.cleaned_data
    return {k: data[k] for k in ("name", "order", "description", "table_description")}


@require_http_methods(["GET", "POST"])
def theme_create(request):
    _office(request)
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme = structure.create_theme(
                request.user, slug=form.cleaned_data["slug"], **_theme_data(form)
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Thema ‘{theme}’ en zijn bestuurlijke tafel aangemaakt.")
            return redirect("tables:structure")
    return render(request, "tables/theme_form.html", {"form": form, "theme": None})


@require_http_methods(["GET", "POST"])
def theme_edit(request, pk):
    theme = get_object_or_404(Theme.objects.select_related("board_table"), pk=pk)
    _office(request)
    table = getattr(theme, "board_table", None)
    initial = {
        "name": theme.name,
        "order": theme.order,
        "description": theme.description,
        "table_description": table.description if table else "",
        "version": theme.version,
    }
    form = ThemeForm(request.POST or None, initial=initial, with_slug=False)
    if request.method == "POST" and form.is_valid():
        try:
            saved = structure.change_theme(
                request.user, theme, **_theme_data(form), seen_version=form.cleaned_data["version"]
            )
        except ConflictError as error:
            form = conflict_form(
                error, request.POST, lambda data, stored: ThemeForm(data, with_slug=False)
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Thema ‘{saved}’ opgeslagen.")
            return redirect("tables:structure")
    # Each object's own timeline (its rows compare with its own earlier rows), merged.
    history = [
        {**entry, "what": "thema"}
        for entry in timeline(theme.history.select_related("history_user").order_by("-history_id"))
    ]
    if table:
        rows = table.history.select_related("history_user").order_by("-history_id")
        history += [{**entry, "what": "bestuurlijke tafel"} for entry in timeline(rows)]
    history.sort(key=lambda entry: entry["when"], reverse=True)
    return render(
        request,
        "tables/theme_form.html",
        {"form": form, "theme": theme, "history": history},
    )


@require_http_methods(["GET", "POST"])
def helix_create(request):
    _office(request)
    form = HelixTableForm(request.POST or None, initial={"board_table": request.GET.get("tafel")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            helix = structure.add_helix_table(
                request.user,
                board_table=data["board_table"],
                name=data["name"],
                description=data["description"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Triple-helixtafel ‘{helix}’ aangemaakt.")
            return redirect("tables:structure")
    return render(request, "tables/helix_form.html", {"form": form, "helix": None})


@require_http_methods(["GET", "POST"])
def helix_edit(request, pk):
    helix = get_object_or_404(TripleHelixTable.objects.select_related("board_table"), pk=pk)
    _office(request)
    initial = {
        "board_table": helix.board_table_id,
        "name": helix.name,
        "description": helix.description,
        "version": helix.version,
    }
    form = HelixTableForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = structure.change_helix_table(
                request.user,
                helix,
                board_table=data["board_table"],
                name=data["name"],
                description=data["description"],
                seen_version=data["version"],
            )
        except ConflictError as error:
            form = conflict_form(error, request.POST, lambda data, stored: HelixTableForm(data))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Triple-helixtafel ‘{saved}’ opgeslagen.")
            return redirect("tables:structure")
    history = timeline(helix.history.select_related("history_user").order_by("-history_id"))
    return render(
        request, "tables/helix_form.html", {"form": form, "helix": helix, "history": history}
    )


@require_http_methods(["GET", "POST"])
def cycle_create(request, slug):
    table = get_object_or_404(BoardTable.objects.select_related("theme"), theme__slug=slug)
    _office(request)
    year = process.next_cycle_year(table, timezone.localdate().year)
    form = CycleForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            process.open_cycle(request.user, table, form.cleaned_data["year"])
        except DomainError as error:
            form.add_error("year", str(error))
        else:
            messages.success(
                request,
                f"Cyclus {form.cleaned_data['year']} van {table} gestart, met acht stappen.",
            )
            return redirect("tables:table-detail", slug=table.slug)
    cycles = sorted(set(table.process_steps.values_list("cycle", flat=True)), reverse=True)
    return render(
        request, "tables/cycle_form.html", {"form": form, "table": table, "cycles": cycles}
    )
