"""The dashboard: each app's panel for this user, in one page."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from finance import dashboard as finance_dashboard
from following import waiting
from portfolio import dashboard as portfolio_dashboard
from smartdelta import dashboard as office_dashboard
from tables import dashboard as tables_dashboard

# Each app contributes a panel to the dashboard: (template, function(user) -> context or None).
DASHBOARD_PANELS = [
    ("portfolio/dashboard_panel.html", portfolio_dashboard.panel),
    ("tables/dashboard_panel.html", tables_dashboard.panel),
    ("finance/dashboard_panel.html", finance_dashboard.panel),
    ("following/dashboard_panel.html", waiting.panel),
    ("portal/office_panel.html", office_dashboard.panel),
]


@require_GET
def dashboard(request):
    panels = []
    for template, build in DASHBOARD_PANELS:
        context = build(request.user)
        if context is not None:
            panels.append({"template": template, **context})
    return render(request, "portal/dashboard.html", {"panels": panels})
