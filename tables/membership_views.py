"""The members of both regiekamers, kept in the portal (`tables.memberships`, issue 29).

Everyone who sees the regiekamers reads who sits in them, since when, for which organisation
and by which decision, with the history of every change; the programme office records
appointments and their end. A form that is refused or invalid comes back with the input and
its errors (status 200).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.formatting import format_date
from smartdelta.history import timeline
from smartdelta.models import Organisation

from . import memberships
from .membership_forms import AppointForm, EndForm
from .models import Membership, Regiekamer, RegiekamerKind

HISTORY_LIMIT = 50


def _require_reader(user) -> None:
    if not permissions.sees_all_escalations(user):
        raise PermissionDenied


def _regiekamer(kind: str) -> Regiekamer:
    if kind not in RegiekamerKind.values:
        raise Http404
    return get_object_or_404(Regiekamer, kind=kind)


def _list_url(regiekamer: Regiekamer) -> str:
    return reverse("regiekamer:membership-list") + f"#{regiekamer.kind}"


@require_GET
def membership_list(request):
    """Both regiekamers: per organisation its seat today (or that it has none), the members
    before, and the history of the memberships. Four queries."""
    _require_reader(request.user)
    today = timezone.localdate()
    rows = list(
        Membership.objects.select_related("user__organisation", "regiekamer").order_by(
            "regiekamer__kind", "user__organisation__name", "-valid_from"
        )
    )
    cores = list(Organisation.objects.core().order_by("name"))
    chambers = []
    for regiekamer in Regiekamer.objects.order_by("kind"):
        own = [m for m in rows if m.regiekamer_id == regiekamer.pk]
        current = [m for m in own if m.valid_from <= today and not _ended(m, today)]
        seated = {m.user.organisation_id for m in current}
        chambers.append(
            {
                "regiekamer": regiekamer,
                "current": current,
                "empty_seats": [org for org in cores if org.pk not in seated],
                "past": [m for m in own if _ended(m, today)],
            }
        )
    history = timeline(
        Membership.history.select_related("history_user", "user", "regiekamer").order_by(
            "-history_date", "-history_id"
        )[:HISTORY_LIMIT]
    )
    return render(
        request,
        "tables/membership_list.html",
        {
            "chambers": chambers,
            "history": history,
            "can_keep": permissions.can_keep_memberships(request.user),
        },
    )


def _ended(membership: Membership, today) -> bool:
    return membership.valid_until is not None and membership.valid_until < today


@require_http_methods(["GET", "POST"])
def membership_create(request, kind):
    regiekamer = _regiekamer(kind)
    if not permissions.can_keep_memberships(request.user):
        raise PermissionDenied
    form = AppointForm(request.POST or None, regiekamer=regiekamer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = memberships.appoint(
                request.user,
                regiekamer,
                data["member"],
                data["valid_from"],
                data["decision"],
                data["capacity"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"{membership.user} is lid van de {regiekamer} vanaf "
                f"{format_date(membership.valid_from)}.",
            )
            return redirect(_list_url(regiekamer))
    return render(request, "tables/membership_form.html", {"form": form, "regiekamer": regiekamer})


@require_http_methods(["GET", "POST"])
def membership_end(request, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("regiekamer", "user__organisation"), pk=pk
    )
    _require_reader(request.user)
    if not permissions.can_keep_memberships(request.user):
        raise PermissionDenied
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            memberships.end(
                request.user,
                membership,
                form.cleaned_data["valid_until"],
                form.cleaned_data["decision"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Het lidmaatschap van {membership.user} is beëindigd.")
            return redirect(_list_url(membership.regiekamer))
    return render(
        request,
        "tables/membership_end_form.html",
        {"form": form, "membership": membership, "regiekamer": membership.regiekamer},
    )
