"""Load run: 50 logged-in users browsing the key pages, officials saving positions, and a burst
of 10 council letters requested together while the pages are measured.

Run by scripts/bench-load (locust headless, in its own virtualenv .venv-load). Reads the page
list that scripts/bench-load wrote (BENCH_PAGES, JSON of bench/pages.py) so it never imports
Django. Page requests made while the letters render are reported under their own name,
"<pagina> [tijdens 10 pdf's]", and so are those made while users are still logging in,
"<pagina> [tijdens inloggen]" (each login hashes a password for about half a second of CPU, on
the two cores the whole run shares), so the steady state can be compared with both.

Targets (issue 18): outside those two periods every HTML page p95 < 150 ms; during the letters
p95 < 300 ms; no request over 1 s that is not a letter, an export or a login.
"""

import json
import os
import random
import re
import time
import uuid

import gevent
from locust import HttpUser, between, events, task

PAGES = json.loads(open(os.environ["BENCH_PAGES"]).read())
PASSWORD = PAGES["password"]
BY_NAME = {p["name"]: p for p in PAGES["pages"]}
PROJECT_IDS = PAGES["project_ids"]
CORES = PAGES["core_slugs"]
BURST_AT = float(os.environ.get("LOAD_BURST_AT", "45"))  # seconds after the start
BURST_SIZE = 10
HTML_P95_TARGET_MS = 150
BURST_P95_TARGET_MS = 300
MAX_TARGET_MS = 1000

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d*)"')
state = {"start": None, "burst": False, "spawned": False, "saves": []}
BURST_LABEL = " [tijdens 10 pdf's]"
LOGIN_LABEL = " [tijdens inloggen]"


@events.test_start.add_listener
def _started(environment, **kwargs):
    state["start"] = time.monotonic()


@events.spawning_complete.add_listener
def _spawned(user_count, **kwargs):
    state["spawned"] = True


def label(name: str) -> str:
    if state["burst"]:
        return name + BURST_LABEL
    return name if state["spawned"] else name + LOGIN_LABEL


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self):
        slug = random.choice(CORES)
        self.slug = slug
        self.username = (
            "bench-programmabureau"
            if self.role == "programmabureau"
            else f"bench-{self.role}-{slug}"
        )
        page = self.client.get("/accounts/login/", name="login (formulier)")
        token = TOKEN.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login {self.username}: HTTP {response.status_code}")

    def page(self, name, url=None, headers=None):
        spec = BY_NAME[name]
        self.client.get(url or spec["url"], name=label(name), headers=headers or spec["headers"])


class Official(PortalUser):
    weight = 20
    role = "ambtenaar"

    @task(3)
    def dashboard(self):
        self.page("dashboard")

    @task(3)
    def portfolio(self):
        self.page("projecten")
        self.page("projecten htmx-filter")

    @task(2)
    def sorteerbak(self):
        self.page("sorteerbak")

    @task(3)
    def project(self):
        self.page("project", f"/projecten/{random.choice(PROJECT_IDS)}/")

    @task(2)
    def save_position(self):
        """Open the own municipality's position and save a change, as the form does."""
        project = random.choice(PROJECT_IDS)
        url = f"/projecten/{project}/positie/{self.slug}/"
        form = self.client.get(url, name=label("positie (formulier)"))
        token, version = TOKEN.search(form.text), VERSION.search(form.text)
        if not token or not version:
            return
        note = f"load {uuid.uuid4().hex[:12]}"
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "variant": random.choice(["volledig", "geen"]),
            "note": note,
            "version": version.group(1),
        }
        with self.client.post(
            url, data, name=label("positie opslaan"), allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302:
                state["saves"].append((project, self.slug, note))
            elif response.status_code == 200 and "intussen gewijzigd" in response.text:
                response.success()  # a refused conflicting save is correct behaviour
            else:
                response.failure(f"opslaan: HTTP {response.status_code}")


class Councillor(PortalUser):
    weight = 15
    role = "raadslid"

    @task(3)
    def dashboard(self):
        self.page("dashboard")

    @task(4)
    def report(self):
        self.page(
            "bijdrage gemeente", BY_NAME["bijdrage gemeente"]["url"].replace("dordrecht", self.slug)
        )

    @task(2)
    def budget(self):
        self.page("begroting")


class Secretary(PortalUser):
    weight = 10
    role = "secretaris"

    @task(2)
    def overview(self):
        self.page("regiekamer")

    @task(3)
    def escalation(self):
        self.page("escalatie")

    @task(1)
    def dashboard(self):
        self.page("dashboard")


class Office(PortalUser):
    weight = 5
    role = "programmabureau"

    @task
    def table(self):
        self.page("tafel")

    @task
    def budget(self):
        self.page("begroting")

    @task
    def project(self):
        self.page("project", f"/projecten/{random.choice(PROJECT_IDS)}/")


class LetterBurst(PortalUser):
    """Ten councillors who download their letter at the same moment, once."""

    fixed_count = BURST_SIZE
    role = "raadslid"
    wait_time = between(3600, 3600)
    arrived = 0

    @task
    def burst(self):
        gevent.sleep(max(0, state["start"] + BURST_AT - time.monotonic()))
        state["burst"] = True
        url = BY_NAME["raadsbrief.pdf"]["url"].replace("dordrecht", self.slug)
        started = time.monotonic()
        self.client.get(url, name="raadsbrief.pdf (10 tegelijk)")
        LetterBurst.arrived += 1
        if LetterBurst.arrived == BURST_SIZE:
            state["burst"] = False
            state["burst_seconds"] = time.monotonic() - started


@events.quitting.add_listener
def _summary(environment, **kwargs):
    stats = environment.stats
    rows = []
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        rows.append(
            {
                "name": entry.name,
                "method": entry.method,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "rps": round(entry.total_rps, 2),
                "p50_ms": entry.get_response_time_percentile(0.5),
                "p95_ms": entry.get_response_time_percentile(0.95),
                "p99_ms": entry.get_response_time_percentile(0.99),
                "max_ms": entry.max_response_time,
            }
        )
    total = stats.total
    summary = {
        "users": environment.runner.user_count if environment.runner else None,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": round(total.total_rps, 1),
        "confirmed_saves": len(state["saves"]),
        "endpoints": rows,
    }
    lines = []
    print = lines.append  # collected, then written to LOAD_TEXT
    print(
        f"Load: {total.num_requests} requests, {total.total_rps:.1f} req/s, "
        f"{total.num_failures} fouten, {len(state['saves'])} bevestigde opslagen"
    )
    head = (
        f"{'endpoint':<44} {'aantal':>6} {'fout':>4} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6}"
        f" {'max':>6}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['name']:<44} {r['requests']:>6} {r['failures']:>4} {r['rps']:>6.2f} "
            f"{r['p50_ms']:>6.0f} {r['p95_ms']:>6.0f} {r['p99_ms']:>6.0f} {r['max_ms']:>6.0f}"
        )
    pages = [
        r
        for r in rows
        if r["method"] == "GET" and "raadsbrief" not in r["name"] and "login" not in r["name"]
    ]
    steady = [r for r in pages if BURST_LABEL not in r["name"] and LOGIN_LABEL not in r["name"]]
    slow = [r["name"] for r in steady if r["p95_ms"] > HTML_P95_TARGET_MS]
    slow_burst = [
        r["name"] for r in pages if BURST_LABEL in r["name"] and r["p95_ms"] > BURST_P95_TARGET_MS
    ]
    too_long = [
        r["name"]
        for r in rows
        if "raadsbrief" not in r["name"]
        and "login" not in r["name"].split(" [")[0]
        and r["max_ms"] > MAX_TARGET_MS
    ]
    if slow:
        print(f"p95 boven {HTML_P95_TARGET_MS} ms: {', '.join(slow)}")
    if slow_burst:
        print(f"p95 tijdens de brieven boven {BURST_P95_TARGET_MS} ms: {', '.join(slow_burst)}")
    if too_long:
        print(f"een verzoek boven {MAX_TARGET_MS} ms: {', '.join(too_long)}")
    for error in stats.errors.values():
        print(f"fout: {error.method} {error.name}: {error.error} (×{error.occurrences})")
    text = "\n".join(lines) + "\n"
    if os.environ.get("LOAD_TEXT"):
        with open(os.environ["LOAD_TEXT"], "w") as f:
            f.write(text)
    out = os.environ.get("LOAD_JSON")
    if out:
        summary["saves"] = state["saves"]
        with open(out, "w") as f:
            json.dump(summary, f, indent=2)
    missed = total.num_failures or slow or slow_burst or too_long
    environment.process_exit_code = 1 if missed else 0
