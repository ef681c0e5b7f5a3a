"""`make backup` then `make restore` gives a database with the same rows, money and history.

Runs on PostgreSQL only (pg_dump), as `.ci/run` does; skipped on SQLite or without pg_dump.
"""

import shutil

import pytest
from django.core.management import call_command
from django.db import connection

from bench import backup

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which("pg_dump"),
    reason="backup en restore vragen PostgreSQL en pg_dump",
)


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_backup_restore_gives_equal_counts_money_and_history(tmp_path):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    call_command("make_bench_data", scale=0.01, seed=3, stdout=open("/dev/null", "w"))
    url = database_url()
    dump = backup.backup(url, tmp_path)
    restored = backup.restore(dump, url)
    try:
        assert backup.compare(dump, restored) == []
        check = backup.snapshot(restored)
        assert check["rows"]["portfolio_commitment"] > 100
        assert check["history"]["portfolio_historicalcommitment"] >= 500
        assert any(v != "0" for v in check["money"]["toezeggingen per organisatie"].values())
        # The check notices a difference: a changed amount in the restored copy.
        import psycopg

        with psycopg.connect(restored, autocommit=True) as conn:
            conn.execute(
                "UPDATE portfolio_commitment SET amount = amount + 1 "
                "WHERE id = (SELECT min(id) FROM portfolio_commitment "
                "WHERE amount IS NOT NULL)"
            )
        assert any("toezeggingen" in d for d in backup.compare(dump, restored))
    finally:
        import psycopg

        with psycopg.connect(backup.with_database(url, "postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{backup.database_name(restored)}"')
