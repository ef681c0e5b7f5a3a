import datetime

import pytest
from django.utils import timezone

from councils import procedures
from councils.models import ProcedureKind


@pytest.fixture
def procedure(programme_office):
    return procedures.start_procedure(
        programme_office,
        title="Oprichting Smart Delta & Partners",
        description="Wensen en bedenkingen van de zeven raden.",
        deadline=datetime.date(2025, 12, 18),
        default_kind=ProcedureKind.WISHES,
    )


def step_of(procedure, municipality):
    return procedure.steps.get(municipality=municipality)


def row_url(procedure, slug):
    return f"/raadsprocedures/{procedure.pk}/{slug}/"


def valid_post(step, **overrides):
    data = {
        "kind": "wensen_en_bedenkingen",
        "council_date": "2025-12-09",
        "outcome": "wensen_ingediend",
        "document_reference": "Raadsvoorstel 2025-112",
        "document_url": "https://dordrecht.raadsinformatie.nl/document/112",
        "version": step.version,
    }
    data.update(overrides)
    return data


@pytest.fixture
def board_table(theme):
    from tables.models import BoardTable

    return BoardTable.objects.create(theme=theme)


@pytest.fixture
def ambtelijk(db):
    from tables.models import Regiekamer, RegiekamerKind

    return Regiekamer.objects.create(kind=RegiekamerKind.AMBTELIJK)


@pytest.fixture
def table_meeting(board_table):
    from meetings.models import Meeting

    today = timezone.localdate()
    return Meeting.objects.create(
        table=board_table, date=today + datetime.timedelta(days=14), location="Stadskantoor"
    )


@pytest.fixture
def regiekamer_meeting(ambtelijk):
    from meetings.models import Meeting

    today = timezone.localdate()
    return Meeting.objects.create(
        regiekamer=ambtelijk, date=today + datetime.timedelta(days=7), location="Zaal 2"
    )
