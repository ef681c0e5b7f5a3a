"""The public URLs in the access matrix (tests/access.py OPEN): every persona of the matrix and
an anonymous reader get the same answer, GET only; a POST is refused (405) and writes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from openbaar import gate
from smartdelta.models import Organisation, User
from tests.access import OPEN, PERSONAS
from tests.security.rows import row_counts

pytestmark = pytest.mark.django_db


def _kwargs(world) -> dict[str, dict]:
    meeting, paper, letter = world["meeting"], world["published"], world["letter"]
    return {
        "openbaar:robots": {},
        "openbaar:sitemap-index": {"number": "009"},
        "openbaar:sitemap": {"number": "008", "page": 1},
        "openbaar:index": {},
        "openbaar:theme": {"slug": world["table"].theme.slug},
        "openbaar:budget": {"year": 2024},
        "openbaar:meeting-list": {},
        "openbaar:meeting": {"pk": meeting.pk},
        "openbaar:decision-list": {"pk": meeting.pk},
        "openbaar:paper": {"pk": paper.pk, "name": paper.original_name},
        "openbaar:letter-list": {},
        "openbaar:letter-pdf": {"pk": letter.pk},
        "openbaar:letter-record": {"pk": letter.pk},
        "api:ingang": {},
        "api:openapi": {},
        "api:organisaties": {},
        "api:organisatie": {"identificatie": "dordrecht"},
        "api:themas": {},
        "api:thema": {"identificatie": world["table"].theme.slug},
        "api:projecten": {},
        "api:project": {"identificatie": world["project"].pk},
        "api:deelnames": {},
        "api:deelname": {"identificatie": gate.positions().first().pk},
        "api:begrotingen": {},
        "api:begroting": {"jaar": 2024},
        "api:bijdragen": {},
        "api:vergaderingen": {},
        "api:vergadering": {"identificatie": meeting.pk},
        "api:besluiten": {},
        "api:besluit": {"identificatie": gate.decisions().filter(meeting=meeting).first().pk},
        "api:documenten": {},
        "api:document": {"identificatie": f"brief-{letter.pk}"},
    }


def _clients() -> dict[str, Client]:
    dordrecht = Organisation.objects.get(slug="dordrecht")
    for username in ("medewerker-partner", "zonder-rol"):
        User.objects.get_or_create(username=username, defaults={"organisation": dordrecht})
    clients = {"anoniem": Client()}
    for persona, username in PERSONAS.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[persona] = client
    return clients


def test_every_public_url_answers_everyone_the_same_and_get_only(world):
    kwargs = _kwargs(world)
    assert set(kwargs) == OPEN
    failures = []
    for persona, client in _clients().items():
        for name in sorted(OPEN):
            url = reverse(name, kwargs=kwargs[name])
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(url, headers=headers)
                if response.status_code != 200:
                    failures.append((persona, url, "GET", headers, response.status_code))
            before = row_counts()
            response = client.post(url, {"public": "1"})
            if response.status_code != 405:
                failures.append((persona, url, "POST", response.status_code))
            if row_counts() != before:
                failures.append((persona, url, "POST schreef"))
    assert not failures, failures
