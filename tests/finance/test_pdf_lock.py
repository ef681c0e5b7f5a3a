"""The letter render cap locks in a folder of this instance; the fetcher reads static files only."""

import fcntl
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from finance import pdf
from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]
LETTER = "/gemeenten/papendrecht/bijdrage/2024/raadsbrief.pdf"


def _lock_dir_of(**env) -> Path:
    """LOCK_DIR as a freshly started portal process computes it."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from finance import pdf; print(pdf.LOCK_DIR)",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "PDF_LOCK_DIR"},
            "DJANGO_SETTINGS_MODULE": "smartdelta.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip())


def test_each_instance_locks_in_its_own_folder(tmp_path):
    one = _lock_dir_of(DATABASE_URL="sqlite:////srv/portaal-a/db.sqlite3")
    same = _lock_dir_of(DATABASE_URL="sqlite:////srv/portaal-a/db.sqlite3")
    other = _lock_dir_of(DATABASE_URL="postgres://u@127.0.0.1:5432/portaal_b")
    assert one == same  # the workers of one instance share the cap
    assert one != other
    assert one.parent == Path(tempfile.gettempdir()) and one.name.startswith("smartdelta-pdf-")
    assert one.name != "smartdelta-pdf"
    explicit = tmp_path / "locks"
    assert _lock_dir_of(PDF_LOCK_DIR=str(explicit)) == explicit


def test_the_folder_name_follows_the_code_folder_too(settings):
    before = pdf.default_lock_dir()
    settings.BASE_DIR = Path("/srv/een-andere-checkout")
    assert pdf.default_lock_dir() != before


def test_a_slot_held_by_another_instance_does_not_block_this_one(
    budget_2024, councillor_dordrecht, monkeypatch, tmp_path, settings
):
    settings.PDF_MAX_CONCURRENT = 1
    mine, theirs = tmp_path / "a", tmp_path / "b"
    theirs.mkdir()
    monkeypatch.setattr(pdf, "LOCK_DIR", mine)
    monkeypatch.setattr(pdf, "WAIT_SECONDS", 0.2)
    with open(theirs / "smartdelta-pdf-0.lock", "a") as other:
        fcntl.flock(other, fcntl.LOCK_EX)
        response = client_for(councillor_dordrecht).get(LETTER)
        fcntl.flock(other, fcntl.LOCK_UN)
    assert response.status_code == 200
    assert (mine / "smartdelta-pdf-0.lock").exists()
    assert mine.stat().st_mode & 0o777 == 0o700


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to hand the folder to another user")
def test_a_lock_folder_of_another_user_is_refused(monkeypatch, tmp_path):
    folder = tmp_path / "locks"
    folder.mkdir()
    os.chown(folder, 65534, 65534)
    monkeypatch.setattr(pdf, "LOCK_DIR", folder)
    with pytest.raises(PermissionError):
        pdf._lock_dir()


@pytest.mark.parametrize(
    "url",
    [
        "https://portaal.invalid/static//etc/passwd",
        "https://portaal.invalid/static/%2Fetc%2Fpasswd",
        "https://portaal.invalid/static/css/..%2F..%2Fmanage.py",
        "https://portaal.invalid/static/..%5Cmanage.py",
        "https://portaal.invalid/static/css/letter.css%00.png",
        "https://portaal.invalid/static/",
    ],
)
def test_absolute_and_parent_paths_are_refused(url):
    with pytest.raises(pdf.FetchRefused):
        pdf.static_only_fetcher(url)


def test_a_link_out_of_the_static_folder_is_refused(settings, tmp_path):
    static_root = tmp_path / "staticfiles"
    static_root.mkdir()
    (static_root / "eigen.css").write_text("body { color: black }")
    secret = tmp_path / "geheim.txt"
    secret.write_text("wachtwoord")
    (static_root / "lek.css").symlink_to(secret)
    settings.STATIC_ROOT = static_root

    served = pdf.static_only_fetcher("https://portaal.invalid/static/eigen.css")
    assert served.read() == b"body { color: black }"
    with pytest.raises(pdf.FetchRefused):
        pdf.static_only_fetcher("https://portaal.invalid/static/lek.css")
