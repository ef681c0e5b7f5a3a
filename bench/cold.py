"""The first request after a start and after a saved position, beside the warm median.

    DATABASE_URL=postgres://…/smartdelta_bench_x10 python bench/cold.py [--n 7]

For the budget page, a municipality's report and its council letter: start gunicorn as
production does (scripts/bench-server, one worker so the first request meets a fresh one),
log in, time the first request, then `--n` more for the warm median; then three times save a
position (confirmed, so the money moves) and time the next request, and take the median. Each page gets its own server.
The letter is made by the task worker, never by gunicorn: this script makes it in its own
process before the first request and again after each save (a new state, a new PDF), so its
requests time the serving of the kept PDF.
Prints the ratios; exits 1 when a first request takes more than 3× the warm median (a letter
more than 2×). Run it with `PORTAL_WARMUP=0` to see the cliff the warm-up removes.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartdelta.settings")

from bench.run import http_session, timed  # noqa: E402

AFTER_SAVES = 3
LIMITS = {"begroting": 3.0, "bijdrage gemeente": 3.0, "raadsbrief.pdf": 2.0}


def start_server(log: Path) -> tuple[int, str]:
    env = {**os.environ, "BENCH_WORKERS": "1"}
    out = subprocess.run(
        [str(ROOT / "scripts/bench-server"), str(log)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
    ).stdout.split()
    return int(out[0]), f"http://127.0.0.1:{out[1]}"


def save_a_position() -> None:
    """Move the money: change a confirmed position on a counted project."""
    from portfolio import positions
    from portfolio.models import Position, ProjectStatus
    from smartdelta.models import User

    office = User.objects.get(username="bench-programmabureau")
    position = (
        Position.objects.filter(status="bevestigd", project__status__in=ProjectStatus.counted())
        .select_related("project", "organisation")
        .order_by("pk")
        .first()
    )
    # A different amount each time, within what the project costs (repeated runs on one
    # database would otherwise outgrow it).
    cost = max(position.project.total_cost, position.project.participant_funding)
    amount = (position.amount or 0) + 1
    if amount > cost:
        amount = 1
    # A changed position goes back to concept: its confirmed money leaves the figures.
    positions.record_position(
        office,
        position.project,
        position.organisation,
        positions.PositionInput(variant="solidariteit", amount=amount),
        position.version,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=7)
    args = parser.parse_args()
    import django

    django.setup()
    from bench.pages import key_pages, make_letters
    from portal.management.commands.make_bench_data import BENCH_PASSWORD

    pages = {p.name: p for p in key_pages() if p.name in LIMITS}
    status = 0
    print(f"warm-up: {'uit' if os.environ.get('PORTAL_WARMUP') == '0' else 'aan'}")
    print(f"{'pagina':20} {'eerste ms':>10} {'warm ms':>9} {'×':>6} {'na opslaan ms':>14} {'×':>6}")
    for name, page in pages.items():
        make_letters([page])
        pid, base = start_server(ROOT / "bench/results/gunicorn-cold.log")
        try:
            opener = http_session(base, page.username, BENCH_PASSWORD)
            first = timed(opener, base + page.url, page.headers)[0]
            warm = statistics.median(
                timed(opener, base + page.url, page.headers)[0] for _ in range(args.n)
            )
            # The first request after each of three saves, each save moving the money: the
            # median, so one garbage collection or scheduling hiccup is not the measurement.
            afters = []
            for _ in range(AFTER_SAVES):
                save_a_position()
                make_letters([page])  # the worker's part: the new state's PDF
                afters.append(timed(opener, base + page.url, page.headers)[0])
            after = statistics.median(afters)
        finally:
            os.killpg(pid, signal.SIGTERM)
        limit = LIMITS[name]
        ratio, ratio_after = first / warm, after / warm
        flag = "" if max(ratio, ratio_after) <= limit else f"  > {limit}×"
        status = status or int(bool(flag))
        print(
            f"{name:20} {first * 1000:10.0f} {warm * 1000:9.0f} {ratio:6.1f} "
            f"{after * 1000:14.0f} {ratio_after:6.1f}{flag}"
            f"  (na elke opslag: {', '.join(f'{a * 1000:.0f}' for a in afters)} ms)"
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
