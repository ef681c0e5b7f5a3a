"""Seats at a board table, kept by the programme office on the table page (`tables.seats`).

Each form is a page of its own that returns to the table's seats; a refusal or an invalid form
comes back with the input and its errors (status 200).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.formatting import format_date
from smartdelta.models import Organisation
from smartdelta.versioning import conflict_form

from . import seats
from .forms import SeatEndForm, SeatForm
from .models import BoardTable, Seat


def _table_for(request, slug) -> BoardTable:
    table = get_object_or_404(BoardTable.objects.select_related("theme"), theme__slug=slug)
    if not permissions.can_manage_seats(request.user):
        raise PermissionDenied
    return table


def _seat_for(request, slug, pk) -> tuple[BoardTable, Seat]:
    """The table and its seat (404 when either is not there), then 403 unless the user keeps
    seats."""
    seat = get_object_or_404(
        Seat.objects.select_related("table__theme", "organisation", "official", "updated_by"),
        pk=pk,
        table__theme__slug=slug,
    )
    if not permissions.can_manage_seats(request.user):
        raise PermissionDenied
    return seat.table, seat


def _seats_url(table) -> str:
    return reverse("tables:table-detail", args=[table.slug]) + "#zetels"


@require_http_methods(["GET", "POST"])
def seat_create(request, slug):
    table = _table_for(request, slug)
    chosen = Organisation.objects.participants().filter(slug=request.GET.get("organisatie")).first()
    form = SeatForm(request.POST or None, organisation=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seat = seats.add_seat(
                request.user,
                table,
                data["organisation"],
                data["valid_from"],
                form.term_fields(),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Zetel van {seat.organisation} vanaf {format_date(seat.valid_from)} vastgelegd.",
            )
            return redirect(_seats_url(table))
    return render(request, "tables/seat_form.html", {"table": table, "form": form, "seat": None})


@require_http_methods(["GET", "POST"])
def seat_edit(request, slug, pk):
    table, seat = _seat_for(request, slug, pk)
    form = SeatForm(request.POST or None, seat=seat)
    if request.method == "POST" and form.is_valid():
        try:
            seat = seats.update_seat(
                request.user, seat, form.term_fields(), form.cleaned_data["version"]
            )
        except ConflictError as error:
            seat = error.current
            now = "neemt deel" if seat.takes_part else f"neemt niet deel ({seat.reason})"
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: SeatForm(data, seat=stored),
                f"Nu opgeslagen: {now}.",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Zetel van {seat.organisation} opgeslagen.")
            return redirect(_seats_url(table))
    return render(request, "tables/seat_form.html", {"table": table, "form": form, "seat": seat})


@require_http_methods(["GET", "POST"])
def seat_end(request, slug, pk):
    table, seat = _seat_for(request, slug, pk)
    form = SeatEndForm(
        request.POST or None,
        initial={"valid_until": seat.valid_until, "version": seat.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            seat = seats.end_seat(
                request.user, seat, form.cleaned_data["valid_until"], form.cleaned_data["version"]
            )
        except ConflictError as error:
            seat = error.current
            form = conflict_form(error, request.POST, lambda data, stored: SeatEndForm(data))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Zetel van {seat.organisation} loopt tot en met {format_date(seat.valid_until)}.",
            )
            return redirect(_seats_url(table))
    return render(
        request, "tables/seat_end_form.html", {"table": table, "form": form, "seat": seat}
    )
