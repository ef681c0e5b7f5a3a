"""A municipality's inhabitant counts: read by everyone, recorded by the programme office
(`finance.inhabitants`, issue 30). One URL: the page, and its form's post; a recorded count is
corrected on a page of its own."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.formatting import format_date, format_dutch_number
from smartdelta.history import timeline
from smartdelta.models import InhabitantCount, Organisation, OrganisationKind
from smartdelta.versioning import conflict_form

from . import inhabitants as service
from .forms import InhabitantCorrectionForm, InhabitantCountForm
from .models import BudgetStatus, BudgetYear


def _budget_rows(organisation, counts) -> list[dict]:
    """Each budget with its reference date and the count of `organisation` it divides by."""
    rows = []
    for budget in BudgetYear.objects.order_by("year"):
        used = next((c for c in counts if c.reference_date <= budget.reference_date), None)
        rows.append(
            {
                "budget": budget,
                "adopted": budget.status == BudgetStatus.ADOPTED,
                "count": used,
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
def inhabitants(request, slug):
    organisation = get_object_or_404(Organisation.objects.core(), slug=slug)
    can_keep = permissions.can_keep_inhabitants(request.user)
    if request.method == "POST" and not can_keep:
        raise PermissionDenied
    form = InhabitantCountForm(request.POST or None) if can_keep else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count, moved = service.record_inhabitant_count(
                request.user,
                organisation,
                data["reference_date"],
                data["inhabitants"],
                data["source"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            when = format_date(count.reference_date)
            if moved:
                years = ", ".join(str(b.year) for b in moved)
                effect = f"Het geldt voor de begroting {years}, die nog niet is vastgesteld."
            else:
                effect = "Het geldt voor een begroting met een peildatum op of na deze datum."
            messages.success(
                request, f"Inwonertal van {organisation} op {when} vastgelegd. {effect}"
            )
            return redirect("finance:inhabitants", slug=organisation.slug)
    counts = list(
        InhabitantCount.objects.filter(organisation=organisation).order_by("-reference_date")
    )
    return render(
        request,
        "finance/inhabitants.html",
        {
            "organisation": organisation,
            "counts": counts,
            "budgets": _budget_rows(organisation, counts),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def inhabitants_correct(request, slug, pk):
    """Correct a recorded count: its inhabitants and source. The page says which concept
    budgets the correction changes, or which adopted budget stops it."""
    count = get_object_or_404(
        InhabitantCount.objects.select_related("organisation"),
        pk=pk,
        organisation__slug=slug,
        organisation__kind=OrganisationKind.CORE,
    )
    if not permissions.can_keep_inhabitants(request.user):
        raise PermissionDenied
    # Shown the Dutch way, as it is typed ("20.087").
    initial = {
        "inhabitants": format_dutch_number(Decimal(count.inhabitants)),
        "source": count.source,
        "version": count.version,
    }
    form = InhabitantCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved, moved = service.correct_inhabitant_count(
                request.user, count, data["inhabitants"], data["source"], data["version"]
            )
        except ConflictError as error:
            form = conflict_form(
                error, request.POST, lambda data, stored: InhabitantCorrectionForm(data)
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            when = format_date(saved.reference_date)
            if moved:
                years = ", ".join(str(b.year) for b in moved)
                effect = f"De verdeling van de begroting {years} is bijgewerkt."
            else:
                effect = "Geen begroting verdeelt naar dit inwonertal."
            messages.success(
                request, f"Inwonertal van {count.organisation} op {when} gecorrigeerd. {effect}"
            )
            return redirect("finance:inhabitants", slug=slug)
    moved = service.budgets_using(count)
    history = timeline(count.history.select_related("history_user").order_by("-history_id"))
    return render(
        request,
        "finance/inhabitants_correct.html",
        {
            "organisation": count.organisation,
            "count": count,
            "form": form,
            "concepts": [b for b in moved if b.status != BudgetStatus.ADOPTED],
            "adopted": [b for b in moved if b.status == BudgetStatus.ADOPTED],
            "history": history,
        },
    )
