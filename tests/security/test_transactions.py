"""A write that fails half-way leaves nothing behind.

Each multi-row write (the object, its history row, its event row) is forced to fail at its last
step; afterwards the database must be exactly as before: no object, no history, no event.
"""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from portfolio import positions
from portfolio.models import Position
from portfolio.positions import PositionInput
from smartdelta.models import Organisation, User
from tables import chairs, escalations
from tables.models import ChairTerm, Escalation, EscalationEvent, Regiekamer, RegiekamerKind

from .rows import changed, row_counts

pytestmark = pytest.mark.django_db


class Boom(RuntimeError):
    pass


def _fail(*args, **kwargs):
    raise Boom("forced failure of the second write")


@pytest.fixture
def failing_event(monkeypatch):
    """The escalation's event row (written after the escalation itself) cannot be written."""
    monkeypatch.setattr(EscalationEvent.objects, "create", _fail)


def _fail_history_of(monkeypatch, model):
    """The history row (written by django-simple-history after the object) cannot be written."""
    monkeypatch.setattr(model.history.model, "save", _fail)


def test_a_transition_whose_event_fails_changes_nothing(scenario, failing_event):
    escalation = scenario["escalation"]
    secretary = User.objects.get(username="secretaris-zwijndrecht")
    before = row_counts()
    with pytest.raises(Boom):
        escalations.perform(
            secretary, escalation, "take_up", seen_version=escalation.version, notify=False
        )
    assert row_counts() == before, changed(before, row_counts())
    fresh = Escalation.objects.get(pk=escalation.pk)
    assert (fresh.state, fresh.version, fresh.owner_id) == ("ingediend", escalation.version, None)


def test_an_escalation_whose_first_event_fails_is_not_raised(scenario, failing_event):
    before = row_counts()
    with pytest.raises(Boom):
        escalations.raise_escalation(
            User.objects.get(username="ambtenaar-dordrecht"),
            title="Half opgeslagen?",
            description="Nee.",
            category="capaciteit",
            urgency="normaal",
            notify=False,
        )
    assert row_counts() == before, changed(before, row_counts())
    assert not Escalation.objects.filter(title="Half opgeslagen?").exists()


def test_escalating_whose_history_fails_keeps_it_at_the_first_regiekamer(scenario, monkeypatch):
    escalation = scenario["escalation"]
    _fail_history_of(monkeypatch, Escalation)
    before = row_counts()
    with pytest.raises(Boom):
        escalations.perform(
            User.objects.get(username="secretaris-zwijndrecht"),
            escalation,
            "escalate",
            seen_version=escalation.version,
            reason="Te groot",
            notify=False,
        )
    assert row_counts() == before, changed(before, row_counts())
    assert Escalation.objects.get(pk=escalation.pk).regiekamer.kind == RegiekamerKind.AMBTELIJK


@pytest.mark.parametrize("existing", [False, True], ids=["nieuw", "bestaand"])
def test_a_position_whose_history_fails_is_not_saved(scenario, monkeypatch, existing):
    project = scenario["project"]
    organisation = Organisation.objects.get(slug="sliedrecht")
    official = User.objects.get(username="ambtenaar-sliedrecht")
    current = Position.objects.filter(project=project, organisation=organisation).first()
    if existing and current is None:
        current = positions.record_position(
            official, project, organisation, PositionInput(variant="geen"), None
        )
    elif not existing and current is not None:
        project = (
            type(project).objects.exclude(positions__organisation=organisation).order_by("pk")
        ).first()
        current = None
    assert project is not None
    snapshot = Position.objects.filter(pk=current.pk).values().first() if current else None
    _fail_history_of(monkeypatch, Position)
    variant = "solidariteit" if current and current.variant == "geen" else "geen"
    position = PositionInput(
        variant=variant, amount=Decimal(1000) if variant == "solidariteit" else None
    )
    before = row_counts()
    with pytest.raises(Boom):
        positions.record_position(
            official, project, organisation, position, current.version if current else None
        )
    assert row_counts() == before, changed(before, row_counts())
    after = Position.objects.filter(project=project, organisation=organisation).values().first()
    assert after == snapshot


def test_a_status_change_whose_history_fails_is_not_saved(scenario, monkeypatch):
    position = (
        Position.objects.exclude(status="ingetrokken")
        .filter(organisation__kind="kern")
        .order_by("pk")
        .first()
    )
    official = User.objects.get(username=f"ambtenaar-{position.organisation.slug}")
    snapshot = Position.objects.filter(pk=position.pk).values().first()
    _fail_history_of(monkeypatch, Position)
    before = row_counts()
    with pytest.raises(Boom):
        positions.change_status(official, position, "ingetrokken", position.version)
    assert row_counts() == before
    assert Position.objects.filter(pk=position.pk).values().first() == snapshot


def test_a_chair_term_whose_history_fails_is_not_scheduled(scenario, monkeypatch):
    _fail_history_of(monkeypatch, ChairTerm)
    before = row_counts()
    with pytest.raises(Boom):
        chairs.schedule_chair(
            User.objects.get(username="secretaris-alblasserdam"),
            Regiekamer.objects.get(kind=RegiekamerKind.AMBTELIJK),
            User.objects.get(username="secretaris-zwijndrecht"),
            datetime.date(2031, 1, 1),
            datetime.date(2031, 6, 30),
        )
    assert row_counts() == before


@pytest.mark.parametrize("htmx", [False, True], ids=["gewoon", "htmx"])
def test_through_the_page_a_failing_transition_answers_500_and_saves_nothing(
    scenario,
    failing_event,
    htmx,
):
    escalation = scenario["escalation"]
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="secretaris-zwijndrecht"))
    before = row_counts()
    response = client.post(
        reverse("regiekamer:escalation-transition", args=[escalation.pk, "take_up"]),
        {"version": escalation.version, "reason": "Opgepakt"},
        headers={"HX-Request": "true"} if htmx else {},
    )
    assert response.status_code == 500
    assert row_counts() == before, changed(before, row_counts())
    assert Escalation.objects.get(pk=escalation.pk).state == "ingediend"
