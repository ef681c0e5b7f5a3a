"""Smart Delta & Partners (issue 29, seed 000): the company, its seven equal shareholders, its
shareholders' meeting as a meeting body, and the link from the councils' procedure."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from councils.models import CouncilProcedure
from meetings import decisions, meetings
from meetings.models import Meeting
from smartdelta.errors import DomainError
from smartdelta.models import Organisation, OrganisationKind
from tables import company
from tables.models import Company, Shareholding
from tests.conftest import client_for, make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm(programme_office):
    return company.found_company(
        programme_office,
        name="Smart Delta & Partners",
        legal_form="B.V.",
        operating_cost=Decimal("390000"),
        work_centre_contribution=Decimal("40000"),
        exploitation_from=2026,
        budget_line_name="Werk en economie",
    )


@pytest.fixture
def shareholders(firm, programme_office, core_municipalities):
    mayors = {
        org.pk: make_user(f"burgemeester-{org.slug}", org, is_bestuurlijke_regiekamer=True)
        for org in core_municipalities.values()
    }
    for org in core_municipalities.values():
        company.add_shareholder(programme_office, firm, org, representative=mayors[org.pk])
    return mayors


def test_the_seven_hold_equal_shares_that_add_up_to_one_with_one_euro_each(firm, shareholders):
    holdings = list(firm.shareholdings.all())
    assert len(holdings) == 7
    shares = [company.share_of(h, holdings) for h in holdings]
    assert shares == [Fraction(1, 7)] * 7
    assert sum(shares) == 1
    assert {h.deposit for h in holdings} == {Decimal("1.00")}


def test_a_neighbour_an_eighth_or_a_second_holding_is_refused(
    firm, shareholders, programme_office, gorinchem, dordrecht
):
    with pytest.raises(DomainError, match="zeven Drechtsteden"):
        company.add_shareholder(programme_office, firm, gorinchem)
    eighth = make_organisation("Achtste Gemeente", kind=OrganisationKind.CORE)
    with pytest.raises(DomainError, match="zeven Drechtsteden"):
        company.add_shareholder(programme_office, firm, eighth)
    assert firm.shareholdings.count() == 7


def test_a_municipality_holds_shares_once(firm, programme_office, dordrecht):
    company.add_shareholder(programme_office, firm, dordrecht)
    with pytest.raises(DomainError, match="al aandeelhouder"):
        company.add_shareholder(programme_office, firm, dordrecht)


def test_a_neighbour_is_refused_before_the_seven_are_full(firm, programme_office, gorinchem):
    with pytest.raises(DomainError):
        company.add_shareholder(programme_office, firm, gorinchem)
    assert not firm.shareholdings.exists()


def test_only_the_programme_office_keeps_the_company(firm, official_dordrecht, dordrecht):
    with pytest.raises(DomainError, match="programmabureau"):
        company.add_shareholder(official_dordrecht, firm, dordrecht)
    with pytest.raises(DomainError, match="programmabureau"):
        company.found_company(official_dordrecht, name="Andere B.V.", exploitation_from=2026)
    assert not Shareholding.objects.exists() and Company.objects.count() == 1


def test_a_representative_works_for_the_shareholder(
    firm, programme_office, dordrecht, official_zwijndrecht
):
    with pytest.raises(DomainError, match="vertegenwoordiger"):
        company.add_shareholder(
            programme_office, firm, dordrecht, representative=official_zwijndrecht
        )


def test_the_writes_keep_history_with_the_acting_user(firm, shareholders, programme_office):
    holding = Shareholding.objects.order_by("pk").first()
    company.set_representative(programme_office, holding, None, seen_version=holding.version)
    rows = list(Shareholding.history.filter(id=holding.pk).order_by("history_id"))
    assert [r.history_type for r in rows] == ["+", "~"]
    assert {r.history_user for r in rows} == {programme_office}
    assert rows[-1].representative_id is None
    assert Company.history.get(id=firm.pk).history_user == programme_office


def test_the_work_centre_cannot_bring_more_than_the_cost(programme_office):
    with pytest.raises(DomainError, match="Regionaal Werkcentrum"):
        company.found_company(
            programme_office,
            name="X",
            operating_cost=Decimal("10"),
            work_centre_contribution=Decimal("20"),
            exploitation_from=2026,
        )


# -- The shareholders' meeting as a meeting body ------------------------------------------------


def _meeting(firm, programme_office):
    return meetings.plan_meeting(
        programme_office,
        firm.general_meeting,
        date=datetime.date(2026, 4, 16),
        location="Dordrecht",
    )


def test_the_office_plans_and_the_representatives_adopt(firm, shareholders, programme_office):
    meeting = _meeting(firm, programme_office)
    assert meeting.general_meeting_id and meeting.body == firm.general_meeting
    assert meetings.meeting_url(meeting) == reverse("meetings:meeting-detail", args=[meeting.pk])
    decisions.record_decision(programme_office, meeting, text="De opdracht 2026 wordt verstrekt.")
    with pytest.raises(DomainError, match="aandeelhouders"):
        decisions.adopt_decisions(programme_office, meeting, seen_version=meeting.version)
    mayor = shareholders[Organisation.objects.get(slug="dordrecht").pk]
    meeting.refresh_from_db()
    adopted = decisions.adopt_decisions(mayor, meeting, seen_version=meeting.version)
    assert adopted.decisions_adopted_by == mayor


def test_a_mayor_who_represents_no_shareholder_does_not_adopt(firm, programme_office, dordrecht):
    meeting = _meeting(firm, programme_office)
    mayor = make_user("burgemeester-x", dordrecht, is_bestuurlijke_regiekamer=True)
    with pytest.raises(DomainError):
        decisions.adopt_decisions(mayor, meeting, seen_version=meeting.version)


def test_only_the_office_plans_a_shareholders_meeting(firm, shareholders, official_dordrecht):
    mayor = next(iter(shareholders.values()))
    for user in (official_dordrecht, mayor):
        with pytest.raises(DomainError):
            meetings.plan_meeting(user, firm.general_meeting, date=datetime.date(2026, 5, 1))
    assert not Meeting.objects.exists()


def test_no_escalation_goes_on_the_shareholders_agenda(firm, programme_office, regiekamers):
    from tables import escalations

    meeting = _meeting(firm, programme_office)
    escalation = escalations.raise_escalation(
        programme_office,
        title="E",
        description="D",
        category="overig",
        urgency="normaal",
        notify=False,
    )
    with pytest.raises(DomainError, match="regiekamers"):
        meetings.add_agenda_item(programme_office, meeting, title="Punt", escalation=escalation)


def test_the_attendance_and_the_papers_go_to_the_shareholders(firm, shareholders, programme_office):
    meeting = _meeting(firm, programme_office)
    assert [o.name for o in meetings.attendance_organisations(meeting)] == sorted(
        o.name for o in Organisation.objects.core()
    )
    for user in shareholders.values():
        user.email = f"{user.username}@example.org"
        user.save()
    assert set(meetings.recipients(meeting)) == {
        f"{u.username}@example.org" for u in shareholders.values()
    }


# -- The pages ---------------------------------------------------------------------------------


def test_everyone_signed_in_reads_the_company_page(
    firm, shareholders, programme_office, councillor_dordrecht
):
    meeting = _meeting(firm, programme_office)
    page = client_for(councillor_dordrecht).get(reverse("partners:company"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("1/7 (14,286 %)") == 7
    assert "€\xa01,00" in html and "€\xa07,00" in html and "100 %" in html
    assert "€\xa0390.000,00" in html and "€\xa040.000,00" in html and "€\xa0350.000,00" in html
    assert reverse("meetings:meeting-detail", args=[meeting.pk]) in html
    assert reverse("partners:meeting-create") not in html  # the councillor plans nothing
    office_page = client_for(programme_office).get(reverse("partners:company")).content.decode()
    assert reverse("partners:meeting-create") in office_page


def test_the_company_page_reads_the_same_number_of_queries_for_one_or_seven(
    firm, programme_office, core_municipalities, django_assert_num_queries
):
    client = client_for(programme_office)
    seven = sorted(core_municipalities.values(), key=lambda o: o.name)
    company.add_shareholder(programme_office, firm, seven[0])
    client.get(reverse("partners:company"))  # warm the session
    # session, user, company (with its body), shareholdings, meetings, council procedures,
    # assignments, supervision reports
    with django_assert_num_queries(8):
        client.get(reverse("partners:company"))
    for org in seven[1:]:
        company.add_shareholder(programme_office, firm, org)
    _meeting(firm, programme_office)
    with django_assert_num_queries(8):
        assert client.get(reverse("partners:company")).content.decode().count("1/7") == 7


def test_the_meeting_page_shows_the_decision_list(
    firm, shareholders, councillor_dordrecht, programme_office
):
    meeting = _meeting(firm, programme_office)
    decisions.record_decision(programme_office, meeting, text="Besluit over de opdracht 4d2a")
    html = (
        client_for(councillor_dordrecht)
        .get(reverse("meetings:meeting-detail", args=[meeting.pk]))
        .content.decode()
    )
    assert "Aandeelhoudersvergadering Smart Delta &amp; Partners" in html
    assert "Besluit over de opdracht 4d2a" in html and "Concept-besluitenlijst" in html


def test_the_council_procedure_links_to_the_founding_decision(
    firm, programme_office, councillor_dordrecht
):
    from councils import procedures

    procedure = procedures.start_procedure(
        programme_office,
        title="Oprichting SD&P",
        description="",
        deadline=datetime.date(2025, 12, 18),
        default_kind="wensen_en_bedenkingen",
    )
    company.record_founding(
        programme_office,
        firm,
        founded_on=datetime.date(2026, 3, 2),
        founding_decision="Akte 12",
        founding_procedure=procedure,
        seen_version=firm.version,
    )
    html = (
        client_for(councillor_dordrecht)
        .get(reverse("councils:procedure-detail", args=[procedure.pk]))
        .content.decode()
    )
    assert "oprichtingsbesluit van" in html and "Akte 12, opgericht op 2 maart 2026" in html
    assert reverse("partners:company") in html
    procedure = CouncilProcedure.objects.get()
    assert procedure.company == firm
    company_page = client_for(councillor_dordrecht).get(reverse("partners:company")).text
    assert reverse("councils:procedure-detail", args=[procedure.pk]) in company_page
    assert procedure.history.order_by("history_id").last().history_user == programme_office


# -- Assignments and supervision ---------------------------------------------------------------


def test_one_assignment_a_year_decided_at_the_shareholders_meeting(
    firm, programme_office, board_table, official_dordrecht
):
    meeting = _meeting(firm, programme_office)
    with pytest.raises(DomainError, match="programmabureau"):
        company.record_assignment(
            official_dordrecht, firm, year=2026, description="Opdracht", meeting=meeting
        )
    table_meeting = meetings.plan_meeting(
        programme_office, board_table, date=datetime.date(2026, 4, 1)
    )
    with pytest.raises(DomainError, match="aandeelhoudersvergadering"):
        company.record_assignment(
            programme_office, firm, year=2026, description="Opdracht", meeting=table_meeting
        )
    assignment = company.record_assignment(
        programme_office, firm, year=2026, description="Zes programmalijnen", meeting=meeting
    )
    with pytest.raises(DomainError, match="al vastgelegd"):
        company.record_assignment(
            programme_office, firm, year=2026, description="Nog een", meeting=meeting
        )
    assert assignment.history.get().history_user == programme_office


def test_supervision_reports_and_the_assignment_are_on_the_page(
    firm, programme_office, councillor_dordrecht
):
    meeting = _meeting(firm, programme_office)
    company.record_assignment(
        programme_office, firm, year=2026, description="Zes programmalijnen 7b1e", meeting=meeting
    )
    with pytest.raises(DomainError, match="https"):
        company.record_supervision_report(
            programme_office,
            firm,
            date=datetime.date(2026, 9, 30),
            title="Rapportage",
            document_url="javascript:alert(1)",
        )
    report = company.record_supervision_report(
        programme_office,
        firm,
        date=datetime.date(2026, 9, 30),
        title="Halfjaarrapportage 5e9c",
        document_url="https://example.org/rapportage.pdf",
        meeting=meeting,
    )
    assert report.history.get().history_user == programme_office
    html = client_for(councillor_dordrecht).get(reverse("partners:company")).content.decode()
    assert "Opdracht 2026" in html and "Zes programmalijnen 7b1e" in html
    assert "Halfjaarrapportage 5e9c" in html and "https://example.org/rapportage.pdf" in html
    assert "30 september 2026" in html


def test_the_office_plans_and_fills_the_agenda_through_the_pages(
    firm, shareholders, programme_office, project
):
    client = client_for(programme_office)
    create = reverse("partners:meeting-create")
    form = client.get(create).content.decode()
    assert "Smart Delta &amp; Partners" in form
    response = client.post(create, {"date": "2026-10-01", "location": "Zwijndrecht"})
    assert response.status_code == 302
    meeting = Meeting.objects.get(general_meeting=firm.general_meeting)
    assert response["Location"] == reverse("meetings:meeting-detail", args=[meeting.pk])
    url = reverse("meetings:agenda-item-create", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert 'name="escalation"' not in page and 'name="project_reason"' not in page
    response = client.post(url, {"title": "Voortgang", "project": project.pk})
    assert response.status_code == 302
    assert meeting.agenda_items.get().project == project


def test_a_shareholders_meeting_is_planned_by_no_one_else(firm, shareholders, official_dordrecht):
    response = client_for(official_dordrecht).post(
        reverse("partners:meeting-create"), {"date": "2026-10-01"}
    )
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_the_office_writes_down_the_assignment_and_a_report_through_the_pages(
    firm, programme_office, board_table, councillor_dordrecht
):
    """The year's assignment and a supervision report have forms of their own: only the
    company's meetings are offered, a second assignment for a year comes back with the input
    and the reason, and no one but the programme office may open them."""
    meeting = _meeting(firm, programme_office)
    other = meetings.plan_meeting(programme_office, board_table, date=datetime.date(2026, 4, 2))
    office = client_for(programme_office)
    url = reverse("partners:assignment-create")
    page = office.get(url).content.decode()
    assert f'value="{meeting.pk}"' in page and f'value="{other.pk}"' not in page
    data = {"year": "2026", "description": "Zes programmalijnen", "meeting": str(meeting.pk)}
    response = office.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:company") + "#opdrachten"
    again = office.post(url, {**data, "description": "Nog een opdracht 4d2f"})
    assert again.status_code == 200
    assert "De opdracht voor 2026 is al vastgelegd." in again.content.decode()
    assert "Nog een opdracht 4d2f" in again.content.decode()  # nothing typed is lost
    # A table's meeting is no choice, even when posted.
    forged = office.post(url, {**data, "year": "2027", "meeting": str(other.pk)})
    assert forged.status_code == 200 and firm.assignments.count() == 1

    report_url = reverse("partners:supervision-report-create")
    response = office.post(
        report_url,
        {
            "date": "30-09-2026",
            "title": "Halfjaarrapportage",
            "document_url": "https://example.org/halfjaar.pdf",
            "meeting": str(meeting.pk),
        },
    )
    assert response.status_code == 302
    report = firm.supervision_reports.get()
    assert (report.date, report.meeting) == (datetime.date(2026, 9, 30), meeting)
    assert report.history.get().history_user == programme_office

    reader = client_for(councillor_dordrecht)
    assert reader.get(url).status_code == 403
    assert reader.post(report_url, {"title": "x", "date": "2026-01-01"}).status_code == 403
    company_page = reader.get(reverse("partners:company")).content.decode()
    assert "Halfjaarrapportage" in company_page and url not in company_page
    assert url in office.get(reverse("partners:company")).content.decode()
