"""The programme office's pages to keep the indicators (issue 27, "Who keeps them": "the
programme office keeps a theme's indicators"): define an indicator of a theme or a project,
change its name, unit, direction or baseline, and add or change its targets. Measurements are
entered on the indicator page itself (`results.views.measurement_add`), by the carriers of a
project or by the programme office.

Every write goes through `results.indicators`; everyone else gets 403 (the indicators are read by
everyone signed in, so a page exists for them: no 404). Without JavaScript every page works.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.versioning import conflict_form

from . import indicators
from .indicator_forms import IndicatorForm, TargetForm
from .models import Indicator, Target


def _keeper(request) -> None:
    if not permissions.can_keep_indicators(request.user):
        raise PermissionDenied


def _indicator(request, pk) -> Indicator:
    return get_object_or_404(
        Indicator.objects.for_user(request.user).select_related("theme", "project__theme"), pk=pk
    )


@require_http_methods(["GET", "POST"])
def indicator_create(request):
    _keeper(request)
    form = IndicatorForm(request.POST or None, new=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            indicator = indicators.define_indicator(
                request.user,
                theme=data["theme"],
                project=data["project"],
                **{f: data[f] for f in indicators.INDICATOR_FIELDS},
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Indicator ‘{indicator}’ opgeslagen. Voeg nu de streefwaarden toe."
            )
            return redirect(reverse("results:target-add", args=[indicator.pk]))
    return render(request, "results/indicator_form.html", {"form": form, "indicator": None})


@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    indicator = _indicator(request, pk)
    _keeper(request)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {f: data[f] for f in indicators.INDICATOR_FIELDS}
        try:
            indicator = indicators.update_indicator(
                request.user, indicator, changes, data["version"]
            )
        except ConflictError as error:
            form = conflict_form(
                error,
                request.POST,
                lambda data, stored: IndicatorForm(data, instance=stored),
                f"Nu opgeslagen: ‘{error.current.name}’.",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Indicator ‘{indicator}’ opgeslagen.")
            return redirect("results:indicator-detail", pk=indicator.pk)
    return render(request, "results/indicator_form.html", {"form": form, "indicator": indicator})


@require_http_methods(["GET", "POST"])
def target_add(request, pk):
    indicator = _indicator(request, pk)
    _keeper(request)
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target = indicators.add_target(
                request.user, indicator, data["period_end"], data["value"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Streefwaarde voor {target.period_end:%d-%m-%Y} opgeslagen.")
            return redirect(reverse("results:indicator-detail", args=[pk]) + "#streefwaarden")
    return render(
        request,
        "results/target_form.html",
        {"form": form, "indicator": indicator, "target": None, "targets": indicator.targets.all()},
    )


@require_http_methods(["GET", "POST"])
def target_edit(request, pk, target):
    indicator = _indicator(request, pk)
    target = get_object_or_404(Target, indicator=indicator, pk=target)
    _keeper(request)
    form = TargetForm(request.POST or None, target=target)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            indicators.update_target(request.user, target, data["value"], data["version"])
        except ConflictError as error:
            form = conflict_form(
                error, request.POST, lambda data, stored: TargetForm(data, target=stored)
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Streefwaarde voor {target.period_end:%d-%m-%Y} opgeslagen.")
            return redirect(reverse("results:indicator-detail", args=[pk]) + "#streefwaarden")
    return render(
        request,
        "results/target_form.html",
        {"form": form, "indicator": indicator, "target": target, "targets": None},
    )
