"""Measures the key pages: server time over HTTP against gunicorn, SQL queries in-process.

    python bench/run.py --base-url http://127.0.0.1:PORT [--n 30] [--out bench/results]

Time: the client-side duration of each request against the local gunicorn (a new connection
per request, as the sync workers close it), after warm-up requests so every worker has its
caches; the pages are requested round-robin so a slow moment hits all of them alike.
Queries: Django's test Client with CaptureQueriesContext, in this process, against the same
database (the same settings and DATABASE_URL); the count of the second request (warm caches,
as in the timed run). The first request's count is in the JSON as `queries_cold`.
The council letter is made first, in this process, as the task worker makes it
(`bench.pages.make_letters`): gunicorn never renders one, and its timed requests serve the
kept PDF.
"""

import argparse
import datetime
import http.cookiejar
import json
import os
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartdelta.settings")

# Issue 31: every page within 8x /healthz at ten times today's data (room for a noisy machine).
HTML_RATIO_TARGET = 8
QUERY_TARGET = 15
# A conditional request answered 304 from the data's version (issue 28): "close to /healthz".
CONDITIONAL_RATIO_TARGET = 3
CONDITIONAL_QUERY_TARGET = 1  # the data's version (openbaar.gate.version), nothing else
# The kept letter as served: the letter's HTML made again to find its digest, then the kept
# bytes (a render took 0.3-0.7 s; serving must not come near it).
PDF_TARGET_S = 0.2


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http_session(base_url: str, username: str, password: str):
    """An opener with a logged-in session (the real login form, CSRF token included)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    if not username:
        return opener
    page = opener.open(f"{base_url}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    try:
        opener.open(f"{base_url}/accounts/login/", data)
    except urllib.error.HTTPError as error:  # 302 to the dashboard: logged in
        if error.code != 302:
            raise
    else:
        raise SystemExit(f"Inloggen als {username} mislukte (geen doorverwijzing).")
    return opener


def timed(opener, url: str, headers: dict) -> tuple[float, int, int]:
    request = urllib.request.Request(url, headers=headers)
    start = time.perf_counter()
    try:
        with opener.open(request, timeout=60) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return time.perf_counter() - start, status, len(body)


def conditional_headers(opener, base_url: str, page) -> dict:
    """A conditional page's headers: its own ETag as If-None-Match, asked once beforehand."""
    if page.kind != "conditional":
        return page.headers
    with opener.open(urllib.request.Request(base_url + page.url), timeout=60) as response:
        return {**page.headers, "If-None-Match": response.headers["ETag"]}


def percentile(values, p):
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))
    return values[index]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--n", type=int, default=int(os.environ.get("BENCH_N", "30")))
    parser.add_argument("--pdf-n", type=int, default=int(os.environ.get("BENCH_PDF_N", "10")))
    # Rounds before the timed ones: the medians are of a server in its steady state. Each of
    # the three workers has its own database connection, on which PostgreSQL prepares a query
    # at its second run and settles on one plan after five more (settings.py,
    # prepare_threshold): ten rounds per worker.
    parser.add_argument("--warmup", type=int, default=int(os.environ.get("BENCH_WARMUP", "30")))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    # Also write the result here (scripts/bench compares the sizes from these files).
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from bench.pages import count_queries, key_pages
    from portal.management.commands.make_bench_data import BENCH_PASSWORD

    pages = key_pages()
    queries = count_queries(pages)
    connection.close()

    openers = {}
    for page in pages:
        if page.username not in openers:
            openers[page.username] = http_session(args.base_url, page.username, BENCH_PASSWORD)
    headers = {page.name: conditional_headers(openers[page.username], args.base_url, page)
               for page in pages}  # fmt: skip
    samples = {page.name: [] for page in pages}
    info = {}
    for round_ in range(args.warmup + args.n):
        for page in pages:
            if page.kind == "pdf" and round_ >= args.warmup + args.pdf_n:
                continue
            seconds, status, size = timed(
                openers[page.username], args.base_url + page.url, headers[page.name]
            )
            if status != (304 if page.kind == "conditional" else 200):
                raise SystemExit(f"{page.name} {page.url}: HTTP {status}")
            if round_ >= args.warmup:
                samples[page.name].append(seconds)
            info[page.name] = size

    base = statistics.median(samples["healthz"])
    rows = []
    for page in pages:
        values = samples[page.name]
        median = statistics.median(values)
        row = {
            **page.as_dict(),
            "n": len(values),
            "median_ms": round(median * 1000, 1),
            "p95_ms": round(percentile(values, 95) * 1000, 1),
            "ratio": round(median / base, 1),
            "bytes": info[page.name],
            **queries[page.name],
        }
        if page.kind == "html":
            row["ok"] = row["ratio"] <= HTML_RATIO_TARGET and row["queries"] <= QUERY_TARGET
        elif page.kind == "pdf":
            row["ok"] = median < PDF_TARGET_S and row["queries"] <= QUERY_TARGET
        elif page.kind == "conditional":
            row["ok"] = (
                row["ratio"] <= CONDITIONAL_RATIO_TARGET
                and row["queries"] <= CONDITIONAL_QUERY_TARGET
            )
        rows.append(row)

    database = settings.DATABASES["default"]
    result = {
        "at": datetime.datetime.now().isoformat(timespec="seconds"),
        "database": f"{database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}",
        "base_url": args.base_url,
        "n": args.n,
        "targets": {
            "html_ratio": HTML_RATIO_TARGET,
            "queries": QUERY_TARGET,
            "pdf_median_s": PDF_TARGET_S,
            "conditional_ratio": CONDITIONAL_RATIO_TARGET,
            "conditional_queries": CONDITIONAL_QUERY_TARGET,
        },
        "data": data_sizes(),
        "pages": rows,
    }
    print_table(result)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"\nJSON: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    if not all(row.get("ok", True) for row in rows):
        print("Niet alle doelen gehaald (zie 'ok').")
        return 1
    return 0


def data_sizes():
    from finance.models import BudgetYear
    from portfolio.models import Position, Project
    from smartdelta.models import Organisation
    from tables.models import BoardTable, Escalation

    return {
        "organisaties": Organisation.objects.count(),
        "projecten": Project.objects.count(),
        "posities": Position.objects.count(),
        "positiehistorie": Position.history.count(),
        "escalaties": Escalation.objects.count(),
        "tafels": BoardTable.objects.count(),
        "begrotingsjaren": BudgetYear.objects.count(),
    }


def verdict(row, targets) -> str:
    """Which target a page missed, in the table's language."""
    missed = []
    if row["kind"] == "pdf" and row["median_ms"] >= targets["pdf_median_s"] * 1000:
        missed.append("te traag")
    if row["kind"] == "html" and row["ratio"] > targets["html_ratio"]:
        missed.append("te traag")
    if row["kind"] == "conditional" and row["ratio"] > targets.get("conditional_ratio", 3):
        missed.append("te traag")
    query_target = (
        targets.get("conditional_queries", 1)
        if row["kind"] == "conditional"
        else targets["queries"]
    )
    if row["queries"] > query_target:
        missed.append("te veel queries")
    return ", ".join(missed).upper()


def print_table(result):
    print(f"\nBench {result['at']} – {result['database']} – n={result['n']}")
    print("Data: " + ", ".join(f"{k} {v}" for k, v in result["data"].items()))
    header = f"{'pagina':<22} {'mediaan ms':>10} {'p95 ms':>8} {'× healthz':>9} {'queries':>7} {'bytes':>8}  doel"
    print(header)
    print("-" * len(header))
    for row in result["pages"]:
        ok = "" if row.get("ok") is None else "ok" if row["ok"] else verdict(row, result["targets"])
        print(
            f"{row['name']:<22} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f} "
            f"{row['ratio']:>9.1f} {row['queries']:>7} {row['bytes']:>8}  {ok}"
        )


if __name__ == "__main__":
    sys.exit(main())
