"""The council letter: its text, its locks against fetching, and the render cap."""

import io
import threading
import time

import pytest
from pypdf import PdfReader

from finance import pdf
from tests.conftest import client_for

HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
    "<style>@import url(file:///etc/hostname);</style>",
    '<iframe src="https://portaal.invalid/static/../../smartdelta/settings.py"></iframe>',
    "{{ settings.SECRET_KEY }} {% now 'Y' %}",
]


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_letter_names_the_municipality_the_year_and_the_total(
    budget_2024, mbo, councillor_dordrecht
):
    client = client_for(councillor_dordrecht)
    response = client.get("/gemeenten/papendrecht/bijdrage/2024/raadsbrief.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert "raadsinformatiebrief-papendrecht-2024.pdf" in response["Content-Disposition"]
    total = client.get("/gemeenten/papendrecht/bijdrage/2024/").context["row"].total
    text = _text(response)
    assert "Gemeente Papendrecht" in text
    assert "2024" in text
    whole, cents = f"{total:.2f}".split(".")
    assert f"{int(whole):,}".replace(",", ".") + "," + cents in text
    for heading in (
        "Onderwerp",
        "Kenmerk",
        "Portefeuillehouder",
        "Inleiding",
        "Kernboodschap",
        "Consequenties",
        "Vervolg",
        "Bijlage",
    ):
        assert heading in text
    assert "Pagina 1 van" in text


def test_typed_text_reaches_the_letter_escaped_and_fetches_nothing(
    budget_2024, councillor_dordrecht, monkeypatch, settings
):
    # In-process, so the spy below sees every fetch; the child runs the same `write_pdf`.
    settings.PDF_RENDER_PROCESS = False
    letter = budget_2024.letter
    for field, payload in zip(
        ["subject", "portfolio_holder", "introduction", "key_message", "next_steps"],
        HOSTILE,
        strict=True,
    ):
        setattr(letter, field, payload)
    letter.consequences = HOSTILE[0]
    letter.save()
    asked = []
    original = pdf._static_path

    def spy(url):
        asked.append(url)
        return original(url)

    monkeypatch.setattr(pdf, "_static_path", spy)
    response = client_for(councillor_dordrecht).get(
        "/gemeenten/papendrecht/bijdrage/2024/raadsbrief.pdf"
    )
    assert response.status_code == 200
    assert asked and all(
        url.startswith(
            (
                "https://portaal.invalid/static/css/",
                "https://portaal.invalid/static/vendor/noto-sans/",
            )
        )
        for url in asked
    ), asked
    text = _text(response)
    assert "file:///etc/passwd" in text  # shown as text, not fetched
    assert "{{ settings.SECRET_KEY }}" in text
    assert b"root:x:0:0" not in response.content


def test_letters_render_in_a_low_priority_child_that_is_replaced_when_it_dies(
    budget_2024, councillor_dordrecht, settings
):
    import os
    import signal

    settings.PDF_RENDER_PROCESS = True
    child_pid = pdf._render_executor().submit(os.getpid).result()
    assert child_pid != os.getpid()
    assert pdf._render_executor().submit(os.nice, 0).result() == os.nice(0) + pdf.RENDER_NICE
    os.kill(child_pid, signal.SIGKILL)
    response = client_for(councillor_dordrecht).get(
        "/gemeenten/papendrecht/bijdrage/2024/raadsbrief.pdf"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert pdf._render_executor().submit(os.getpid).result() not in (child_pid, os.getpid())


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
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(pdf.FetchRefused):
        pdf.static_only_fetcher(url)


def test_the_fetcher_serves_static_files():
    response = pdf.static_only_fetcher("https://portaal.invalid/static/css/letter.css")
    assert b"@page" in response.read()


def test_when_every_render_slot_is_taken_the_letter_answers_503_in_dutch(
    budget_2024, councillor_dordrecht, monkeypatch
):
    monkeypatch.setattr(pdf, "WAIT_SECONDS", 0.05)
    monkeypatch.setattr(pdf, "_slots", threading.BoundedSemaphore(1))
    pdf._slots.acquire()
    try:
        response = client_for(councillor_dordrecht).get(
            "/gemeenten/papendrecht/bijdrage/2024/raadsbrief.pdf"
        )
    finally:
        pdf._slots.release()
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "veel brieven tegelijk" in response.content.decode()


def test_a_letter_beyond_the_workers_waiting_letters_is_refused_without_waiting(
    budget_2024, councillor_dordrecht, monkeypatch
):
    """The worker keeps threads for pages: one letter too many does not queue for a slot."""
    monkeypatch.setattr(pdf, "WAIT_SECONDS", 5)
    monkeypatch.setattr(pdf, "_letters", threading.BoundedSemaphore(1))
    pdf._letters.acquire()  # another thread of this worker has the only place
    started = time.monotonic()
    try:
        response = client_for(councillor_dordrecht).get(
            "/gemeenten/papendrecht/bijdrage/2024/raadsbrief.pdf"
        )
    finally:
        pdf._letters.release()
    assert response.status_code == 503
    assert "veel brieven tegelijk" in response.content.decode()
    assert time.monotonic() - started < pdf.WAIT_SECONDS
    # Its place is given back: the next letter renders.
    again = client_for(councillor_dordrecht).get(
        "/gemeenten/papendrecht/bijdrage/2024/raadsbrief.pdf"
    )
    assert again.status_code == 200 and again.content.startswith(b"%PDF")


def test_the_cap_holds_across_processes_through_lock_files(
    budget_2024, councillor_dordrecht, monkeypatch, tmp_path, settings
):
    import fcntl

    settings.PDF_MAX_CONCURRENT = 1
    monkeypatch.setattr(pdf, "LOCK_DIR", tmp_path)
    monkeypatch.setattr(pdf, "WAIT_SECONDS", 0.2)
    # Another gunicorn worker holds the only slot: its own open file description and flock.
    with open(tmp_path / "smartdelta-pdf-0.lock", "a") as other:
        fcntl.flock(other, fcntl.LOCK_EX)
        busy = client_for(councillor_dordrecht).get(
            "/gemeenten/papendrecht/bijdrage/2024/raadsbrief.pdf"
        )
        fcntl.flock(other, fcntl.LOCK_UN)
    assert busy.status_code == 503
    free = client_for(councillor_dordrecht).get(
        "/gemeenten/papendrecht/bijdrage/2024/raadsbrief.pdf"
    )
    assert free.status_code == 200


def test_the_fonts_are_registered_once_and_every_letter_uses_them(
    budget_2024, councillor_dordrecht, monkeypatch, settings
):
    """The render process keeps WeasyPrint's font configuration: the second letter fetches
    its stylesheet again but not the fonts, and is still set in Noto Sans."""
    settings.PDF_RENDER_PROCESS = False  # in-process, so the spy sees every fetch
    monkeypatch.setattr(pdf, "_fonts", threading.local())  # as a fresh render process
    asked = []
    original = pdf._static_path
    monkeypatch.setattr(pdf, "_static_path", lambda url: asked.append(url) or original(url))
    client = client_for(councillor_dordrecht)
    fonts = []
    for _ in range(2):
        asked.clear()
        response = client.get("/gemeenten/papendrecht/bijdrage/2024/raadsbrief.pdf")
        assert response.status_code == 200
        fonts.append([url for url in asked if "/noto-sans/" in url])
        assert any(url.endswith("/css/letter.css") for url in asked)
        reader = PdfReader(io.BytesIO(response.content))
        used = {
            str(font["/BaseFont"])
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        assert used and all("Noto-Sans" in name for name in used), used
    assert len(fonts[0]) == 3 and fonts[1] == []


def test_a_worker_takes_a_burst_of_letters_and_keeps_threads_for_pages(settings):
    """An idle gthread worker accepts a whole burst at once: the letters of the seven (and
    some more) fit in one worker, and threads stay free there for pages."""
    import runpy

    threads = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))["threads"]
    assert 7 < settings.PDF_MAX_WAITING <= threads - 2


def test_a_render_process_ends_without_an_error_and_leaves_no_fonts_behind(tmp_path, settings):
    """The kept font configuration is let go before the interpreter takes its modules down
    (here something holds it until the very end, as pytest's own process did), so WeasyPrint
    removes its folder of decoded fonts and no error is printed when a process stops."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup(); from finance import pdf; "
        "pdf.write_pdf('<link rel=stylesheet href=/static/css/letter.css><p>x</p>'); "
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
