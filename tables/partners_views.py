"""Smart Delta & Partners (issue 29, seed 000): the page everyone signed in reads, and the page
of a meeting of its shareholders' meeting.

Read-only here: the company and its shareholders are kept by `tables.company`, its meetings by
`tables.meetings` and their decision lists by `tables.decisions`, through the views every
meeting uses.
"""

from decimal import Decimal

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from smartdelta import permissions

from . import company as companies
from . import meeting_views
from .models import Company, Meeting


def _company() -> Company:
    # One company (seed 000); the page is empty of it (404) until the programme office records it.
    return get_object_or_404(Company.objects.select_related("general_meeting").order_by("pk")[:1])


@require_GET
def company_detail(request):
    """The company, its shareholders with their share and inleg, its meetings, assignments and
    supervision reports. Six queries besides the session's: the company, its shareholdings,
    its meetings, its council procedures, its assignments, its reports."""
    company = _company()
    holdings = list(
        company.shareholdings.select_related("organisation", "representative").order_by(
            "organisation__name"
        )
    )
    for holding in holdings:
        share = companies.share_of(holding, holdings)
        holding.share = f"{share.numerator}/{share.denominator}"
        holding.percentage = Decimal(share.numerator * 100) / share.denominator
    meetings = list(company.general_meeting.meetings.order_by("-date", "-pk"))
    procedures = list(company.council_procedures.order_by("-deadline"))
    by_pk = {m.pk: m for m in meetings}
    assignments = list(company.assignments.order_by("-year"))
    reports = list(company.supervision_reports.order_by("-date", "-pk"))
    for row in [*assignments, *reports]:
        row.meeting_row = by_pk.get(row.meeting_id)  # read above: no query per row
    return render(
        request,
        "tables/company_detail.html",
        {
            "company": company,
            "holdings": holdings,
            "total_deposit": sum(h.deposit for h in holdings),
            # Exact: the shares are fractions that add up to one.
            "shares_add_up": sum(companies.share_of(h, holdings) for h in holdings) == 1,
            "meetings": meetings,
            "procedures": procedures,
            "assignments": assignments,
            "reports": reports,
            "can_plan_meeting": permissions.can_plan_meeting(request.user, company.general_meeting),
        },
    )


@require_GET
def meeting_detail(request, pk):
    """Agenda, papers and decision list of a shareholders' meeting (the table meeting's page)."""
    meeting = get_object_or_404(
        Meeting.objects.for_user(request.user).select_related("general_meeting__company"),
        pk=pk,
        general_meeting__isnull=False,
    )
    items = list(meeting.agenda_items.select_related("project", "process_step"))
    return render(
        request,
        "tables/meeting_detail.html",
        {"meeting": meeting, "items": items, "body": meeting.general_meeting}
        | meeting_views.meeting_context(request, meeting, items),
    )
