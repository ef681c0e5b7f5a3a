"""Fixtures of the tables app: the two regiekamers, a table, and escalations in any state."""

import pytest

from tables import escalations
from tables.models import BoardTable, Regiekamer, RegiekamerKind
from tests.conftest import make_user


@pytest.fixture
def regiekamers(db):
    return {
        kind: Regiekamer.objects.create(kind=kind)
        for kind in (RegiekamerKind.AMBTELIJK, RegiekamerKind.BESTUURLIJK)
    }


@pytest.fixture
def ambtelijk(regiekamers):
    return regiekamers[RegiekamerKind.AMBTELIJK]


@pytest.fixture
def bestuurlijk(regiekamers):
    return regiekamers[RegiekamerKind.BESTUURLIJK]


@pytest.fixture
def board_table(theme):
    return BoardTable.objects.create(theme=theme)


@pytest.fixture
def secretary_dordrecht(dordrecht):
    return make_user("secretaris-dordrecht", dordrecht, is_ambtelijke_regiekamer=True)


@pytest.fixture
def secretary_alblasserdam(core_municipalities):
    return make_user(
        "secretaris-alblasserdam",
        core_municipalities["Alblasserdam"],
        is_ambtelijke_regiekamer=True,
    )


def make_escalation(reporter, state="ingediend", *, handler=None, mayor=None, **fields):
    """An escalation driven through the services to `state` (at the ambtelijke regiekamer,
    or at the bestuurlijke one for "opgeschaald")."""
    data = {
        "title": "Capaciteit niet geleverd",
        "description": "De toegezegde 0,4 fte is niet geleverd.",
        "category": "capaciteit",
        "urgency": "normaal",
    } | fields
    e = escalations.raise_escalation(reporter, notify=False, **data)
    if state == "ingediend":
        return e
    e = escalations.take_up(handler, e, seen_version=e.version)
    if state == "opgeschaald":
        return escalations.escalate_to_bestuurlijk(
            handler, e, seen_version=e.version, reason="Bestuurlijke afweging nodig.", notify=False
        )
    if state == "in_behandeling":
        return e
    e = escalations.decide(
        handler, e, seen_version=e.version, decision="Besloten: zo.", notify=False
    )
    if state == "besloten":
        return e
    return escalations.close(handler, e, seen_version=e.version)
