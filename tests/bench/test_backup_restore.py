"""`make backup` then `make restore` gives a database with the same rows, money and history,
and every meeting paper back with the same bytes.

Runs on PostgreSQL only (pg_dump), as `.ci/run` does; skipped on SQLite or without pg_dump.
"""

import io
import json
import shutil
import tarfile

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from bench import backup
from meetings import meetings
from meetings.models import MeetingPaper
from meetings.storage import papers_storage
from tables.demo import demo_pdf

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which("pg_dump"),
    reason="backup en restore vragen PostgreSQL en pg_dump",
)


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


def drop(restored: str):
    with psycopg.connect(backup.with_database(restored, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{backup.database_name(restored)}"')


def replace_a_paper():
    """A replaced paper: its earlier file stays for the history and is backed up too."""
    paper = MeetingPaper.objects.order_by("pk").first()
    new = SimpleUploadedFile("versie 2.pdf", demo_pdf("Versie 2"), content_type="application/pdf")
    return meetings.replace_paper(paper.uploaded_by, paper, new, seen_version=paper.version)


@pytest.mark.django_db(transaction=True)
def test_backup_restore_gives_equal_counts_money_history_and_papers(tmp_path):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    call_command("make_bench_data", scale=0.01, seed=3, stdout=open("/dev/null", "w"))
    replace_a_paper()
    url = database_url()
    dump = backup.backup(url, tmp_path)
    papers_to = tmp_path / "stukken"
    restored = backup.restore(dump, url, papers_to=papers_to)
    try:
        assert backup.compare(dump, restored, papers_to) == []
        check = backup.snapshot(restored)
        assert check["rows"]["portfolio_position"] > 100
        assert check["history"]["portfolio_historicalposition"] >= 500
        assert any(v != "0" for v in check["money"]["toezeggingen per organisatie"].values())
        # Every paper the database names, current and earlier, is back with the same bytes,
        # and the check file lists each one's stored name and hash.
        names = backup.paper_names(restored)
        current = set(MeetingPaper.objects.values_list("file", flat=True))
        assert len(current) >= 2 and len(names) > len(current)
        listed = json.loads(dump.with_suffix(".check.json").read_text())
        assert sorted(listed["papers"]) == names and listed["papers missing"] == []
        for name in names:
            with papers_storage.open(name, "rb") as live:
                assert (papers_to / name).read_bytes() == live.read()
            assert listed["papers"][name] == backup.sha256((papers_to / name).read_bytes())
        # The check notices a difference: a changed amount in the restored copy.
        with psycopg.connect(restored, autocommit=True) as conn:
            conn.execute(
                "UPDATE portfolio_position SET amount = amount + 1 "
                "WHERE id = (SELECT min(id) FROM portfolio_position "
                "WHERE amount IS NOT NULL)"
            )
        assert any("toezeggingen" in d for d in backup.compare(dump, restored, papers_to))
    finally:
        drop(restored)


@pytest.mark.django_db(transaction=True)
def test_a_changed_or_missing_paper_fails_the_restore(tmp_path, monkeypatch, capsys):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    replace_a_paper()
    url = database_url()
    dump = backup.backup(url, tmp_path)
    papers_to = tmp_path / "stukken"
    restored = backup.restore(dump, url, papers_to=papers_to)
    try:
        assert backup.compare(dump, restored, papers_to) == []
        first, second, *_ = backup.paper_names(url)
        # In the restored folder: one paper changed by a byte, one gone.
        (papers_to / first).write_bytes((papers_to / first).read_bytes() + b" ")
        (papers_to / second).unlink()
        assert backup.compare(dump, restored, papers_to) == [
            f"stuk {first}: andere inhoud dan bij de backup (sha256)",
            f"stuk {second}: ontbreekt na het terugzetten",
        ]

        # In the backup itself: `make restore` says which paper and exits non-zero.
        archive = dump.with_suffix(".papers.tar")
        with tarfile.open(archive) as tar:
            members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
        with tarfile.open(archive, "w") as tar:
            for member, data in members:
                if member.name == second:
                    continue
                if member.name == first:
                    data = data.replace(b"%PDF", b"%PDX", 1)
                tar.addfile(member, io.BytesIO(data))
        shutil.rmtree(papers_to)
        monkeypatch.setenv("DATABASE_URL", url)
        assert backup.main(["restore", str(dump), str(papers_to)]) == 1
        out = capsys.readouterr().out
        assert "VERSCHILLEN" in out
        assert f"stuk {first}: andere inhoud dan bij de backup (sha256)" in out
        assert f"stuk {second}: ontbreekt na het terugzetten" in out

        # A paper the storage lost before the backup: the backup says so and fails, and so
        # does a restore of it.
        papers_storage.delete(first)
        monkeypatch.setattr(backup, "BACKUPS", tmp_path / "backups")
        assert backup.main(["backup"]) == 1
        assert "ONTBREEKT in de opslag, wel genoemd in de database (1 stukken)" in (
            capsys.readouterr().err
        )
        assert len(list((tmp_path / "backups").glob("*.papers.tar"))) == 1
        again = backup.backup(url, tmp_path / "opnieuw")
        assert json.loads(again.with_suffix(".check.json").read_text())["papers missing"] == [first]
        backup.restore(again, url, papers_to=tmp_path / "opnieuw-stukken")
        assert backup.compare(again, restored, tmp_path / "opnieuw-stukken") == [
            f"stuk {first}: ontbrak al in de opslag bij de backup"
        ]
    finally:
        drop(restored)
