"""Two app servers on one database: what one saves, the other shows at once.

    DATABASE_URL=postgres://…/smartdelta_bench python bench/stale.py [--rounds 20]

Starts two gunicorn servers as production does (scripts/bench-server), A and B, each with its
own processes. Each round reads the contributions export (CSV) of the bench year on B; then
the programme office changes a confirmed position through A's position form (a concept: the
confirmed position stays in force, so B must show the same money), then it is submitted and
confirmed by a second person here (the money moves: B must show the new figures, compared
with what this process reads). Every other round also runs two writers that confirm changes
in transactions held open at once, B read in between and after the commits. A read that shows
figures other than the last commit it could see is a stale read. Prints the count; exits 1 if
any.
"""

import argparse
import csv
import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartdelta.settings")

from bench.run import http_session  # noqa: E402

OFFICE = "bench-programmabureau"


def start_server(name: str) -> tuple[int, str]:
    out = subprocess.run(
        [str(ROOT / "scripts/bench-server"), str(ROOT / f"bench/results/gunicorn-{name}.log")],
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
    ).stdout.split()
    return int(out[0]), f"http://127.0.0.1:{out[1]}"


def shown(opener, base: str, year: int) -> dict[str, Decimal]:
    """Component 3 per municipality as server `base` exports it."""
    with opener.open(f"{base}/begroting/{year}/bijdragen.csv", timeout=60) as response:
        text = response.read().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    column = rows[0].index("Component 3")
    return {
        row[0]: Decimal(row[column].replace(".", "").replace(",", "."))
        for row in rows[1:]
        if row and row[column] and not row[0].startswith("Totaal")
    }


def expected(year: int) -> dict[str, Decimal]:
    from finance.figures import load_figures

    figures = load_figures([year])[year]
    return {row.organisation.name: row.c3 for row in figures.rows}


def confirmed_positions(year: int):
    from django.db.models import Q

    from portfolio.models import Position, ProjectStatus

    return (
        Position.objects.filter(
            Q(project__end_date__isnull=True) | Q(project__end_date__year__gte=year),
            status="bevestigd",
            variant="solidariteit",
            organisation__kind="kern",
            project__coalition_closed_on__isnull=False,  # binding: a confirmed change moves money
            project__status__in=ProjectStatus.counted(),
            project__start_date__year__lte=year,
        )
        .select_related("project", "organisation")
        .order_by("pk")
    )


def other_amount(position) -> Decimal:
    """A different amount, within what any project costs."""
    return Decimal("2.00") if position.amount == Decimal("1.00") else Decimal("1.00")


def save_through_form(opener, base: str, position) -> None:
    """The position form on server `base`, as a person submits it (CSRF token, version)."""
    url = f"{base}/projecten/{position.project_id}/positie/{position.organisation.slug}/"
    page = opener.open(url, timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "variant": "solidariteit",
            "amount": f"{other_amount(position):.2f}".replace(".", ","),
            "version": position.version,
        }
    ).encode()
    request = urllib.request.Request(url, data, headers={"Referer": url})
    try:
        opener.open(request, timeout=60)
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise
    position.refresh_from_db()
    if position.status != "concept":
        raise SystemExit(f"Opslaan via A mislukte ({url}).")


def confirm_here(position) -> None:
    """Submit the saved change and confirm it as a second person of the municipality."""
    import datetime

    from portfolio import positions
    from smartdelta.models import User

    office = User.objects.get(username=OFFICE)
    second = User.objects.get(username=f"bench-ambtenaar-{position.organisation.slug}")
    position.refresh_from_db()
    saved = positions.change_status(office, position, "ingediend", position.version)
    positions.change_status(
        second, saved, "bevestigd", saved.version, "B-bench", datetime.date(2024, 6, 1)
    )


def change_and_confirm(office, position) -> None:
    from portfolio import positions

    saved = positions.record_position(
        office,
        position.project,
        position.organisation,
        positions.PositionInput(variant="solidariteit", amount=other_amount(position)),
        position.version,
    )
    confirm_here(saved)


def interleaved(opener_b, base_b: str, year: int, first, second) -> int:
    """Writer 1 confirms a change and holds its transaction; B is read (it must show nothing
    of it); writer 2 confirms another meanwhile; B is read again after both have committed."""
    from django.db import connection, transaction

    from smartdelta.models import User

    office = User.objects.get(username=OFFICE)
    stale = 0
    before = expected(year)
    committed = threading.Event()

    def writer_two():
        try:
            with transaction.atomic():
                change_and_confirm(office, second)
        finally:
            connection.close()
            committed.set()

    with transaction.atomic():
        change_and_confirm(office, first)
        # Writer 1 has not committed: B shows what was committed before.
        stale += shown(opener_b, base_b, year) != before
        thread = threading.Thread(target=writer_two)
        thread.start()
        time.sleep(0.3)  # writer 2 works meanwhile (on the same project it waits for the lock)
    # Writer 1 has committed; writer 2 commits right after it.
    thread.join(timeout=30)
    committed.wait(timeout=30)
    stale += shown(opener_b, base_b, year) != expected(year)
    return stale


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    import django

    django.setup()
    from bench.pages import BUDGET_YEAR
    from finance.models import BudgetYear
    from portal.management.commands.make_bench_data import BENCH_PASSWORD

    years = set(BudgetYear.objects.values_list("year", flat=True))
    year = BUDGET_YEAR if BUDGET_YEAR in years else max(years)
    pid_a, base_a = start_server("a")
    pid_b, base_b = start_server("b")
    stale = reads = moved = 0
    try:
        opener_a = http_session(base_a, OFFICE, BENCH_PASSWORD)
        opener_b = http_session(base_b, OFFICE, BENCH_PASSWORD)
        for round_ in range(args.rounds):
            positions = list(confirmed_positions(year)[:2])
            if len(positions) < 2:
                raise SystemExit("Te weinig bevestigde posities voor de controle.")
            before = shown(opener_b, base_b, year)
            save_through_form(opener_a, base_a, positions[0])
            stale += shown(opener_b, base_b, year) != before  # a concept moves no money
            confirm_here(positions[0])
            reads += 2
            now = expected(year)
            moved += now != before  # a round where nothing moved could not see a stale read
            stale += shown(opener_b, base_b, year) != now
            if round_ % 2:
                positions = list(confirmed_positions(year)[:2])
                stale += interleaved(opener_b, base_b, year, *positions)
                reads += 2
    finally:
        for pid in (pid_a, pid_b):
            os.killpg(pid, signal.SIGTERM)
    print(
        f"Twee servers, {args.rounds} rondes ({moved} met andere bedragen), {reads} controles: "
        f"{stale} verouderde lezingen"
    )
    return 1 if stale or moved < args.rounds else 0


if __name__ == "__main__":
    sys.exit(main())
