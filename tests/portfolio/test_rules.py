"""The four variants' rules, held by the model, the database and the service."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from portfolio.models import Position, PositionStatus, Variant
from portfolio.positions import PositionInput, change_status, record_position
from smartdelta.errors import ConflictError, DomainError
from tests.conftest import make_position

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "variant, fields",
    [
        (Variant.SOLIDARITY, {}),
        (Variant.ENTRY, {"amount": Decimal("1000")}),
        (Variant.ENTRY, {"entry_date": datetime.date(2025, 1, 1)}),
        (Variant.NONE, {"amount": Decimal("5")}),
        (Variant.NONE, {"share": Decimal("5")}),
        (Variant.FULL, {"amount": Decimal("-1")}),
        (Variant.SOLIDARITY, {"share": Decimal("101")}),
        ("misschien", {}),
    ],
)
def test_database_refuses_invalid_positions(project, dordrecht, variant, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_position(project, dordrecht, variant, **fields)


def test_database_refuses_confirmed_without_decision(project, dordrecht):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_position(project, dordrecht, Variant.FULL, status=PositionStatus.CONFIRMED)


def test_one_position_per_project_and_organisation(project, dordrecht):
    make_position(project, dordrecht, Variant.FULL)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_position(project, dordrecht, Variant.NONE)


@pytest.mark.parametrize(
    "position, message",
    [
        (PositionInput(Variant.SOLIDARITY), "bedrag of een aandeel verplicht"),
        (PositionInput(Variant.ENTRY, amount=Decimal("100")), "een instapmoment verplicht"),
        (
            PositionInput(Variant.ENTRY, entry_date=datetime.date(2025, 1, 1)),
            "instapfee verplicht",
        ),
        (PositionInput(Variant.NONE, amount=Decimal("1")), "geen bedrag"),
    ],
)
def test_service_refuses_with_dutch_message(
    project, dordrecht, official_dordrecht, position, message
):
    with pytest.raises(DomainError, match=message):
        record_position(official_dordrecht, project, dordrecht, position, None)
    assert not Position.objects.exists()


def test_valid_positions_are_saved_with_the_acting_user(project, dordrecht, official_dordrecht):
    c = record_position(
        official_dordrecht,
        project,
        dordrecht,
        PositionInput(
            Variant.ENTRY, amount=Decimal("1234.56"), entry_date=datetime.date(2025, 3, 1)
        ),
        None,
    )
    c.refresh_from_db()
    assert (c.variant, c.amount, c.entry_date, c.version) == (
        "instap",
        Decimal("1234.56"),
        datetime.date(2025, 3, 1),
        1,
    )
    assert c.history.get().history_user == official_dordrecht
    assert c.updated_by == official_dordrecht


def test_entry_model_is_participant_from_its_entry_date(project, dordrecht):
    c = make_position(
        project, dordrecht, Variant.ENTRY, amount=Decimal("1"), entry_date=datetime.date(2025, 1, 1)
    )
    assert not c.is_participant_on(datetime.date(2024, 12, 31))
    assert c.is_participant_on(datetime.date(2025, 1, 1))


def test_stale_version_is_refused_and_names_who_changed(
    project, dordrecht, official_dordrecht, programme_office
):
    first = record_position(
        official_dordrecht, project, dordrecht, PositionInput(Variant.FULL), None
    )
    record_position(
        programme_office,
        project,
        dordrecht,
        PositionInput(Variant.SOLIDARITY, amount=Decimal("10")),
        1,
    )
    with pytest.raises(ConflictError, match="gewijzigd door programmabureau") as caught:
        record_position(
            official_dordrecht, project, dordrecht, PositionInput(Variant.NONE), first.version
        )
    assert caught.value.current.variant == Variant.SOLIDARITY
    current = Position.objects.get()
    assert (current.variant, current.version) == ("solidariteit", 2)


def test_two_first_saves_let_exactly_one_win(project, dordrecht, official_dordrecht):
    record_position(official_dordrecht, project, dordrecht, PositionInput(Variant.FULL), None)
    with pytest.raises(ConflictError):
        record_position(official_dordrecht, project, dordrecht, PositionInput(Variant.NONE), None)
    assert Position.objects.get().variant == Variant.FULL


def test_changing_a_confirmed_position_returns_it_to_concept(
    project, dordrecht, official_dordrecht, second_official_dordrecht
):
    c = record_position(official_dordrecht, project, dordrecht, PositionInput(Variant.FULL), None)
    c = change_status(official_dordrecht, c, PositionStatus.SUBMITTED, c.version)
    c = change_status(
        second_official_dordrecht,
        c,
        PositionStatus.CONFIRMED,
        c.version,
        "B&W 2024/12",
        datetime.date(2024, 5, 1),
    )
    assert (c.status, c.decision_reference) == ("bevestigd", "B&W 2024/12")
    c = record_position(
        official_dordrecht,
        project,
        dordrecht,
        PositionInput(Variant.SOLIDARITY, share=Decimal("5")),
        c.version,
    )
    assert (c.status, c.decision_reference, c.decision_date) == ("concept", "", None)
    assert c.submitted_by is None


def test_saving_the_same_position_changes_nothing(project, dordrecht, official_dordrecht):
    c = record_position(official_dordrecht, project, dordrecht, PositionInput(Variant.FULL), None)
    again = record_position(
        official_dordrecht, project, dordrecht, PositionInput(Variant.FULL), c.version
    )
    assert again.version == 1 and c.history.count() == 1


@pytest.mark.parametrize(
    "start, target, allowed",
    [
        ("concept", "ingediend", True),
        ("concept", "bevestigd", False),
        ("concept", "ingetrokken", True),
        ("ingediend", "bevestigd", True),
        ("ingediend", "concept", True),
        ("ingediend", "ingetrokken", True),
        ("bevestigd", "concept", False),
        ("bevestigd", "ingediend", False),
        ("bevestigd", "ingetrokken", True),
        ("ingetrokken", "concept", False),
        ("ingetrokken", "ingediend", False),
        ("ingetrokken", "bevestigd", False),
    ],
)
def test_status_transitions(project, dordrecht, official_dordrecht, start, target, allowed):
    decision = {"decision_reference": "B&W 1", "decision_date": datetime.date(2024, 1, 1)}
    c = make_position(
        project, dordrecht, Variant.FULL, status=start, **(decision if start == "bevestigd" else {})
    )
    if allowed:
        result = change_status(official_dordrecht, c, target, c.version, **decision)
        assert result.status == target and result.version == 2
    else:
        with pytest.raises(DomainError, match="kan niet naar"):
            change_status(official_dordrecht, c, target, c.version, **decision)
        c.refresh_from_db()
        assert (c.status, c.version) == (start, 1)


def test_confirming_needs_a_decision(project, dordrecht, official_dordrecht):
    c = make_position(project, dordrecht, Variant.FULL, status="ingediend")
    with pytest.raises(DomainError, match="kenmerk"):
        change_status(official_dordrecht, c, "bevestigd", c.version)
    c.refresh_from_db()
    assert c.status == "ingediend"
