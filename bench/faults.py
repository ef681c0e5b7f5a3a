"""Fault drills against a running portal on a throwaway PostgreSQL (see scripts/faults).

    python bench/faults.py --base-url URL --pg-stop CMD --pg-start CMD --gunicorn-pid PID

1. PostgreSQL restarted while 8 clients browse and save positions: which requests failed and
   when, how long until all answer again, and whether every confirmed save (302) is in the
   database afterwards (each save carries a unique note, looked up in the history).
2. PostgreSQL stopped for --stop-seconds: pages and /healthz answer 503 (Dutch text) within a
   few seconds instead of hanging; after the start it recovers without restarting gunicorn.
3. One gunicorn worker killed (SIGKILL) under load: the master starts a new one; only the
   requests that worker had in flight fail.
"""

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartdelta.settings")

from bench.run import http_session  # noqa: E402

DUTCH_503 = "Tijdelijk niet beschikbaar"


def request(opener, url, data=None, timeout=30):
    started = time.monotonic()
    body = b""
    try:
        with opener.open(url, data=data, timeout=timeout) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
        status = f"{type(error).__name__}"
    return status, time.monotonic() - started, body.decode("utf-8", "replace")


class Clients:
    """Threads that browse and save positions until stopped, recording every request."""

    def __init__(self, base, openers, pages, projects, count=8):
        self.base, self.openers, self.pages, self.projects = base, openers, pages, projects
        self.count = count
        self.log = []  # (t, kind, status, seconds)
        self.saves = []  # notes of confirmed saves
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def record(self, kind, status, seconds):
        with self.lock:
            self.log.append((time.monotonic(), kind, status, seconds))

    def run(self, index):
        rng = random.Random(index)
        official, slug = self.openers[index % len(self.openers)]
        while not self.stop.is_set():
            if rng.random() < 0.3:
                self.save(official, slug, rng)
            else:
                url = rng.choice(self.pages)
                status, seconds, _ = request(official, self.base + url)
                self.record("pagina", status, seconds)
            time.sleep(rng.uniform(0.05, 0.2))

    def save(self, opener, slug, rng):
        import re

        url = f"{self.base}/projecten/{rng.choice(self.projects)}/positie/{slug}/"
        status, seconds, page = request(opener, url)
        if status != 200:
            self.record("opslaan", status, seconds)
            return
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        version = re.search(r'name="version" value="(\d*)"', page)
        note = f"fault {uuid.uuid4().hex[:12]}"
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "variant": rng.choice(["volledig", "geen"]),
                "note": note,
                "version": version.group(1),
            }
        ).encode()
        status, seconds, _ = request(opener, url, data)
        self.record("opslaan", status, seconds)
        if status == 302:
            with self.lock:
                self.saves.append(note)

    def __enter__(self):
        self.threads = [
            threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(self.count)
        ]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def summary(self, since=0.0):
        rows = [r for r in self.log if r[0] >= since]
        ok = [r for r in rows if r[2] in (200, 302)]
        failed = [r for r in rows if r[2] not in (200, 302)]
        return rows, ok, failed


def lost_saves(notes):
    from django.db import connection

    from portfolio.models import Position

    connection.close()  # this process's connection did not survive the restart either

    stored = set(Position.history.filter(note__in=notes).values_list("note", flat=True).distinct())
    return [n for n in notes if n not in stored]


def run(cmd):
    subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL)


def drill_restart(args, clients_args, report):
    with Clients(*clients_args) as clients:
        time.sleep(4)
        down = time.monotonic()
        run(args.pg_restart)
        up = time.monotonic()
        time.sleep(8)
    rows, ok, failed = clients.summary()
    after = [r for r in rows if r[0] > up + 2]
    first_fail = min((r[0] for r in failed), default=None)
    last_fail = max((r[0] for r in failed), default=None)
    lost = lost_saves(clients.saves)
    report["restart"] = {
        "requests": len(rows),
        "failed": len(failed),
        "failed_statuses": sorted({str(r[2]) for r in failed}),
        "restart_seconds": round(up - down, 2),
        "failures_from_s": round(first_fail - down, 2) if failed else None,
        "failures_until_s": round(last_fail - down, 2) if failed else None,
        "failed_after_restart_plus_2s": sum(1 for r in after if r[2] not in (200, 302)),
        "confirmed_saves": len(clients.saves),
        "lost_saves": len(lost),
    }
    r = report["restart"]
    print(
        f"1. PostgreSQL herstart onder belasting: {r['requests']} verzoeken, {r['failed']} mislukt "
        f"({', '.join(r['failed_statuses']) or '-'}), herstart duurde {r['restart_seconds']} s, "
        f"fouten tussen {r['failures_from_s']} en {r['failures_until_s']} s na de herstart-opdracht; "
        f"na herstel +2 s: {r['failed_after_restart_plus_2s']} mislukt; "
        f"{r['confirmed_saves']} bevestigde opslagen, {r['lost_saves']} kwijt."
    )
    return r["failed_after_restart_plus_2s"] == 0 and r["lost_saves"] == 0


def drill_stop(args, base, opener, page, report):
    run(args.pg_stop)
    stopped = time.monotonic()
    samples = []
    while time.monotonic() - stopped < args.stop_seconds:
        for url in ("/healthz", page):
            status, seconds, body = request(opener, base + url)
            samples.append((url, status, seconds, DUTCH_503 in body or url == "/healthz"))
        time.sleep(1)
    run(args.pg_start)
    started = time.monotonic()
    recovered = None
    while time.monotonic() - started < 30:
        if request(opener, base + page)[0] == 200 and request(opener, base + "/healthz")[0] == 200:
            recovered = time.monotonic() - started
            break
        time.sleep(0.2)
    pages = [s for s in samples if s[0] == page]
    health = [s for s in samples if s[0] == "/healthz"]
    report["stop"] = {
        "stopped_seconds": args.stop_seconds,
        "page_statuses": sorted({str(s[1]) for s in pages}),
        "healthz_statuses": sorted({str(s[1]) for s in health}),
        "page_dutch_503": all(s[3] for s in pages),
        "page_seconds_median": round(statistics.median(s[2] for s in pages), 3),
        "page_seconds_max": round(max(s[2] for s in pages), 3),
        "healthz_seconds_max": round(max(s[2] for s in health), 3),
        "recovered_after_start_s": round(recovered, 2) if recovered is not None else None,
    }
    r = report["stop"]
    print(
        f"2. PostgreSQL {r['stopped_seconds']} s gestopt: pagina {'/'.join(r['page_statuses'])} "
        f"(Nederlandse 503: {'ja' if r['page_dutch_503'] else 'NEE'}) in mediaan "
        f"{r['page_seconds_median']} s, hoogstens {r['page_seconds_max']} s; /healthz "
        f"{'/'.join(r['healthz_statuses'])} in hoogstens {r['healthz_seconds_max']} s; "
        f"weer 200 {r['recovered_after_start_s']} s na de start, zonder gunicorn te herstarten."
    )
    return (
        r["page_statuses"] == ["503"]
        and r["healthz_statuses"] == ["503"]
        and r["page_dutch_503"]
        and r["page_seconds_max"] < 5
        and r["recovered_after_start_s"] is not None
    )


def workers(master):
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return sorted(int(p) for p in out.split())


def drill_kill_worker(args, clients_args, report):
    before = workers(args.gunicorn_pid)
    with Clients(*clients_args) as clients:
        time.sleep(3)
        victim = before[0]
        killed = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        replaced = None
        while time.monotonic() - killed < 20:
            now = workers(args.gunicorn_pid)
            if len(now) == len(before) and victim not in now:
                replaced = time.monotonic() - killed
                break
            time.sleep(0.1)
        time.sleep(5)
    rows, ok, failed = clients.summary()
    report["kill_worker"] = {
        "workers": len(before),
        "replaced_after_s": round(replaced, 2) if replaced is not None else None,
        "requests": len(rows),
        "failed": len(failed),
        "failed_statuses": sorted({str(r[2]) for r in failed}),
        "lost_saves": len(lost_saves(clients.saves)),
        "confirmed_saves": len(clients.saves),
    }
    r = report["kill_worker"]
    print(
        f"3. Gunicorn-worker gedood (SIGKILL, 1 van {r['workers']}): vervangen na "
        f"{r['replaced_after_s']} s; {r['requests']} verzoeken, {r['failed']} mislukt "
        f"({', '.join(r['failed_statuses']) or '-'}): alleen wat die worker onderhanden had; "
        f"{r['confirmed_saves']} bevestigde opslagen, {r['lost_saves']} kwijt."
    )
    # A sync worker handles one request at a time: at most one in flight can fail.
    return r["replaced_after_s"] is not None and r["failed"] <= 1 and r["lost_saves"] == 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--pg-stop", required=True)
    parser.add_argument("--pg-start", required=True)
    parser.add_argument("--pg-restart", required=True)
    parser.add_argument("--gunicorn-pid", type=int, required=True)
    parser.add_argument(
        "--stop-seconds", type=int, default=int(os.environ.get("FAULT_STOP_SECONDS", "60"))
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()

    import django

    django.setup()
    from portal.management.commands.make_bench_data import BENCH_PASSWORD, PROJECT_PREFIX
    from portfolio.models import Project
    from smartdelta.models import Organisation

    base = args.base_url
    slugs = list(Organisation.objects.core().values_list("slug", flat=True))
    projects = list(
        Project.objects.filter(name__startswith=PROJECT_PREFIX).values_list("pk", flat=True)
    )
    openers = [(http_session(base, f"bench-ambtenaar-{s}", BENCH_PASSWORD), s) for s in slugs]
    pages = ["/", "/projecten/", f"/projecten/{projects[0]}/", "/healthz"]
    clients_args = (base, openers, pages, projects)
    report = {}
    ok = [
        drill_restart(args, clients_args, report),
        drill_stop(args, base, openers[0][0], "/projecten/", report),
        drill_kill_worker(args, clients_args, report),
    ]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"faults-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"JSON: {path.relative_to(ROOT)}")
    if not all(ok):
        print("Niet elke storing werd netjes opgevangen (zie hierboven).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
