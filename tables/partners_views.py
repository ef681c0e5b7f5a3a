"""Smart Delta & Partners (issue 29, seed 000): the page everyone signed in reads, and the page
of a meeting of its shareholders' meeting.

Read-only here: the company and its shareholders are kept by `tables.company`, its meetings by
`meetings.meetings` and their decision lists by `meetings.decisions`, through the views every
meeting uses.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from smartdelta import permissions
from smartdelta.errors import DomainError

from . import company as companies
from .models import Company
from .partners_forms import AssignmentForm, SupervisionReportForm


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
            "can_keep_company": permissions.can_keep_company(request.user),
        },
    )


def _kept_company(request) -> Company:
    """The company, for the programme office that writes down what its shareholders decided
    and received; everyone else who reads the company gets 403."""
    company = _company()
    if not permissions.can_keep_company(request.user):
        raise PermissionDenied
    return company


def _meetings_of(company: Company):
    return company.general_meeting.meetings.order_by("-date", "-pk")


@require_http_methods(["GET", "POST"])
def assignment_create(request):
    """Write down the year's assignment as a shareholders' meeting gave it (seed 000:
    "Opdrachtverstrekking en toezicht op uitvoering via aandeelhoudersvergadering")."""
    company = _kept_company(request)
    form = AssignmentForm(request.POST or None, meetings=_meetings_of(company))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = companies.record_assignment(
                request.user,
                company,
                year=data["year"],
                description=data["description"],
                meeting=data["meeting"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"De opdracht voor {assignment.year} is vastgelegd.")
            return redirect(reverse("partners:company") + "#opdrachten")
    return render(request, "tables/partners_record_form.html", {"form": form, "kind": "opdracht"})


@require_http_methods(["GET", "POST"])
def supervision_report_create(request):
    """Write down a report on the execution that the shareholders' meeting received."""
    company = _kept_company(request)
    form = SupervisionReportForm(request.POST or None, meetings=_meetings_of(company))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = companies.record_supervision_report(request.user, company, **data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"De rapportage ‘{report.title}’ is vastgelegd.")
            return redirect(reverse("partners:company") + "#toezicht")
    return render(request, "tables/partners_record_form.html", {"form": form, "kind": "rapportage"})
