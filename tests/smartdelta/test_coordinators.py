"""The coordinator of each municipality (issue 29, seed 004): who records it, who can be it, and
that the history names who did it."""

import datetime

import pytest

from smartdelta import coordinators, permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.models import Coordination
from smartdelta.versioning import MISSING_VERSION
from tests.conftest import make_user, second_official

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 1)


def _set(user, organisation, coordinator, deputy=None, valid_from=START, seen_version=0):
    return coordinators.set_coordinator(
        user,
        organisation,
        coordinator=coordinator,
        deputy=deputy,
        valid_from=valid_from,
        seen_version=seen_version,
    )


def test_the_secretary_records_the_coordinator_and_the_history_names_the_secretary(
    zwijndrecht, secretary_zwijndrecht, official_zwijndrecht
):
    deputy = second_official(zwijndrecht)
    saved = _set(secretary_zwijndrecht, zwijndrecht, official_zwijndrecht, deputy)
    assert (saved.coordinator, saved.deputy, saved.valid_from) == (
        official_zwijndrecht,
        deputy,
        START,
    )
    assert (saved.version, saved.updated_by) == (1, secretary_zwijndrecht)
    (row,) = Coordination.history.filter(id=saved.pk)
    assert (row.history_type, row.history_user) == ("+", secretary_zwijndrecht)


def test_a_change_keeps_the_earlier_coordinator_in_the_history(
    zwijndrecht, secretary_zwijndrecht, official_zwijndrecht, programme_office
):
    first = _set(secretary_zwijndrecht, zwijndrecht, official_zwijndrecht)
    successor = second_official(zwijndrecht)
    later = datetime.date(2026, 9, 1)
    saved = _set(programme_office, zwijndrecht, successor, None, later, first.version)
    assert (saved.coordinator, saved.valid_from, saved.version) == (successor, later, 2)
    rows = list(Coordination.history.filter(id=saved.pk).order_by("history_id"))
    assert [(r.coordinator_id, r.valid_from, r.history_user) for r in rows] == [
        (official_zwijndrecht.pk, START, secretary_zwijndrecht),
        (successor.pk, later, programme_office),
    ]


def test_a_coordinator_is_an_official_of_that_municipality_itself(
    zwijndrecht, dordrecht, secretary_zwijndrecht, official_dordrecht
):
    with pytest.raises(DomainError, match="werkt niet bij Zwijndrecht"):
        _set(secretary_zwijndrecht, zwijndrecht, official_dordrecht)
    councillor = make_user("raadslid-zwijndrecht", zwijndrecht, is_councillor=True)
    with pytest.raises(DomainError, match="geen actieve ambtenaar van Zwijndrecht"):
        _set(secretary_zwijndrecht, zwijndrecht, councillor)
    gone = make_user("oud-ambtenaar-zwijndrecht", zwijndrecht, is_official=True, is_active=False)
    with pytest.raises(DomainError, match="geen actieve ambtenaar"):
        _set(secretary_zwijndrecht, zwijndrecht, gone)
    assert not Coordination.objects.exists()
    assert not Coordination.history.exists()


def test_the_deputy_follows_the_same_rule_and_is_someone_else(
    zwijndrecht, secretary_zwijndrecht, official_zwijndrecht, official_dordrecht
):
    with pytest.raises(DomainError, match="plaatsvervanger is een ambtenaar van de gemeente"):
        _set(secretary_zwijndrecht, zwijndrecht, official_zwijndrecht, official_dordrecht)
    with pytest.raises(DomainError, match="iemand anders dan de coördinator"):
        _set(secretary_zwijndrecht, zwijndrecht, official_zwijndrecht, official_zwijndrecht)
    # The secretary may take the role too: the seed's "ambtenaar" of the municipality.
    saved = _set(secretary_zwijndrecht, zwijndrecht, official_zwijndrecht, secretary_zwijndrecht)
    assert saved.deputy == secretary_zwijndrecht


def test_only_the_own_secretary_or_the_programme_office_records_it(
    zwijndrecht,
    dordrecht,
    official_zwijndrecht,
    secretary_zwijndrecht,
    mayor_dordrecht,
    programme_office,
):
    secretary_dordrecht = make_user(
        "secretaris-dordrecht", dordrecht, is_ambtelijke_regiekamer=True
    )
    mayor_zwijndrecht = make_user(
        "burgemeester-zwijndrecht", zwijndrecht, is_bestuurlijke_regiekamer=True
    )
    for refused in (official_zwijndrecht, secretary_dordrecht, mayor_zwijndrecht, mayor_dordrecht):
        assert not permissions.can_set_coordinator(refused, zwijndrecht)
        with pytest.raises(DomainError, match="gemeentesecretaris van Zwijndrecht"):
            _set(refused, zwijndrecht, official_zwijndrecht)
    assert not Coordination.objects.exists()
    assert permissions.can_set_coordinator(secretary_zwijndrecht, zwijndrecht)
    assert permissions.can_set_coordinator(programme_office, zwijndrecht)
    assert _set(programme_office, zwijndrecht, official_zwijndrecht).updated_by == programme_office


def test_only_the_seven_have_a_coordinator(gorinchem, programme_office):
    official = make_user("ambtenaar-gorinchem", gorinchem, is_official=True)
    with pytest.raises(DomainError, match="zeven kerngemeenten"):
        _set(programme_office, gorinchem, official)


def test_a_change_made_meanwhile_is_never_overwritten(
    zwijndrecht, secretary_zwijndrecht, official_zwijndrecht, programme_office
):
    first = _set(secretary_zwijndrecht, zwijndrecht, official_zwijndrecht)
    _set(programme_office, zwijndrecht, official_zwijndrecht, None, START, first.version)
    with pytest.raises(
        ConflictError, match="Zwijndrecht is intussen gewijzigd door programmabureau"
    ) as conflict:
        _set(secretary_zwijndrecht, zwijndrecht, second_official(zwijndrecht), None, START, 1)
    assert conflict.value.current.version == 2
    # Someone recorded one while this user saw none (version 0), or the form named no version.
    with pytest.raises(ConflictError, match="intussen gewijzigd"):
        _set(secretary_zwijndrecht, zwijndrecht, official_zwijndrecht, seen_version=0)
    with pytest.raises(ConflictError, match=MISSING_VERSION[:30]):
        _set(secretary_zwijndrecht, zwijndrecht, official_zwijndrecht, seen_version=None)
    assert Coordination.objects.get().coordinator == official_zwijndrecht


def test_a_new_coordinator_starts_no_earlier_than_the_one_before(
    zwijndrecht, secretary_zwijndrecht, official_zwijndrecht
):
    first = _set(secretary_zwijndrecht, zwijndrecht, official_zwijndrecht)
    earlier = START - datetime.timedelta(days=1)
    with pytest.raises(
        DomainError,
        match="niet vóór ambtenaar-zwijndrecht, die coördinator is sinds 1 januari 2026",
    ):
        _set(secretary_zwijndrecht, zwijndrecht, second_official(zwijndrecht), None, earlier, 1)
    # The same coordinator's start date may be corrected.
    corrected = _set(secretary_zwijndrecht, zwijndrecht, official_zwijndrecht, None, earlier, 1)
    assert corrected.valid_from == earlier and first.pk == corrected.pk


def test_who_sees_what_waits_on_a_municipality(
    zwijndrecht,
    official_zwijndrecht,
    secretary_zwijndrecht,
    official_dordrecht,
    mayor_dordrecht,
    programme_office,
):
    councillor = make_user("raadslid-zwijndrecht", zwijndrecht, is_councillor=True)
    without_role = make_user("zonder-rol-zwijndrecht", zwijndrecht)
    coordination = _set(secretary_zwijndrecht, zwijndrecht, official_zwijndrecht, None)
    sees = permissions.can_see_waiting_on
    for user in (official_zwijndrecht, secretary_zwijndrecht, mayor_dordrecht, programme_office):
        assert sees(user, zwijndrecht, coordination), user
    for user in (official_dordrecht, councillor, without_role):
        assert not sees(user, zwijndrecht, coordination), user
    # A coordinator whose official role was taken away still sees their municipality's page,
    # as long as they are recorded (and of that municipality).
    official_zwijndrecht.is_official = False
    assert sees(official_zwijndrecht, zwijndrecht, coordination)
    assert not sees(official_zwijndrecht, zwijndrecht, None)
    assert permissions.sees_every_municipality_waiting(mayor_dordrecht)
    assert not permissions.sees_every_municipality_waiting(official_zwijndrecht)
