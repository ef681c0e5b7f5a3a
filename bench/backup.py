"""`make backup` and `make restore`: pg_dump of DATABASE_URL, restore into a fresh database,
and a check that both hold the same: row counts per table, money per municipality, history.

    python bench/backup.py backup                  -> backups/<db>-<time>.dump (+ .check.json)
    python bench/backup.py restore [DUMP]          -> database <db>_restored, compared with
                                                      the dump's .check.json (newest dump
                                                      when DUMP is not given)

The check reads with plain SQL (psycopg), not the ORM, so it sees exactly what is stored.
"""

import json
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BACKUPS = ROOT / "backups"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def snapshot(url: str) -> dict:
    """What must survive a backup: every table's row count, the money, the history."""
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cur.fetchall()]
        counts = {}
        for table in tables:
            cur.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cur.fetchone()[0]

        def pairs(sql):
            cur.execute(sql)
            return {str(key): str(value) for key, value in cur.fetchall()}

        money = {
            "toezeggingen per organisatie": pairs(
                "SELECT o.slug, COALESCE(SUM(c.amount), 0) FROM smartdelta_organisation o "
                "LEFT JOIN portfolio_commitment c ON c.organisation_id = o.id "
                "GROUP BY o.slug ORDER BY o.slug"
            ),
            "begrotingsposten per jaar": pairs(
                "SELECT b.year, COALESCE(SUM(l.amount), 0) FROM finance_budgetyear b "
                "LEFT JOIN finance_budgetline l ON l.budget_id = b.id GROUP BY b.year"
            ),
            "financiering per jaar": pairs(
                "SELECT b.year, COALESCE(SUM(f.amount), 0) FROM finance_budgetyear b "
                "LEFT JOIN finance_financing f ON f.budget_id = b.id GROUP BY b.year"
            ),
            "projectkosten per trekker": pairs(
                "SELECT o.slug, COALESCE(SUM(p.total_cost), 0) FROM smartdelta_organisation o "
                "LEFT JOIN portfolio_project p ON p.lead_id = o.id GROUP BY o.slug"
            ),
        }
    history = {t: n for t, n in counts.items() if "_historical" in t}
    return {"rows": counts, "money": money, "history": history}


def differences(before: dict, after: dict) -> list[str]:
    found = []
    for section in ("rows", "history"):
        for key in sorted(set(before[section]) | set(after[section])):
            a, b = before[section].get(key), after[section].get(key)
            if a != b:
                found.append(f"{section} {key}: {a} != {b}")
    for name in sorted(set(before["money"]) | set(after["money"])):
        a, b = before["money"].get(name, {}), after["money"].get(name, {})
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                found.append(f"{name} {key}: {a.get(key)} != {b.get(key)}")
    return found


def backup(url: str, directory: Path = BACKUPS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{database_name(url)}-{time.strftime('%Y%m%d-%H%M%S')}.dump"
    # The check is taken in the same snapshot as the dump would be on a quiet database; on a
    # busy one take it right before (pg_dump itself is one consistent snapshot).
    check = snapshot(url)
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(path), url], check=True
    )
    path.with_suffix(".check.json").write_text(json.dumps(check, indent=1, sort_keys=True))
    return path


def restore(path: Path, url: str, target: str | None = None) -> str:
    """Load the dump into a fresh database (dropped first when it exists); returns its URL."""
    target = target or f"{database_name(url)}_restored"
    admin = with_database(url, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
        conn.execute(f'CREATE DATABASE "{target}"')
    restored = with_database(url, target)
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored, str(path)],
        check=True,
    )
    return restored


def compare(path: Path, restored: str) -> list[str]:
    before = json.loads(path.with_suffix(".check.json").read_text())
    return differences(before, snapshot(restored))


def summary(check: dict) -> str:
    rows = sum(check["rows"].values())
    history = sum(check["history"].values())
    money = check["money"]["toezeggingen per organisatie"]
    total = sum(float(v) for v in money.values())
    return (
        f"{len(check['rows'])} tabellen, {rows} rijen, {history} historierijen, "
        f"toezeggingen € {total:,.2f} over {len(money)} organisaties"
    )


def main(argv):
    import os

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Zet DATABASE_URL op een PostgreSQL-database (postgres://...).", file=sys.stderr)
        return 2
    if argv[:1] == ["backup"]:
        path = backup(url)
        check = json.loads(path.with_suffix(".check.json").read_text())
        print(f"Backup: {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes); {summary(check)}")
        return 0
    if argv[:1] == ["restore"]:
        dumps = sorted(BACKUPS.glob("*.dump"), key=lambda p: p.stat().st_mtime)
        path = Path(argv[1]) if len(argv) > 1 and argv[1] else (dumps[-1] if dumps else None)
        if path is None:
            print("Geen backup gevonden; draai eerst `make backup`.", file=sys.stderr)
            return 2
        started = time.perf_counter()
        restored = restore(path, url)
        seconds = time.perf_counter() - started
        found = compare(path, restored)
        check = snapshot(restored)
        print(
            f"Teruggezet: {path.name} -> {database_name(restored)} in {seconds:.1f} s; "
            f"{summary(check)}"
        )
        if found:
            print("VERSCHILLEN:\n  " + "\n  ".join(found[:50]))
            return 1
        print("Controle: rijen per tabel, geld per gemeente/jaar en historie zijn gelijk.")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
