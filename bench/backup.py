"""`make backup` and `make restore`: pg_dump of DATABASE_URL and every meeting paper, restore
into a fresh database and folder, and a check that both hold the same: row counts per table,
money per municipality, history, and every paper's bytes (sha256).

    python bench/backup.py backup                  -> backups/<db>-<time>.dump, .papers.tar
                                                      and .check.json
    python bench/backup.py restore [DUMP [FOLDER]] -> database <db>_restored and the papers in
                                                      FOLDER (PAPERS_RESTORE_TO, default
                                                      <PAPERS_ROOT>_restored: never the live
                                                      papers unless asked), compared with the
                                                      dump's .check.json (newest dump when DUMP
                                                      is not given)

The check reads the database with plain SQL (psycopg), not the ORM, so it sees exactly what is
stored. The papers are read through the portal's storage ("papers": a folder or an object
store), by the names the database holds: the current papers and the earlier files their
history keeps.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
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
                "LEFT JOIN portfolio_position c ON c.organisation_id = o.id "
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


def paper_names(url: str) -> list[str]:
    """Every paper file the database names: the current papers and, as a replaced or removed
    paper keeps its file for the history, every earlier one."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT file FROM tables_meetingpaper "
            "UNION SELECT file FROM tables_historicalmeetingpaper"
        ).fetchall()
    return sorted(name for (name,) in rows if name)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def backup_papers(names: list[str], archive: Path) -> tuple[dict, list[str]]:
    """Each paper into `archive` (tar), read through the portal's storage API, so it works as
    well on an object store as on the folder. Returns {stored name: sha256} and the names the
    storage does not have."""
    from meetings.storage import papers_storage

    hashes, missing = {}, []
    with tarfile.open(archive, "w") as tar:
        for name in names:
            try:
                with papers_storage.open(name, "rb") as file:
                    data = file.read()
            except FileNotFoundError:
                missing.append(name)
                continue
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o640
            tar.addfile(info, io.BytesIO(data))
            hashes[name] = sha256(data)
    return hashes, missing


def backup(url: str, directory: Path = BACKUPS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{database_name(url)}-{time.strftime('%Y%m%d-%H%M%S')}.dump"
    # The check is taken in the same snapshot as the dump would be on a quiet database; on a
    # busy one take it right before (pg_dump itself is one consistent snapshot).
    check = snapshot(url)
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(path), url], check=True
    )
    # The names are read after the dump, so they include every paper the dump names (files
    # are never deleted; a paper uploaded meanwhile is kept too, though the dump lacks it).
    check["papers"], check["papers missing"] = backup_papers(
        paper_names(url), path.with_suffix(".papers.tar")
    )
    path.with_suffix(".check.json").write_text(json.dumps(check, indent=1, sort_keys=True))
    return path


def default_papers_folder() -> Path:
    from django.conf import settings

    return Path(os.environ.get("PAPERS_RESTORE_TO") or f"{settings.PAPERS_ROOT}_restored")


def restore(path: Path, url: str, target: str | None = None, papers_to: Path | None = None) -> str:
    """Load the dump into a fresh database (dropped first when it exists) and its papers into
    `papers_to` (default_papers_folder()); returns the database's URL."""
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
    archive = path.with_suffix(".papers.tar")
    if archive.exists():  # a backup from before the papers were in it has none
        folder = papers_to or default_papers_folder()
        folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive) as tar:
            # The "data" filter refuses names outside the folder, links and special files.
            tar.extractall(folder, filter="data")
    return restored


def paper_differences(before: dict, folder: Path, names: list[str]) -> list[str]:
    """Every paper the backup holds is in `folder` with the same bytes, and every paper the
    restored database names is one of them."""
    hashes = before.get("papers", {})
    found = [
        f"stuk {name}: ontbrak al in de opslag bij de backup"
        for name in before.get("papers missing", [])
    ]
    for name, digest in sorted(hashes.items()):
        file = folder / name
        if not file.is_file():
            found.append(f"stuk {name}: ontbreekt na het terugzetten")
        elif sha256(file.read_bytes()) != digest:
            found.append(f"stuk {name}: andere inhoud dan bij de backup (sha256)")
    for name in names:
        if name not in hashes and name not in before.get("papers missing", []):
            found.append(f"stuk {name}: staat in de database maar niet in de backup")
    return found


def compare(path: Path, restored: str, papers_to: Path | None = None) -> list[str]:
    before = json.loads(path.with_suffix(".check.json").read_text())
    folder = papers_to or default_papers_folder()
    return differences(before, snapshot(restored)) + paper_differences(
        before, folder, paper_names(restored)
    )


def summary(check: dict) -> str:
    rows = sum(check["rows"].values())
    history = sum(check["history"].values())
    money = check["money"]["toezeggingen per organisatie"]
    total = sum(float(v) for v in money.values())
    return (
        f"{len(check['rows'])} tabellen, {rows} rijen, {history} historierijen, "
        f"toezeggingen € {total:,.2f} over {len(money)} organisaties, "
        f"{len(check.get('papers', {}))} stukken"
    )


def main(argv):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Zet DATABASE_URL op een PostgreSQL-database (postgres://...).", file=sys.stderr)
        return 2
    # The papers are read through the portal's own storage settings (PAPERS_STORAGE, ...).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartdelta.settings")
    import django

    django.setup()
    if argv[:1] == ["backup"]:
        path = backup(url, BACKUPS)
        check = json.loads(path.with_suffix(".check.json").read_text())
        papers = path.with_suffix(".papers.tar")
        print(
            f"Backup: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
            f"({path.stat().st_size:,} bytes) en "
            f"{papers.name} ({papers.stat().st_size:,} bytes); {summary(check)}"
        )
        missing = check["papers missing"]
        if missing:
            print(
                f"ONTBREEKT in de opslag, wel genoemd in de database ({len(missing)} stukken); "
                "de backup heeft ze dus niet:\n  " + "\n  ".join(missing[:50]),
                file=sys.stderr,
            )
            return 1
        return 0
    if argv[:1] == ["restore"]:
        dumps = sorted(BACKUPS.glob("*.dump"), key=lambda p: p.stat().st_mtime)
        path = Path(argv[1]) if len(argv) > 1 and argv[1] else (dumps[-1] if dumps else None)
        if path is None:
            print("Geen backup gevonden; draai eerst `make backup`.", file=sys.stderr)
            return 2
        folder = Path(argv[2]) if len(argv) > 2 and argv[2] else default_papers_folder()
        started = time.perf_counter()
        restored = restore(path, url, papers_to=folder)
        seconds = time.perf_counter() - started
        found = compare(path, restored, folder)
        papers = json.loads(path.with_suffix(".check.json").read_text()).get("papers", {})
        print(
            f"Teruggezet: {path.name} -> {database_name(restored)} en de stukken -> {folder} "
            f"in {seconds:.1f} s; {summary(snapshot(restored) | {'papers': papers})}"
        )
        if found:
            print("VERSCHILLEN:\n  " + "\n  ".join(found[:50]))
            return 1
        print(
            "Controle: rijen per tabel, geld per gemeente/jaar, historie en de inhoud van elk "
            "stuk (sha256) zijn gelijk."
        )
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
