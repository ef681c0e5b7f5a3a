"""The scenario the security tests share: the demo data, the personas of tests/access.py, and
the objects the access table names."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from finance.models import BudgetYear, IssuedLetter
from meetings.models import Meeting
from portfolio.models import (
    Milestone,
    Position,
    PositionStatus,
    Project,
    ProjectStatus,
    Theme,
    Variant,
)
from smartdelta.models import Organisation, OrganisationKind, User
from tables import escalations
from tables.models import BoardTable, Membership, ProcessStep, RegiekamerKind, Seat
from tests.access import PERSONAS


@pytest.fixture
def scenario():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    helix_org = Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("pk").first()
    User.objects.create_user(
        "medewerker-partner",
        password="test-wachtwoord-123",
        organisation=helix_org,
        is_official=True,
    )
    User.objects.create_user(
        "zonder-rol",
        password="test-wachtwoord-123",
        organisation=Organisation.objects.get(slug="dordrecht"),
    )
    official = User.objects.get(username="ambtenaar-zwijndrecht")
    secretary = User.objects.get(username="secretaris-zwijndrecht")

    def raise_as(user, title):
        return escalations.raise_escalation(
            user,
            title=title,
            description="Alleen voor de regiekamer.",
            category="capaciteit",
            urgency="normaal",
            notify=False,
        )

    escalation = raise_as(official, "Geheime escalatie 7f3a")
    escalations.add_comment(official, escalation, "Vertrouwelijke reactie 7f3a")
    dordrecht = raise_as(User.objects.get(username="ambtenaar-dordrecht"), "Dordtse kwestie b41e")
    bestuurlijk = raise_as(official, "Bestuurlijke zaak 5d09")
    bestuurlijk = escalations.perform(
        secretary,
        bestuurlijk,
        "escalate",
        seen_version=bestuurlijk.version,
        reason="Ambtelijk niet op te lossen",
        notify=False,
    )
    step = ProcessStep.objects.select_related("table").order_by("pk").first()
    table_meeting = Meeting.objects.filter(table=step.table).order_by("pk").first()
    # An issued council letter of Dordrecht, as the letter pages serve it.
    IssuedLetter.objects.create(
        budget=BudgetYear.objects.get(year=2024),
        organisation=Organisation.objects.get(slug="dordrecht"),
        number=1,
        reference="RIB/1",
        issued_on=datetime.date(2024, 3, 1),
        budget_version="Vastgestelde begroting 2024",
        figures={},
        pdf=b"%PDF-1.7 uitgebracht",
        sha256="0" * 64,
    )
    # The programme office follows a project (a Follow and a DigestPreference for the admin walk).
    from following import follows

    follows.follow(User.objects.get(username="programmabureau"), Project.objects.order_by("pk")[0])
    meeting = table_meeting or Meeting.objects.filter(table__isnull=False).first()
    made = _decision_lists(meeting) | _meeting_objects(meeting) | _shareholders_list()
    carried_project, milestone = _carried_project()
    # A project's external financing, kept in the portal (issue 30): one row on the first
    # project, beside the demo's rows of other projects.
    from portfolio import funding

    funding.add_external_funding(
        User.objects.get(username="programmabureau"),
        Project.objects.order_by("pk").first(),
        "rijk",
        Decimal("25000"),
        "toegezegd",
        "Rijksbijdrage scenario",
    )
    # A failed mail the programme office let drop (issue 30), as the admin shows such rows.
    from smartdelta import mail
    from tests.access import failed_mail

    mail.drop_mail(
        User.objects.get(username="programmabureau"), failed_mail("Stukken: vervallen")["task"]
    )
    return made | {
        "carried_project": carried_project,
        "milestone": milestone,
        "seat": Seat.objects.filter(table=BoardTable.objects.order_by("pk").first())
        .order_by("pk")
        .first(),
        "project": Project.objects.order_by("pk").first(),
        "table": BoardTable.objects.order_by("pk").first(),
        "other_table": BoardTable.objects.exclude(pk=step.table_id).order_by("pk").first(),
        "step": step,
        "table_meeting": table_meeting or Meeting.objects.filter(table__isnull=False).first(),
        "regiekamer_meeting": Meeting.objects.filter(regiekamer__kind=RegiekamerKind.AMBTELIJK)
        .order_by("pk")
        .first(),
        "bestuurlijk_meeting": Meeting.objects.filter(regiekamer__kind=RegiekamerKind.BESTUURLIJK)
        .order_by("pk")
        .first(),
        "bestuurlijk_membership": Membership.objects.filter(
            regiekamer__kind=RegiekamerKind.BESTUURLIJK
        )
        .order_by("pk")
        .first(),
        "escalation": escalation,
        "escalation_dordrecht": dordrecht,
        "escalation_bestuurlijk": bestuurlijk,
        "helix_org": helix_org,
        "clients": {name: _client(username) for name, username in PERSONAS.items()},
    }


def _carried_project():
    """A project carried by Dordrecht (the lead) alone: Zwijndrecht pays solidarity, Gorinchem
    and the helix partner take part only in the entry model, so only the programme office and
    the official of Dordrecht keep its progress (issue 15)."""
    project = Project.objects.create(
        name="Gedragen project 15",
        theme=Theme.objects.order_by("pk").first(),
        lead=Organisation.objects.get(slug="dordrecht"),
        status=ProjectStatus.RUNNING,
        total_cost=Decimal("100000"),
        participant_funding=Decimal("100000"),
    )
    Position.objects.create(
        project=project,
        organisation=Organisation.objects.get(slug="zwijndrecht"),
        variant=Variant.SOLIDARITY,
        status=PositionStatus.CONFIRMED,
        amount=Decimal("5000"),
        decision_reference="B-15",
        decision_date=datetime.date(2024, 1, 1),
    )
    milestone = Milestone.objects.create(
        project=project, title="Plan gereed", due_date=datetime.date(2025, 1, 1)
    )
    return project, milestone


def _client(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _meeting_objects(table_meeting) -> dict:
    """Issue 15: an agenda item and a paper of a table meeting and of each regiekamer's first
    meeting, placed by the programme office through the services."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings import meetings
    from tables.demo import demo_pdf

    office = User.objects.get(username="programmabureau")
    objects = {}
    ambtelijk = Meeting.objects.filter(regiekamer__kind=RegiekamerKind.AMBTELIJK).order_by("pk")
    bestuurlijk = Meeting.objects.filter(regiekamer__kind=RegiekamerKind.BESTUURLIJK)
    for key, meeting in [
        ("table", table_meeting),
        ("regiekamer", ambtelijk.first()),
        ("bestuurlijk", bestuurlijk.order_by("pk").first()),
    ]:
        meetings.add_agenda_item(office, meeting, title=f"Eerste punt {key}")
        item = meetings.add_agenda_item(office, meeting, title=f"Punt met stuk {key}")
        upload = SimpleUploadedFile(f"stuk-{key}.pdf", demo_pdf(f"Stuk {key}"))
        objects[f"{key}_item"] = item
        objects[f"{key}_paper"] = meetings.add_paper(office, item, upload)
    return objects


def _shareholders_list() -> dict:
    """A meeting of Smart Delta & Partners' shareholders' meeting with a concept decision list
    (the demo's own meeting has an adopted one): its representatives are the mayors."""
    from meetings import decisions
    from tables.models import GeneralMeeting

    office = User.objects.get(username="programmabureau")
    meeting = Meeting.objects.create(
        general_meeting=GeneralMeeting.objects.get(),
        date=datetime.date(2026, 6, 4),
        location="Papendrecht",
    )
    return {
        "partners_meeting": meeting,
        "partners_decision": decisions.record_decision(office, meeting, text="AVA-besluit 3c7e"),
    }


def _decision_lists(table_meeting) -> dict:
    """Decision lists (issue 15): a decision of the table meeting and one of an ambtelijke
    regiekamer meeting of this year, chaired by the secretary of Zwijndrecht (the demo's chair
    of this year), each with an action of Zwijndrecht."""
    from django.utils import timezone

    from meetings import decisions
    from tables.models import ChairTerm

    office = User.objects.get(username="programmabureau")
    zwijndrecht = Organisation.objects.get(slug="zwijndrecht")
    year = timezone.localdate().year
    term = ChairTerm.objects.get(regiekamer__kind=RegiekamerKind.AMBTELIJK, valid_from__year=year)
    assert term.user.username == "secretaris-zwijndrecht"
    chaired = Meeting.objects.create(
        regiekamer=term.regiekamer, date=datetime.date(year, 7, 1), location="Stadskantoor"
    )
    decision = decisions.record_decision(office, table_meeting, text="Tafelbesluit e2c4")
    regiekamer_decision = decisions.record_decision(office, chaired, text="Kamerbesluit 9a1b")
    deadline = datetime.date(year + 1, 1, 31)
    return {
        "decision": decision,
        "action": decisions.add_action(
            office, decision, description="Tafelactie", owner=zwijndrecht, deadline=deadline
        ),
        "chaired_meeting": chaired,
        "regiekamer_decision": regiekamer_decision,
        "regiekamer_action": decisions.add_action(
            office,
            regiekamer_decision,
            description="Kameractie",
            owner=zwijndrecht,
            deadline=deadline,
        ),
    }
