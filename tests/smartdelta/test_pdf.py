"""The core's PDF renderer (smartdelta/pdf.py): it fetches the portal's own static files and
nothing else, and keeps its fonts from one PDF to the next."""

import io
import threading

import pytest
from pypdf import PdfReader

from smartdelta import pdf

LETTER_CSS = '<link rel="stylesheet" href="/static/css/letter.css">'


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/css/letter.css",
        "https://portaal.invalid/static/../manage.py",
        "https://portaal.invalid/static/%2e%2e/manage.py",
        "https://portaal.invalid/media/x.png",
        "https://portaal.invalid/static/css/letter.css?x=1",
        "data:text/css,body{}",
        "https://portaal.invalid/static//etc/passwd",
        "https://portaal.invalid/static/%2Fetc%2Fpasswd",
        "https://portaal.invalid/static/css/..%2F..%2Fmanage.py",
        "https://portaal.invalid/static/..%5Cmanage.py",
        "https://portaal.invalid/static/css/letter.css%00.png",
        "https://portaal.invalid/static/",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(pdf.FetchRefused):
        pdf.static_only_fetcher(url)


def test_the_fetcher_serves_static_files():
    response = pdf.static_only_fetcher("https://portaal.invalid/static/css/letter.css")
    assert b"@page" in response.read()


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


def test_the_fonts_are_registered_once_and_every_pdf_uses_them(monkeypatch):
    """The render process keeps WeasyPrint's font configuration: the second PDF fetches its
    stylesheet again but not the fonts, and is still set in Noto Sans."""
    monkeypatch.setattr(pdf, "_fonts", threading.local())  # as a fresh render process
    asked = []
    original = pdf._static_path
    monkeypatch.setattr(pdf, "_static_path", lambda url: asked.append(url) or original(url))
    fonts = []
    for _ in range(2):
        asked.clear()
        document = pdf.render_pdf(f"<html lang=nl>{LETTER_CSS}<h1>Brief</h1><p>Tekst</p>")
        fonts.append([url for url in asked if "/noto-sans/" in url])
        assert any(url.endswith("/css/letter.css") for url in asked)
        reader = PdfReader(io.BytesIO(document))
        used = {
            str(font["/BaseFont"])
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        assert used and all("Noto-Sans" in name for name in used), used
    assert fonts[0] and fonts[1] == []


def test_a_render_process_ends_without_an_error_and_leaves_no_fonts_behind(tmp_path, settings):
    """The kept font configuration is let go before the interpreter takes its modules down
    (here something holds it until the very end, as pytest's own process did), so WeasyPrint
    removes its folder of decoded fonts and no error is printed when a process stops."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup(); from smartdelta import pdf; "
        "pdf.render_pdf('<link rel=stylesheet href=/static/css/letter.css><p>x</p>'); "
        "sys.held = pdf._fonts"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "TMPDIR": str(tmp_path)},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Exception ignored" not in result.stderr, result.stderr
    assert not list(tmp_path.glob("weasyprint-*"))
