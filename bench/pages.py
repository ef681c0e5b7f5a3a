"""The key pages of the portal as measured by `make bench`, the load run and tests/bench.

`key_pages()` picks concrete URLs from whatever data is in the database (the demo plus
`make_bench_data`), so the same list serves the benchmark on the large data set and the
query-bound tests on small ones. Each page names the bench user that opens it: a page is
measured as someone of the role that uses it.
"""

from dataclasses import dataclass, field

from portal.management.commands.make_bench_data import PROJECT_PREFIX

HTMX = {"HX-Request": "true", "HX-Target": "results", "HX-Current-URL": "/projecten/"}
MUNICIPALITY = "dordrecht"
BUDGET_YEAR = 2026


@dataclass
class Page:
    name: str
    url: str
    username: str
    headers: dict = field(default_factory=dict)
    # html, pdf or baseline; "conditional": the page asked again with the ETag it answered
    # (If-None-Match), as a proxy or harvester asks: 304 without rendering.
    kind: str = "html"

    def as_dict(self):
        return {"name": self.name, "url": self.url, "user": self.username, "kind": self.kind}


def key_pages() -> list[Page]:
    from django.db.models import Count

    from finance.models import BudgetYear
    from portfolio.models import Project, Theme
    from results.models import Indicator
    from tables.models import BoardTable, Escalation

    project = (
        Project.objects.filter(name__startswith=PROJECT_PREFIX).order_by("pk").first()
        or Project.objects.order_by("pk").first()
    )
    # The theme with the most projects: the fullest sorteerbak and table page.
    theme = Theme.objects.get(pk=project.theme_id)
    table = BoardTable.objects.select_related("theme").get(theme=theme)
    escalation = Escalation.objects.filter(project__isnull=False).order_by("-pk").first()
    # The indicator with the most measurements: the longest indicator page.
    indicator = Indicator.objects.annotate(n=Count("measurements")).order_by("-n", "pk").first()
    measured = Theme.objects.annotate(n=Count("projects__indicators")).order_by("-n", "pk").first()
    years = set(BudgetYear.objects.values_list("year", flat=True))
    year = BUDGET_YEAR if BUDGET_YEAR in years else max(years)
    official = f"bench-ambtenaar-{MUNICIPALITY}"
    councillor = f"bench-raadslid-{MUNICIPALITY}"
    secretary = f"bench-secretaris-{MUNICIPALITY}"
    office = "bench-programmabureau"
    report = f"/gemeenten/{MUNICIPALITY}/bijdrage/{year}/"
    return [
        Page("healthz", "/healthz", "", kind="baseline"),
        # The same ping signed in: what every signed-in page pays before its view runs (the
        # session and the user read, the middleware), beside the target's yardstick. No target.
        Page("healthz ingelogd", "/healthz", official, kind="baseline"),
        Page("dashboard", "/", official),
        Page("projecten", "/projecten/", official),
        Page(
            "projecten htmx-filter",
            "/projecten/?status=lopend&municipality=dordrecht&variant=volledig",
            official,
            HTMX,
        ),
        Page("sorteerbak", f"/projecten/sorteerbak/{theme.slug}/", official),
        Page("project", f"/projecten/{project.pk}/", official),
        Page("regiekamer", "/regiekamer/", secretary),
        Page("escalatie", f"/regiekamer/escalaties/{escalation.pk}/", secretary),
        Page("tafel", f"/tafels/{table.theme.slug}/", office),
        Page("zoeken", "/zoeken/?q=haven", secretary),
        Page("acties", "/tafels/acties/overzicht/", official),
        Page("begroting", f"/begroting/{year}/", office),
        # What the collaboration delivers (issue 27).
        Page("resultaten", "/resultaten/", councillor),
        # The theme with the most project indicators: its first page of them.
        Page("resultaten thema", f"/resultaten/?thema={measured.slug}", councillor),
        Page("indicator", f"/resultaten/indicatoren/{indicator.pk}/", councillor),
        Page("lokale agenda", f"/resultaten/agenda/{MUNICIPALITY}/", councillor),
        Page("cyclus tafels", "/tafels/cyclus/", secretary),
        # What waits on a municipality, and on each of the seven (issue 29).
        Page("wat wacht op", f"/gemeenten/{MUNICIPALITY}/wat-wacht/", official),
        Page("per gemeente", "/gemeenten/wat-wacht/", secretary),
        Page("bijdrage gemeente", report, councillor),
        Page("projecten gemeente", report + "projecten/", councillor),
        Page("raadsbrief.pdf", report + "raadsbrief.pdf", councillor, kind="pdf"),
        *public_pages(),
    ]


def public_pages() -> list[Page]:
    """What anyone reads without an account (issue 28), as an anonymous crawler: the public
    pages, the DiWoo sitemaps, and each again as a conditional request."""
    from django.db.models import Count

    from openbaar import gate

    theme = gate.themes().annotate(n=Count("projects")).order_by("-n", "pk").first()
    adopted = gate.budgets().order_by("-year").values_list("year", flat=True).first()
    pages = [
        Page("openbaar", "/openbaar/", ""),
        Page("openbaar vergaderingen", "/openbaar/vergaderingen/", ""),
        Page("openbaar brieven", "/openbaar/brieven/", ""),
        Page("sitemap besluiten", "/sitemapindex-diwoo-infocat009.xml", ""),
        # The API (api/): the largest collections, a page of each as a harvester reads it.
        Page("api projecten", "/api/v1/projecten", ""),
        Page("api deelnames", "/api/v1/deelnames?paginaGrootte=100", ""),
        Page("api bijdragen", "/api/v1/bijdragen", ""),
    ]
    if theme is not None:
        pages.insert(1, Page("openbaar thema", f"/openbaar/themas/{theme.slug}/", ""))
    if adopted is not None:
        pages.insert(2, Page("openbaar begroting", f"/openbaar/begroting/{adopted}/", ""))
    conditional = [p for p in pages if p.name in ("openbaar", "openbaar thema", "api bijdragen")]
    return pages + [
        Page(f"{page.name} (304)", page.url, "", kind="conditional") for page in conditional
    ]


def etag_of(client, page: Page) -> dict:
    """The If-None-Match header that makes `page` a conditional request (a first request asks
    for its ETag)."""
    if page.kind != "conditional":
        return page.headers
    return {**page.headers, "If-None-Match": client.get(page.url)["ETag"]}


def make_letters(pages) -> None:
    """Make the council letters of `pages` as the task worker does (in this process), so that
    a letter is measured as it is served: the kept PDF, not the page saying it is being made.
    Needed again after a change that moves the letter's figures (a new state, a new PDF)."""
    from django.urls import resolve

    from finance.letters import concept_letter
    from finance.tasks import render_letter

    for page in pages:
        if page.kind == "pdf":
            kwargs = resolve(page.url).kwargs
            render_letter.call(concept_letter(kwargs["slug"], kwargs["year"]).html_sha256)


def count_queries(pages, repeat: int = 2) -> dict:
    """SQL queries per page, in this process with Django's test Client, as the page's user.

    Each page is requested `repeat` times: `queries_cold` is the first request (per-process
    caches empty or just invalidated), `queries` the last (warm, as most requests are). The
    letters are made first (`make_letters`): their request serves the kept PDF.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from smartdelta.models import User

    make_letters(pages)

    results, clients = {}, {}
    for page in pages:
        if page.username not in clients:
            clients[page.username] = client = Client()
            if page.username:
                client.force_login(User.objects.get(username=page.username))
        counts = []
        headers = etag_of(clients[page.username], page)
        for _ in range(1 if page.kind == "pdf" else repeat):
            with CaptureQueriesContext(connection) as ctx:
                response = clients[page.username].get(page.url, headers=headers)
            counts.append(len(ctx.captured_queries))
        results[page.name] = {
            "queries_cold": counts[0],
            "queries": counts[-1],
            "status_inprocess": response.status_code,
        }
    return results
