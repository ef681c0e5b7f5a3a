"""Smart Delta & Partners and its shareholders: the only writer of `Company`, `GeneralMeeting`,
`Shareholding`, `Assignment` and `SupervisionReport` (issue 29).

Seed 000, "Deelname": "Deelname door de Drechtsteden gemeenten; Inleg symbolisch bedrag van €1;
Gelijke verdeling van eigenaarschap en zeggenschap; Opdrachtverstrekking en toezicht op
uitvoering via aandeelhoudersvergadering." So the shareholders are the seven core
municipalities and no one else, each with an inleg of € 1 and the same number of shares; the
company has one shareholders' meeting, a body whose meetings run in `meetings.meetings` like a
table's or a regiekamer's.

Who keeps this: the programme office (`permissions.can_keep_company`), which prepares; the
representatives of the shareholders adopt the decision lists of the shareholders' meeting
(`permissions.can_adopt_decisions`). Each function follows `smartdelta.versioning`: the acting
user first, one transaction, the permission re-checked here, the version checked where a row
changes, the user stamped for the history.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

from django.db import transaction

from councils.models import CouncilProcedure
from meetings.models import Meeting
from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.fields import normalise_text
from smartdelta.models import Organisation, User
from smartdelta.validators import DATE_RANGE_MESSAGE, DESCRIPTION_MAX, is_plausible_date
from smartdelta.versioning import lock, stamp

from .models import Assignment, Company, GeneralMeeting, Shareholding, SupervisionReport

REFUSED = "Alleen het programmabureau houdt de gegevens van Smart Delta & Partners bij."
# Seed 000: "Inleg symbolisch bedrag van €1".
DEPOSIT = Decimal("1.00")
# Seed 000: "Deelname door de Drechtsteden gemeenten": the seven, never an eighth.
SHAREHOLDERS = 7
# Seed 000: "Gelijke verdeling van eigenaarschap en zeggenschap": every shareholder the same.
SHARES_EACH = 1
CORE_ONLY = (
    "Alleen de zeven Drechtsteden-gemeenten nemen deel in Smart Delta & Partners "
    "(‘Deelname door de Drechtsteden gemeenten’)."
)


def _require_keeper(user: User) -> None:
    if not permissions.can_keep_company(user):
        raise DomainError(REFUSED)


def found_company(
    user: User,
    *,
    name: str,
    legal_form: str = "",
    founded_on: datetime.date | None = None,
    founding_decision: str = "",
    founding_procedure=None,
    operating_cost: Decimal = Decimal("0"),
    work_centre_contribution: Decimal = Decimal("0"),
    exploitation_from: int,
    budget_line_name: str = "",
    is_demo: bool = False,
) -> Company:
    """Record the company with its shareholders' meeting (the body its meetings belong to)."""
    _require_keeper(user)
    name = " ".join(name.split())
    if not name:
        raise DomainError("Geef de uitvoeringsorganisatie een naam.")
    if operating_cost < 0 or work_centre_contribution < 0:
        raise DomainError("Bedragen van de exploitatie zijn niet negatief.")
    if work_centre_contribution > operating_cost:
        raise DomainError(
            "De inbreng van het Regionaal Werkcentrum is hoger dan de exploitatielast zelf."
        )
    with transaction.atomic():
        company = Company(
            name=name,
            legal_form=legal_form.strip(),
            founded_on=founded_on,
            founding_decision=founding_decision.strip(),
            operating_cost=operating_cost,
            work_centre_contribution=work_centre_contribution,
            exploitation_from=exploitation_from,
            budget_line_name=budget_line_name.strip(),
            is_demo=is_demo,
        )
        stamp(company, user)
        company.save()
        body = GeneralMeeting(company=company)
        body._history_user = user
        body.save()
        if founding_procedure is not None:
            _link_procedure(user, company, founding_procedure)
    return company


def _link_procedure(user: User, company: Company, procedure: CouncilProcedure) -> None:
    """Link the councils' procedure to the founding it precedes (in the caller's transaction):
    the procedure's page then shows the founding decision."""
    current = CouncilProcedure.objects.select_for_update().get(pk=procedure.pk)
    if current.company_id not in (None, company.pk):
        raise DomainError("Deze raadsprocedure hoort al bij een andere uitvoeringsorganisatie.")
    current.company = company
    stamp(current, user)
    current.save()


def record_founding(
    user: User,
    company: Company,
    *,
    founded_on: datetime.date | None,
    founding_decision: str,
    founding_procedure,
    seen_version: int | None,
) -> Company:
    """Record the founding date and decision, and link the councils' procedure that preceded it
    (None leaves an earlier link as it is)."""
    _require_keeper(user)
    with transaction.atomic():
        current = lock(Company.objects, company.pk, seen_version, "Deze uitvoeringsorganisatie")
        current.founded_on = founded_on
        current.founding_decision = " ".join(founding_decision.split())
        stamp(current, user)
        current.save()
        if founding_procedure is not None:
            _link_procedure(user, current, founding_procedure)
    return current


def add_shareholder(
    user: User,
    company: Company,
    organisation: Organisation,
    *,
    representative: User | None = None,
) -> Shareholding:
    """Make one of the seven a shareholder, with the symbolic inleg and an equal number of
    shares. Refuses an organisation outside the seven (and so an eighth shareholder), and a
    municipality that already holds shares."""
    _require_keeper(user)
    if not organisation.is_core:
        raise DomainError(CORE_ONLY)
    _check_representative(organisation, representative)
    with transaction.atomic():
        Company.objects.select_for_update().get(pk=company.pk)
        if company.shareholdings.filter(organisation=organisation).exists():
            raise DomainError(f"{organisation.name} is al aandeelhouder.")
        if company.shareholdings.count() >= SHAREHOLDERS:
            raise DomainError(CORE_ONLY)
        holding = Shareholding(
            company=company,
            organisation=organisation,
            deposit=DEPOSIT,
            shares=SHARES_EACH,
            representative=representative,
        )
        stamp(holding, user)
        holding.save()
    return holding


def _check_representative(organisation: Organisation, representative: User | None) -> None:
    if representative is not None and representative.organisation_id != organisation.pk:
        raise DomainError(
            f"De vertegenwoordiger van {organisation.name} werkt voor {organisation.name}."
        )


def set_representative(
    user: User,
    holding: Shareholding,
    representative: User | None,
    *,
    seen_version: int | None,
) -> Shareholding:
    """Record who represents the shareholder at the shareholders' meeting (its college's
    choice, recorded by the programme office)."""
    _require_keeper(user)
    _check_representative(holding.organisation, representative)
    with transaction.atomic():
        current = lock(Shareholding.objects, holding.pk, seen_version, "Dit aandeelhouderschap")
        current.representative = representative
        stamp(current, user)
        current.save()
    return current


def share_of(holding: Shareholding, holdings: list[Shareholding]) -> Fraction:
    """The holding's part of ownership and say: its shares over all shares. Exact, so the
    parts of all holdings add up to one (100 %)."""
    total = sum(h.shares for h in holdings)
    return Fraction(holding.shares, total) if total else Fraction(0)


# -- Assignments and supervision (seed 000: "Opdrachtverstrekking en toezicht op uitvoering via
# aandeelhoudersvergadering") ----------------------------------------------------------------------


def _check_meeting(company: Company, meeting: Meeting | None, what: str) -> None:
    if meeting is not None and meeting.general_meeting_id != company.general_meeting.pk:
        raise DomainError(f"{what} hoort bij een vergadering van de aandeelhoudersvergadering.")


def record_assignment(
    user: User, company: Company, *, year: int, description: str, meeting: Meeting
) -> Assignment:
    """Record the year's assignment as the shareholders' meeting gave it, at `meeting`: one a
    year. The programme office writes it down; the shareholders decided it there."""
    _require_keeper(user)
    description = normalise_text(description or "")
    if not description:
        raise DomainError("Beschrijf de opdracht.")
    if len(description) > DESCRIPTION_MAX:
        raise DomainError("De opdracht is te lang.")
    if meeting is None:
        raise DomainError("Kies de vergadering van de aandeelhouders die de opdracht verstrekte.")
    _check_meeting(company, meeting, "De opdracht")
    with transaction.atomic():
        Company.objects.select_for_update().get(pk=company.pk)
        if company.assignments.filter(year=year).exists():
            raise DomainError(f"De opdracht voor {year} is al vastgelegd.")
        assignment = Assignment(
            company=company, year=year, description=description, meeting=meeting
        )
        stamp(assignment, user)
        assignment.save()
    return assignment


def record_supervision_report(
    user: User,
    company: Company,
    *,
    date: datetime.date,
    title: str,
    document_reference: str = "",
    document_url: str = "",
    meeting: Meeting | None = None,
) -> SupervisionReport:
    """Record a report on the execution the shareholders' meeting receives (toezicht)."""
    _require_keeper(user)
    title = " ".join((title or "").split())
    if not title:
        raise DomainError("Geef de rapportage een titel.")
    if len(title) > 200:
        raise DomainError("De titel is te lang: hooguit 200 tekens.")
    if not is_plausible_date(date):
        raise DomainError(DATE_RANGE_MESSAGE)
    if document_url and not document_url.startswith(("https://", "http://")):
        raise DomainError("Een link naar het document begint met https://.")
    _check_meeting(company, meeting, "De rapportage")
    with transaction.atomic():
        report = SupervisionReport(
            company=company,
            date=date,
            title=title,
            document_reference=" ".join(document_reference.split()),
            document_url=document_url.strip(),
            meeting=meeting,
        )
        stamp(report, user)
        report.save()
    return report
