"""The API Design Rules' behaviours, as a client meets them: API-Version on every answer, errors
as problem details, CORS open, no trailing slashes, conditional requests, link pagination,
no login."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from meetings import decisions, meetings
from openbaar import gate
from smartdelta.models import User

from .conftest import body

pytestmark = pytest.mark.django_db

VERSION = "1.0.0"


def assert_problem(response, status: int):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == VERSION
    problem = body(response)
    assert problem["status"] == status
    assert problem["type"].startswith("https://")
    assert problem["title"] and problem["detail"]
    return problem


def test_every_answer_carries_the_full_api_version(world):
    client = Client()
    answers = {
        200: client.get("/api/v1/projecten"),
        404: client.get("/api/v1/projecten/999999"),
        406: client.get("/api/v1/projecten", headers={"Accept": "text/html"}),
        405: client.post("/api/v1/projecten"),
        400: client.get("/api/v1/projecten?pagina=nul"),
    }
    first = answers[200]
    answers[304] = client.get("/api/v1/projecten", headers={"If-None-Match": first["ETag"]})
    for status, response in answers.items():
        assert response.status_code == status
        assert response["API-Version"] == VERSION, status
    assert client.get("/api/v1")["API-Version"] == VERSION
    assert client.get("/api/v1/openapi.json")["API-Version"] == VERSION


def test_errors_are_problem_details_in_dutch(world):
    client = Client()
    assert_problem(client.get("/api/v1/bestaat-niet"), 404)
    assert_problem(client.get("/api/v1/projecten/999999"), 404)
    refused = assert_problem(client.delete(f"/api/v1/projecten/{world['project'].pk}"), 405)
    assert "alleen gelezen" in refused["detail"]
    for method in (client.post, client.put, client.patch):
        response = method("/api/v1/begrotingen/2024")
        assert_problem(response, 405)
        assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert_problem(client.get("/api/v1/projecten", headers={"Accept": "application/xml"}), 406)
    unknown = assert_problem(client.get("/api/v1/projecten?page=2"), 400)
    assert "Onbekende parameter: page" in unknown["detail"]
    assert_problem(client.get("/api/v1/deelnames?project=abc"), 400)
    assert_problem(client.get("/api/v1/projecten/1?pagina=1"), 400)  # one object: no query


def test_cors_is_open_for_reading(world):
    client = Client()
    for response in (
        client.get("/api/v1/begrotingen", headers={"Origin": "https://raad.example"}),
        client.head("/api/v1/begrotingen"),
        client.options(
            "/api/v1/begrotingen",
            headers={"Origin": "https://raad.example", "Access-Control-Request-Method": "GET"},
        ),
        client.get("/api/v1/begrotingen/1999"),  # an error too
    ):
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "GET" in response["Access-Control-Allow-Methods"]
        assert "API-Version" in response["Access-Control-Expose-Headers"]
    # A preflight gets an empty 2xx (browsers need one), never a description of the code.
    preflight = client.options("/api/v1/begrotingen/2024")
    assert preflight.status_code == 204 and preflight.content == b""
    assert preflight["Allow"] == "GET, HEAD, OPTIONS"


def test_no_trailing_slash_a_slashed_address_is_a_404_problem(world):
    client = Client()
    for url in ("/api/v1/", "/api/v1/projecten/", "/api/v1/begrotingen/2024/"):
        assert_problem(client.get(url), 404)
    assert client.get("/api/v1/begrotingen/2024").status_code == 200


def test_no_login_and_no_cookie(world):
    """LoginRequiredMiddleware guards the portal; the API is exempt, sets no cookie, and a
    signed-in person reads the same."""
    anonymous = Client().get("/api/v1/deelnames")
    assert anonymous.status_code == 200
    assert not anonymous.cookies
    signed_in = Client()
    signed_in.force_login(User.objects.get(username="ambtenaar-zwijndrecht"))
    assert signed_in.get("/api/v1/deelnames").content == anonymous.content


def test_a_conditional_request_gets_304_before_anything_is_read(world, monkeypatch):
    monkeypatch.setattr(gate.timezone, "localdate", lambda: datetime.date(2026, 3, 2))
    client = Client()
    url = "/api/v1/besluiten"
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=300"
    etag = first["ETag"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"] == "public, max-age=300"
    assert len(queries) == 1  # the data's version only (gate.version)
    # A decision list adopted elsewhere: a new version, and the new decision in the answer.
    office, table = world["office"], world["table"]
    meeting = meetings.plan_meeting(office, table, date=datetime.date(2024, 5, 1))
    decisions.record_decision(office, meeting, text="Nieuw besluit 5e1d.")
    meeting.refresh_from_db()
    decisions.adopt_decisions(office, meeting, seen_version=meeting.version)
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Nieuw besluit 5e1d." in changed.text
    # The OpenAPI document has a version of its own: the code's.
    document = client.get("/api/v1/openapi.json")
    cached = client.get("/api/v1/openapi.json", headers={"If-None-Match": document["ETag"]})
    assert cached.status_code == 304


def test_collections_page_by_links_with_a_bounded_size(world):
    client = Client()
    first = client.get("/api/v1/deelnames?paginaGrootte=5")
    page = body(first)
    links = page["_links"]
    # No prev on the first page; no last and no total (a harvester follows next to the end).
    assert set(links) == {"self", "first", "next"} and "totaal" not in page
    assert len(page["_embedded"]["deelnames"]) == 5
    # The Link header names the same pages (RFC 8288).
    header = first["Link"]
    for rel, link in links.items():
        assert f'<{link["href"]}>; rel="{rel}"' in header
    second = body(client.get(links["next"]["href"]))
    assert second["_links"]["prev"]["href"] == links["self"]["href"]
    assert not ids(second) & ids(page)
    total = gate.positions().count()
    last = body(client.get(f"/api/v1/deelnames?paginaGrootte=5&pagina={-(-total // 5)}"))
    assert "next" not in last["_links"]
    assert len(last["_embedded"]["deelnames"]) == (total % 5 or 5)
    # The size is bounded; a page past the last is absent.
    assert_problem(client.get("/api/v1/deelnames?paginaGrootte=101"), 400)
    assert_problem(client.get("/api/v1/deelnames?paginaGrootte=0"), 400)
    assert_problem(client.get("/api/v1/deelnames?pagina=-1"), 400)
    assert len(body(client.get("/api/v1/deelnames?paginaGrootte=100"))["_embedded"]["deelnames"])
    past = -(-total // 5) + 1
    assert_problem(client.get(f"/api/v1/deelnames?paginaGrootte=5&pagina={past}"), 404)
    # Without a size: 20 a page.
    assert len(body(client.get("/api/v1/deelnames"))["_embedded"]["deelnames"]) == min(20, total)


def ids(page: dict) -> set:
    return {item["identificatie"] for item in page["_embedded"]["deelnames"]}


def test_filters_narrow_a_collection(world):
    client = Client()
    project = world["project"]
    positions = body(client.get(f"/api/v1/deelnames?project={project.pk}"))
    organisations = {
        item["_links"]["organisatie"]["href"].rsplit("/", 1)[1]
        for item in positions["_embedded"]["deelnames"]
    }
    assert organisations == {"dordrecht", "papendrecht"}  # the confirmed ones only
    theme = world["table"].theme.slug
    projects = body(client.get(f"/api/v1/projecten?thema={theme}"))["_embedded"]["projecten"]
    assert project.pk in {p["identificatie"] for p in projects}
    assert all(p["_links"]["thema"]["href"].endswith(f"/themas/{theme}") for p in projects)
    papers = body(client.get(f"/api/v1/documenten?vergadering={world['meeting'].pk}"))
    assert [d["identificatie"] for d in papers["_embedded"]["documenten"]] == [
        f"stuk-{world['published'].pk}"
    ]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_collections_read_a_fixed_number_of_queries(world):
    """A page of any collection costs the same queries with ten more projects, positions,
    meetings, decisions and papers: related rows come with their page (select_related,
    prefetches, one in_bulk per kind of document), never one query per item."""
    from portfolio.models import Position
    from tests.conftest import make_position, make_project
    from tests.openbaar.conftest import CONFIRMED, pdf

    client = Client()
    urls = [f"/api/v1/{name}?paginaGrootte=100" for name in COLLECTION_NAMES]
    before = {url: _queries(client, url) for url in urls}
    office, table, orgs = world["office"], world["table"], world["orgs"]
    for n in range(10):
        project = make_project(f"Extra {n}", theme=table.theme, lead=orgs["dordrecht"])
        project.status = "lopend"
        project.save()
        make_position(project, orgs["sliedrecht"], "volledig", **CONFIRMED)
        meeting = meetings.plan_meeting(office, table, date=datetime.date(2024, 6, 1 + n))
        item = meetings.add_agenda_item(office, meeting, title=f"Punt {n}")
        meetings.add_paper(office, item, pdf(f"stuk-{n}.pdf"))
        meeting.refresh_from_db()
        meetings.send_papers(office, meeting, seen_version=meeting.version)
        meeting.refresh_from_db()
        decisions.record_decision(office, meeting, text=f"Besluit {n}.")
        meeting.refresh_from_db()
        decisions.adopt_decisions(office, meeting, seen_version=meeting.version)
    after = {url: _queries(client, url) for url in urls}
    assert after == before
    assert Position.objects.filter(project__name__startswith="Extra").count() == 10
    print("Queries per page of 100:", {url.split("?")[0]: n for url, n in after.items()})
    # The version (1), the count and the page (2), and per collection its related rows; the
    # contributions read the stored figures (finance.figures.read: about seven).
    assert max(after.values()) <= 12


COLLECTION_NAMES = [
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


def test_a_meeting_states_its_day_start_and_place_as_the_public_page_does(world):
    from tests.openbaar.conftest import pdf

    office, table = world["office"], world["table"]
    meeting = meetings.plan_meeting(
        office,
        table,
        date=datetime.date(2024, 9, 12),
        start_time=datetime.time(19, 30),
        location="Stadhuis Dordrecht",
    )
    item = meetings.add_agenda_item(office, meeting, title="Jaarplan")
    meetings.add_paper(office, item, pdf("jaarplan.pdf"))
    meeting.refresh_from_db()
    meetings.send_papers(office, meeting, seen_version=meeting.version)
    found = body(Client().get(f"/api/v1/vergaderingen/{meeting.pk}"))
    assert found["datum"] == "2024-09-12" and found["aanvang"] == "19:30"
    assert found["locatie"] == "Stadhuis Dordrecht"
    assert [item["titel"] for item in found["agenda"]] == ["Jaarplan"]
    assert found["besluitenlijstVastgesteldOp"] is None
    assert "besluiten" not in found["_links"]  # no adopted list yet
    assert body(Client().get(f"/api/v1/vergaderingen/{world['meeting'].pk}"))["aanvang"] is None
