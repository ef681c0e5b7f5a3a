"""Only what is final leaves through the API (issue 28): every collection, read page by page to
its end, holds exactly what `openbaar.gate` calls public, and each thing that is not final
answers a 404 problem at its own address. (The public walk in tests/openbaar/ also follows
every API link and checks no secret text reaches a reader.)"""

import pytest
from django.test import Client

from finance.models import BudgetYear
from meetings.models import Decision
from openbaar import gate
from portfolio.models import Position, Project

from .conftest import body

pytestmark = pytest.mark.django_db

COLLECTIONS = [
    "organisaties",
    "themas",
    "projecten",
    "deelnames",
    "begrotingen",
    "bijdragen",
    "vergaderingen",
    "besluiten",
    "documenten",
]


def collect(client: Client, name: str, size: int = 3) -> list[dict]:
    """Every item of a collection, following `next` from the first page to the last."""
    url = f"/api/v1/{name}?paginaGrootte={size}"
    items = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:200])
        page = body(response)
        shown = page["_embedded"][name]
        items += shown
        url = page["_links"].get("next", {}).get("href")
        # Every page but the last is full; the last has no next (and is not empty unless the
        # collection is).
        assert len(shown) == size if url else len(shown) <= size, (name, len(shown))
    return items


def ids(items: list[dict]) -> set:
    return {item["identificatie"] for item in items}


def test_every_collection_holds_exactly_what_the_gate_calls_public(world):
    client = Client()
    found = {name: collect(client, name) for name in COLLECTIONS}

    assert ids(found["projecten"]) == set(gate.projects().values_list("pk", flat=True))
    assert ids(found["deelnames"]) == set(gate.positions().values_list("pk", flat=True))
    assert {b["jaar"] for b in found["begrotingen"]} == set(
        gate.budgets().values_list("year", flat=True)
    )
    assert ids(found["vergaderingen"]) == set(gate.meetings().values_list("pk", flat=True))
    assert ids(found["besluiten"]) == set(gate.decisions().values_list("pk", flat=True))
    assert ids(found["documenten"]) == {
        f"stuk-{pk}" for pk in gate.papers().values_list("pk", flat=True)
    } | {f"brief-{pk}" for pk in gate.letters().values_list("pk", flat=True)}
    assert ids(found["organisaties"]) == set(gate.organisations().values_list("slug", flat=True))
    assert len(found["bijdragen"]) == 7 * gate.budgets().count()

    # And what is not final is not among them.
    idea = Project.objects.get(name="Idee 9c1e")
    assert idea.pk not in ids(found["projecten"])
    toets = world["project"]
    submitted = Position.objects.get(project=toets, organisation__slug="zwijndrecht")
    assert submitted.status == "ingediend" and submitted.pk not in ids(found["deelnames"])
    # A confirmed "geen deelname" whose change to "volledig" waits as concept: the one in force.
    papendrecht = Position.objects.get(project=toets, organisation__slug="papendrecht")
    shown = next(d for d in found["deelnames"] if d["identificatie"] == papendrecht.pk)
    assert papendrecht.variant == "volledig" and shown["variant"] == "geen"
    assert shown["besluit"] == "RB-2024-03"
    assert 2026 not in {b["jaar"] for b in found["begrotingen"]}
    assert 2026 not in {b["jaar"] for b in found["bijdragen"]}
    for key in ("hidden", "regie"):
        assert world[key].pk not in ids(found["vergaderingen"])
    for key in ("unsent", "withheld", "regie_paper"):
        assert f"stuk-{world[key].pk}" not in ids(found["documenten"])
    assert f"brief-{world['waiting_letter'].pk}" not in ids(found["documenten"])
    unadopted = Decision.objects.get(meeting=world["hidden"])
    assert unadopted.pk not in ids(found["besluiten"])
    assert world["published"].pk and f"stuk-{world['published'].pk}" in ids(found["documenten"])


def test_what_is_not_final_answers_a_404_problem_at_its_own_address(world):
    toets = world["project"]
    submitted = Position.objects.get(project=toets, organisation__slug="zwijndrecht")
    idea = Project.objects.get(name="Idee 9c1e")
    unadopted = Decision.objects.get(meeting=world["hidden"])
    assert BudgetYear.objects.filter(year=2026, status="concept").exists()
    not_found = [
        f"/api/v1/projecten/{idea.pk}",
        f"/api/v1/deelnames/{submitted.pk}",
        "/api/v1/begrotingen/2026",
        f"/api/v1/vergaderingen/{world['hidden'].pk}",
        f"/api/v1/vergaderingen/{world['regie'].pk}",
        f"/api/v1/besluiten/{unadopted.pk}",
        f"/api/v1/documenten/stuk-{world['unsent'].pk}",
        f"/api/v1/documenten/stuk-{world['withheld'].pk}",
        f"/api/v1/documenten/stuk-{world['regie_paper'].pk}",
        f"/api/v1/documenten/brief-{world['waiting_letter'].pk}",
        "/api/v1/escalaties",  # no such collection
        f"/api/v1/escalaties/{world['escalation'].pk}",
    ]
    client = Client()
    for url in not_found:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json", url
        problem = body(response)
        assert problem["status"] == 404 and problem["title"] and problem["detail"], url
        assert "ETag" not in response, url  # an absence is no version of anything
    # The concept year's contributions: an empty list, not the concept's figures.
    response = client.get("/api/v1/bijdragen?jaar=2026")
    assert response.status_code == 200 and body(response)["_embedded"]["bijdragen"] == []
    # The same objects are there once final: the addresses are right.
    assert client.get(f"/api/v1/vergaderingen/{world['meeting'].pk}").status_code == 200
    assert client.get(f"/api/v1/documenten/stuk-{world['published'].pk}").status_code == 200
    assert client.get(f"/api/v1/documenten/brief-{world['letter'].pk}").status_code == 200
