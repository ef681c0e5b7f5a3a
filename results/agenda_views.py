"""Pages of the local uitvoeringsagenda (issue 27, `results.agenda`): a municipality's agenda,
an item with its history, the form to add or change one, and the publish button. Every page
works without JavaScript.

Seen: published items by everyone signed in; a concept only by the municipality's officials and
secretary and the programme office (404 for the rest, `AgendaItem.objects.for_user`).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.history import timeline
from smartdelta.models import Organisation
from smartdelta.versioning import conflict_form

from . import agenda
from .forms import AgendaItemForm, PublishForm
from .models import AgendaItem

HISTORY_LIMIT = 50


def _municipality(slug) -> Organisation:
    return get_object_or_404(Organisation.objects.core(), slug=slug)


def _item_for(request, slug, pk) -> AgendaItem:
    """The item of that municipality, if the user may see it (404 otherwise)."""
    return get_object_or_404(
        AgendaItem.objects.for_user(request.user).select_related(
            "organisation", "theme", "project", "updated_by", "published_by"
        ),
        organisation__slug=slug,
        pk=pk,
    )


# A municipality may keep hundreds of items: the page shows them a page at a time.
ITEMS_PER_PAGE = 50


@require_GET
def agenda_list(request, slug):
    organisation = _municipality(slug)
    items = (
        AgendaItem.objects.for_user(request.user)
        .filter(organisation=organisation)
        .select_related("theme", "project")
        .order_by("theme__order", "start_date", "pk")
    )
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "results/agenda_list.html",
        {
            "organisation": organisation,
            "items": page,
            "can_edit": permissions.can_edit_agenda(request.user, organisation),
            "sees_concepts": permissions.sees_agenda_concepts(request.user, organisation.pk),
            "municipalities": Organisation.objects.core().order_by("name"),
        },
    )


def _history(item: AgendaItem) -> list[dict]:
    rows = (
        AgendaItem.history.filter(id=item.pk)
        .select_related("history_user", "theme", "project", "published_by")
        .order_by("-history_date", "-history_id")
    )
    return timeline(rows[:HISTORY_LIMIT])


@require_GET
def agenda_item_detail(request, slug, pk):
    item = _item_for(request, slug, pk)
    can_publish = not item.published and permissions.can_publish_agenda_item(request.user, item)
    return render(
        request,
        "results/agenda_item_detail.html",
        {
            "organisation": item.organisation,
            "item": item,
            "can_edit": permissions.can_edit_agenda(request.user, item.organisation),
            "can_publish": can_publish,
            "history": _history(item),
        },
    )


@require_http_methods(["GET", "POST"])
def agenda_item_create(request, slug):
    organisation = _municipality(slug)
    if not permissions.can_edit_agenda(request.user, organisation):
        raise PermissionDenied
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = agenda.add_item(
                request.user, organisation, **{f: data[f] for f in (*agenda.FIELDS, "project")}
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Agendapunt ‘{item.title}’ opgeslagen als concept.")
            return redirect("results:agenda-item-detail", slug=organisation.slug, pk=item.pk)
    return render(
        request,
        "results/agenda_item_form.html",
        {"organisation": organisation, "form": form, "item": None},
    )


@require_http_methods(["GET", "POST"])
def agenda_item_edit(request, slug, pk):
    item = _item_for(request, slug, pk)
    if not permissions.can_edit_agenda(request.user, item.organisation):
        raise PermissionDenied
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {f: data[f] for f in (*agenda.FIELDS, "project")}
        try:
            item = agenda.update_item(request.user, item, changes, data["version"])
        except ConflictError as error:
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: AgendaItemForm(data, instance=stored),
                f"Nu opgeslagen: ‘{error.current.title}’.",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Agendapunt ‘{item.title}’ opgeslagen.")
            return redirect("results:agenda-item-detail", slug=item.organisation.slug, pk=item.pk)
    return render(
        request,
        "results/agenda_item_form.html",
        {"organisation": item.organisation, "form": form, "item": item},
    )


@require_POST
def agenda_item_publish(request, slug, pk):
    """A button without fields: refused by the domain, it answers with the reason as a message
    and a redirect back to the item (README "Writing")."""
    item = _item_for(request, slug, pk)
    if not permissions.can_publish_agenda_item(request.user, item):
        raise PermissionDenied
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Het agendapunt is niet gepubliceerd: laad de pagina opnieuw.")
    else:
        try:
            agenda.publish_item(request.user, item, form.cleaned_data["version"])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"‘{item.title}’ is gepubliceerd voor de raad van {item.organisation}."
            )
    return redirect("results:agenda-item-detail", slug=item.organisation.slug, pk=item.pk)
