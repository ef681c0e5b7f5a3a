"""URL × persona → status for the council procedure and calendar pages (GET).

A stranger to an object gets 404, a reader who may not change it 403, anonymous the login page.
"""

import pytest
from django.test import Client

from tests.conftest import client_for

PERSONAS = [
    "anonymous",
    "councillor_dordrecht",
    "official_dordrecht",
    "official_zwijndrecht",
    "secretary_zwijndrecht",
    "programme_office",
]
LOGIN = 302

# url template -> expected status per persona, in the order of PERSONAS.
MATRIX = {
    "/raadsprocedures/": [LOGIN, 200, 200, 200, 200, 200],
    "/raadsprocedures/nieuw/": [LOGIN, 403, 403, 403, 403, 200],
    "/raadsprocedures/{procedure}/": [LOGIN, 200, 200, 200, 200, 200],
    "/raadsprocedures/{procedure}/dordrecht/": [LOGIN, 403, 200, 403, 403, 200],
    "/raadsprocedures/{procedure}/zwijndrecht/": [LOGIN, 403, 403, 200, 200, 200],
    "/raadsprocedures/{procedure}/gorinchem/": [LOGIN, 404, 404, 404, 404, 404],
    "/raadsprocedures/999999/": [LOGIN, 404, 404, 404, 404, 404],
    "/tafels/agenda/abonnementen/": [LOGIN, 200, 200, 200, 200, 200],
    "/vergaderingen/{table_meeting}/agenda.ics": [LOGIN, 200, 200, 200, 200, 200],
    "/vergaderingen/{regiekamer_meeting}/agenda.ics": [LOGIN, 404, 404, 404, 200, 200],
    "/vergaderingen/999999/agenda.ics": [LOGIN, 404, 404, 404, 404, 404],
    "/tafels/agenda/geen-geldige-sleutel.ics": [404, 404, 404, 404, 404, 404],
}
CASES = [
    (url, persona, status)
    for url, statuses in MATRIX.items()
    for persona, status in zip(PERSONAS, statuses, strict=True)
]


@pytest.mark.parametrize(("url", "persona", "status"), CASES)
def test_access(
    request, procedure, table_meeting, regiekamer_meeting, gorinchem, url, persona, status
):
    client = Client() if persona == "anonymous" else client_for(request.getfixturevalue(persona))
    path = url.format(
        procedure=procedure.pk,
        table_meeting=table_meeting.pk,
        regiekamer_meeting=regiekamer_meeting.pk,
    )
    response = client.get(path)
    assert response.status_code == status
    if status == LOGIN:
        assert response.url.startswith("/accounts/login/")
