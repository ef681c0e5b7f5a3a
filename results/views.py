"""Pages of the results (issue 27): an overview per theme and one page per indicator, where
those who may enter a measurement find the form. Every page works without JavaScript."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from portfolio.models import Theme
from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.history import timeline
from smartdelta.models import Organisation

from . import indicators
from .forms import MeasurementForm
from .models import Indicator, IndicatorState, Measurement, MeasurementPart, Target
from .summary import expected_at, is_behind_schedule, summarise, with_figures, with_latest

HISTORY_LIMIT = 50


PROJECT_INDICATORS_PER_PAGE = 50


@require_GET
def overview(request):
    """Per theme its own indicators in full and how many indicators its projects have, with
    a link to them; with `?thema=<slug>` one theme with all its projects' indicators, a page of
    them at a time. The page stays the same size however many projects measure something
    (the same number of queries for both)."""
    today = timezone.localdate()
    themes = list(Theme.objects.order_by("order", "pk"))
    chosen = None
    if slug := request.GET.get("thema"):
        chosen = next((t for t in themes if t.slug == slug), None)
        if chosen is None:
            raise Http404
    visible = Indicator.objects.for_user(request.user)
    own = visible.filter(theme__isnull=False)
    if chosen is not None:
        own = own.filter(theme=chosen)
    rows = [summarise(indicator, today) for indicator in with_latest(own).order_by("name", "pk")]
    # The overview counts each theme's project indicators; a theme's page lists them instead.
    # Counted on their kept state, which holds the theme of each one's project: no join of
    # every project to find its theme (9 ms at ten times today's data, now under 1 ms).
    counts = (
        {}
        if chosen
        else dict(
            IndicatorState.objects.filter(indicator__in=visible.filter(project__isnull=False))
            .order_by()
            .values_list("theme")
            .annotate(n=Count("pk"))
        )
    )
    page = None
    if chosen is not None:
        of_projects = with_latest(visible.filter(project__theme=chosen)).order_by(
            "project__name", "project_id", "name", "pk"
        )
        page = Paginator(of_projects, PROJECT_INDICATORS_PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = [summarise(indicator, today) for indicator in page.object_list]
    blocks = [
        {
            "theme": theme,
            "rows": [r for r in rows if r.indicator.theme_id == theme.pk],
            "project_count": counts.get(theme.pk, 0),
        }
        for theme in ([chosen] if chosen else themes)
    ]
    return render(
        request,
        "results/overview.html",
        {
            "themes": blocks,
            "chosen": chosen,
            "project_page": page,
            "today": today,
            "municipalities": Organisation.objects.core().order_by("name"),
            "can_keep": permissions.can_keep_indicators(request.user),
        },
    )


def _indicator_for(request, pk) -> Indicator:
    """The indicator with its targets, measurements and their municipal parts (404 if none)."""
    measurements = (
        Measurement.objects.select_related("entered_by")
        .prefetch_related(
            Prefetch("parts", queryset=MeasurementPart.objects.select_related("organisation"))
        )
        .order_by("date", "pk")
    )
    return get_object_or_404(
        with_figures(Indicator.objects.for_user(request.user), measurements), pk=pk
    )


def _history(indicator: Indicator) -> list[dict]:
    """Who changed the indicator, its targets and its measurements, and when: newest first."""
    sources = [
        ("Indicator", Indicator.history.filter(id=indicator.pk)),
        ("Streefwaarde", Target.history.filter(indicator_id=indicator.pk)),
        ("Meting", Measurement.history.filter(indicator_id=indicator.pk)),
    ]
    entries = []
    for what, rows in sources:
        rows = rows.select_related("history_user").order_by("-history_date", "-history_id")
        for entry in timeline(rows[:HISTORY_LIMIT]):
            entry["what"] = what
            entries.append(entry)
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries[:HISTORY_LIMIT]


def _detail(request, indicator: Indicator, form: MeasurementForm | None = None):
    can_enter = permissions.can_enter_measurement(request.user, indicator)
    municipalities = list(Organisation.objects.core().order_by("name"))
    if can_enter and form is None:
        form = MeasurementForm(municipalities=municipalities)
    measurements = []
    for measurement in reversed(list(indicator.measurements.all())):
        parts = {part.organisation_id: part.value for part in measurement.parts.all()}
        expected = expected_at(indicator, measurement.date)
        measurements.append(
            {
                "measurement": measurement,
                # Rounded as the page shows it: the line itself has many decimals.
                "expected": None if expected is None else expected.quantize(Decimal("1")),
                "behind": is_behind_schedule(indicator, measurement),
                "parts": [(org.slug, parts.get(org.pk)) for org in municipalities],
                "has_parts": bool(parts),
            }
        )
    return render(
        request,
        "results/indicator_detail.html",
        {
            "indicator": indicator,
            "summary": summarise(indicator, timezone.localdate()),
            "targets": indicator.targets.all(),
            "measurements": measurements,
            "with_parts": [m for m in measurements if m["has_parts"]],
            "municipalities": municipalities,
            "form": form if can_enter else None,
            "can_enter": can_enter,
            "can_keep": permissions.can_keep_indicators(request.user),
            "can_raise": permissions.can_raise_escalation(request.user),
            "history": _history(indicator),
        },
    )


@require_GET
def indicator_detail(request, pk):
    return _detail(request, _indicator_for(request, pk))


@require_http_methods(["GET", "POST"])
def measurement_add(request, pk):
    """GET: the indicator page with its form; POST: the new measurement. Refused or invalid:
    the page again with the form, its errors and the user's input (status 200)."""
    indicator = _indicator_for(request, pk)
    if not permissions.can_enter_measurement(request.user, indicator):
        raise PermissionDenied
    form = MeasurementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            indicators.add_measurement(
                request.user,
                indicator,
                date=data["date"],
                value=data["value"],
                source=data["source"],
                parts=form.parts(),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Meting van ‘{indicator}’ opgeslagen.")
            return redirect(reverse("results:indicator-detail", args=[indicator.pk]) + "#metingen")
    return _detail(request, indicator, form)
