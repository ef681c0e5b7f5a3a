"""Open by default (issue 28): an anonymous reader reads what is final, and nothing else."""

import datetime
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from finance.models import BudgetYear
from meetings import meetings
from openbaar import gate
from smartdelta.formatting import format_euro

from .conftest import SECRETS, escalation_texts, text_of, walk

pytestmark = pytest.mark.django_db


def test_an_anonymous_reader_reaches_every_public_page_and_document(world):
    seen = walk(Client())
    failed = {path: r.status_code for path, r in seen.items() if r.status_code != 200}
    assert not failed
    paths = set(seen)
    # What is final is all there: the adopted budget, each theme, the meeting, its decision
    # list and published paper, the issued letter with its record, and every sitemap.
    meeting = world["meeting"]
    assert reverse("openbaar:budget", args=[2024]) in paths
    assert reverse("openbaar:theme", args=[world["table"].theme.slug]) in paths
    assert reverse("openbaar:meeting", args=[meeting.pk]) in paths
    assert reverse("openbaar:decision-list", args=[meeting.pk]) in paths
    published = world["published"]
    assert reverse("openbaar:paper", args=[published.pk, published.original_name]) in paths
    assert reverse("openbaar:letter-pdf", args=[world["letter"].pk]) in paths
    assert reverse("openbaar:letter-record", args=[world["letter"].pk]) in paths
    for number in ("006", "008", "009"):
        assert f"/sitemapindex-diwoo-infocat{number}.xml" in paths
        assert reverse("openbaar:sitemap", args=[number, 1]) in paths
    # And the API: each collection's pages and each public object, the issued letter too.
    assert reverse("api:begroting", args=[2024]) in paths
    assert reverse("api:vergadering", args=[meeting.pk]) in paths
    assert reverse("api:document", args=[f"stuk-{published.pk}"]) in paths
    assert reverse("api:document", args=[f"brief-{world['letter'].pk}"]) in paths
    assert "/api/v1/deelnames?pagina=2" in paths  # a next page, followed
    assert "/api/v1/openapi.json" in paths


def test_the_walk_visits_every_public_url_pattern(world):
    """A new public URL must be reachable by the walk above (and so by the leak checks)."""
    resolver = get_resolver()
    names = {
        f"{r.namespace}:{p.name}"
        for r in resolver.url_patterns
        if getattr(r, "namespace", None) in ("openbaar", "api")
        for p in r.url_patterns
        if isinstance(p, URLPattern)
    }
    names.discard("api:elders")  # every other address under /api/v1: a 404, reached by nothing
    reached = set()
    for path in walk(Client()):
        match = resolver.resolve(urlsplit(path).path)
        reached.add(match.view_name)
    assert {"openbaar:index", "api:ingang", "api:bijdragen"} <= names
    assert names <= reached, names - reached


def test_nothing_that_is_not_final_reaches_an_anonymous_reader(world):
    secrets = SECRETS + escalation_texts()
    for path, response in walk(Client()).items():
        body = text_of(response)
        leaked = [secret for secret in secrets if secret in body]
        assert not leaked, (path, leaked)
        assert "csrftoken" not in response.cookies, path


def _row(body: str, municipality: str) -> str:
    match = re.search(rf'<th scope="row">{municipality}</th><td>(.*?)</td>', body)
    assert match, municipality
    return match.group(1)


def test_a_theme_shows_only_confirmed_positions_in_force(world):
    body = Client().get(reverse("openbaar:theme", args=[world["table"].theme.slug])).text
    section = body[body.index("Openbaar-toets") :]
    # Confirmed: shown with its decision.
    assert _row(section, "Dordrecht").startswith("Volledige participatie")
    assert "RB-2024-17" in _row(section, "Dordrecht")
    # Submitted, not confirmed: not yet decided (never the submitted variant).
    assert _row(section, "Zwijndrecht") == "nog niet besloten"
    # Confirmed "geen deelname" while a change to "volledig" waits as concept: the confirmed one.
    assert _row(section, "Papendrecht").startswith("Geen deelname")
    # Nobody decided yet.
    assert _row(section, "Sliedrecht") == "nog niet besloten"


def test_a_theme_shows_the_progress_and_milestones_of_its_projects(world):
    body = Client().get(reverse("openbaar:theme", args=[world["table"].theme.slug])).text
    section = body[body.index("Openbaar-toets") :]
    assert "Voortgang 15 mei 2024: op koers." in section
    assert "Veertig deelnemers ingestroomd." in section
    assert "Eerste cohort gestart: gepland 1 juni 2024" in section
    # The results: the public project's indicators (never an idea's).
    assert "Resultaten van Openbaar-toets" in section
    assert "Deelnemers ingestroomd" in body
    assert "Mijlpaal van een idee" not in body


def test_what_is_not_final_answers_404_to_an_anonymous_request(world):
    client = Client()
    hidden, regie, unsent = world["hidden"], world["regie"], world["unsent"]
    withheld, regie_paper = world["withheld"], world["regie_paper"]
    not_found = [
        reverse("openbaar:budget", args=[2026]),  # a concept budget
        reverse("openbaar:meeting", args=[hidden.pk]),  # papers not sent
        reverse("openbaar:decision-list", args=[hidden.pk]),  # list not adopted
        reverse("openbaar:meeting", args=[regie.pk]),  # a regiekamer's
        reverse("openbaar:decision-list", args=[regie.pk]),
        reverse("openbaar:paper", args=[unsent.pk, unsent.original_name]),
        reverse("openbaar:paper", args=[withheld.pk, withheld.original_name]),
        reverse("openbaar:paper", args=[regie_paper.pk, regie_paper.original_name]),
        reverse("openbaar:letter-pdf", args=[world["waiting_letter"].pk]),
        reverse("openbaar:letter-record", args=[world["waiting_letter"].pk]),
        reverse("openbaar:sitemap-index", args=["001"]),  # a category we do not publish
        reverse("openbaar:sitemap", args=["008", 2]),
    ]
    for url in not_found:
        assert client.get(url).status_code == 404, url
    # The portal's own pages of the same things stay behind the login.
    for url in (
        reverse("regiekamer:escalation-detail", args=[world["escalation"].pk]),
        reverse("finance:what-if", args=[2024]),
        reverse("finance:budget-detail", args=[2026]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_withheld_paper_is_listed_with_its_reason_and_without_its_file(world):
    withheld = world["withheld"]
    body = Client().get(reverse("openbaar:meeting", args=[world["meeting"].pk])).text
    assert "onderhandeling.pdf: niet openbaar" in body
    assert "economische belangen" in body
    assert reverse("openbaar:paper", args=[withheld.pk, withheld.original_name]) not in body
    published = world["published"]
    assert reverse("openbaar:paper", args=[published.pk, published.original_name]) in body


def test_withdrawing_a_published_paper_keeps_it_listed_with_its_reason(world):
    paper = world["published"]
    url = reverse("openbaar:paper", args=[paper.pk, paper.original_name])
    assert Client().get(url).status_code == 200
    paper.refresh_from_db()  # sending the papers stamped it
    meetings.set_paper_publicity(
        world["office"],
        paper,
        public=False,
        woo_reason="Artikel 5.1 lid 2 sub e Woo: persoonlijke levenssfeer.",
        seen_version=paper.version,
    )
    assert Client().get(url).status_code == 404
    body = Client().get(reverse("openbaar:meeting", args=[world["meeting"].pk])).text
    assert "voortgang-2024.pdf: niet openbaar" in body
    assert "persoonlijke levenssfeer" in body


def test_the_public_budget_equals_the_issued_letter_to_the_cent(world):
    letter = world["letter"]
    body = Client().get(reverse("openbaar:budget", args=[2024])).text
    match = re.search(
        r'<th scope="row" id="b-r\d+" headers="b-gemeente">Dordrecht</th>(.*?)</tr>', body, re.S
    )
    assert match
    cells = re.findall(r'<td class="num"[^>]*>(?:<strong>)?([^<]+)', match.group(1))
    figures = letter.figures
    expected = [
        format_euro(Decimal(figures[key]))
        for key in ("component_1", "component_2", "component_3", "total")
    ]
    assert cells == expected
    assert Decimal(figures["total"]) > 0


def test_public_answers_are_conditional_and_change_with_a_decision(world, monkeypatch):
    # One day throughout (the version holds the day: the results show the target ahead of
    # it), so a run that passes midnight gives the same answers.
    monkeypatch.setattr(gate.timezone, "localdate", lambda: datetime.date(2026, 3, 2))
    client = Client()
    url = reverse("openbaar:meeting-list")
    first = client.get(url)
    etag = first["ETag"]
    assert "public" in first["Cache-Control"] and "max-age" in first["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    # A decision list adopted elsewhere changes every public answer's version.
    office, table = world["office"], world["table"]
    meeting = meetings.plan_meeting(office, table, date=datetime.date(2024, 5, 1))
    from meetings import decisions

    decisions.record_decision(office, meeting, text="Nieuw besluit.")
    meeting.refresh_from_db()
    decisions.adopt_decisions(office, meeting, seen_version=meeting.version)
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "2024" in changed.text
    # The next day is another version: what lies ahead of today has moved.
    monkeypatch.setattr(gate.timezone, "localdate", lambda: datetime.date(2026, 3, 3))
    next_day = client.get(url, headers={"If-None-Match": changed["ETag"]})
    assert next_day.status_code == 200 and next_day["ETag"] != changed["ETag"]


def test_a_letter_answers_by_its_own_checksum(world):
    letter = world["letter"]
    client = Client()
    response = client.get(reverse("openbaar:letter-pdf", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 brief"
    assert letter.sha256 in response["ETag"]
    again = client.get(
        reverse("openbaar:letter-pdf", args=[letter.pk]),
        headers={"If-None-Match": response["ETag"]},
    )
    assert again.status_code == 304


def test_public_views_answer_get_only(world):
    client = Client()
    for url in (reverse("openbaar:index"), "/robots.txt", "/sitemapindex-diwoo-infocat006.xml"):
        assert client.post(url).status_code == 405


def test_a_concept_budget_is_not_listed(world):
    assert BudgetYear.objects.filter(year=2026, status="concept").exists()
    body = Client().get(reverse("openbaar:index")).text
    assert reverse("openbaar:budget", args=[2024]) in body
    assert reverse("openbaar:budget", args=[2026]) not in body


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_public_lists_read_a_fixed_number_of_queries(world):
    """The theme page and the meetings read the same number of queries with one more row or
    ten: the data's version (1); the theme, its projects, the seven, their confirmed positions,
    the milestones and the progress (6); the results (`results.subject`: 3, and the public
    projects' ids); a list's count and page (2). The letters' list reads
    its count and page the same way (issuing ten letters is left out: it renders each)."""
    from meetings import decisions
    from portfolio.models import Milestone, ProgressUpdate
    from tests.conftest import make_position, make_project

    from .conftest import CONFIRMED

    client = Client()
    theme = world["table"].theme
    urls = [
        reverse("openbaar:theme", args=[theme.slug]),
        reverse("openbaar:meeting-list"),
        reverse("openbaar:letter-list"),
    ]
    before = [_queries(client, url) for url in urls]
    for n in range(10):
        project = make_project(f"Extra {n}", theme=theme, lead=world["orgs"]["dordrecht"])
        project.status = "lopend"
        project.save()
        make_position(project, world["orgs"]["sliedrecht"], "volledig", **CONFIRMED)
        Milestone.objects.create(project=project, title="M", due_date=datetime.date(2024, 7, 1))
        ProgressUpdate.objects.create(
            project=project, date=datetime.date(2024, 7, 1), light="aandacht", text="T"
        )
        meeting = meetings.plan_meeting(
            world["office"], world["table"], date=datetime.date(2024, 6, 1 + n)
        )
        decisions.record_decision(world["office"], meeting, text=f"Besluit {n}.")
        meeting.refresh_from_db()
        decisions.adopt_decisions(world["office"], meeting, seen_version=meeting.version)
    after = [_queries(client, url) for url in urls]
    assert after == before
    assert Client().get(urls[1]).text.count("besluitenlijst</a>") >= 11
    assert before[0] <= 13


def test_a_theme_with_many_projects_shows_them_a_page_at_a_time(world):
    """A theme may hold hundreds of projects, each with seven decisions: 25 a page, by name,
    with links to the next page; a project's results stand in its own section."""
    from openbaar.views import THEME_PROJECTS
    from tests.conftest import make_project

    theme = world["table"].theme
    for n in range(THEME_PROJECTS + 3):
        make_project(f"Zz-project {n:02d}", theme=theme, lead=world["orgs"]["dordrecht"],
                     status="lopend")  # fmt: skip
    url = reverse("openbaar:theme", args=[theme.slug])
    first = Client().get(url).text
    total = gate.projects().filter(theme=theme).count()
    assert first.count("<section ") == THEME_PROJECTS
    assert f"{total} projecten, {THEME_PROJECTS} per pagina" in first
    assert 'href="?page=2" rel="next"' in first
    # The public project with results sorts first by name and carries them in its section.
    section = first[first.index('id="project-') :]
    assert "Resultaten van Openbaar-toets" in section
    last_page = (total + THEME_PROJECTS - 1) // THEME_PROJECTS
    last = Client().get(f"{url}?page={last_page}").text
    assert last.count("<section ") == total - THEME_PROJECTS * (last_page - 1)
    assert "Zz-project 27" in last and "Zz-project 27" not in first
    assert 'rel="prev"' in last


def test_a_public_answer_is_the_same_for_everyone_and_does_not_vary_by_cookie(world):
    """A proxy or CDN keeps one copy of a public answer for all readers: it does not vary by
    cookie and sets none. A signed-in reader's answer is kept by nobody (no-store, as every
    signed-in page) and shows them nothing of their own."""
    from tests.conftest import client_for

    url = reverse("openbaar:index")
    anonymous = Client().get(url)
    assert anonymous.status_code == 200 and not anonymous.cookies
    assert "cookie" not in anonymous.get("Vary", "").lower()
    assert "public" in anonymous["Cache-Control"]
    signed_in = client_for(world["office"]).get(url)
    assert signed_in["Cache-Control"] == "no-store"
    assert world["office"].get_full_name() not in signed_in.text
    assert "Uitloggen" not in signed_in.text
    # A signed-in page still varies by cookie and is kept by nobody.
    private = client_for(world["office"]).get(reverse("dashboard"))
    assert "Cookie" in private["Vary"] and "public" not in private.get("Cache-Control", "")
    api = Client().get("/api/v1/themas")
    assert "cookie" not in api.get("Vary", "").lower() and "public" in api["Cache-Control"]
