"""The council letter as PDF: made once by the task worker, kept under the digest of its HTML,
and served as kept bytes; its text, and its locks against fetching."""

import datetime
import io
import threading

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from finance import letters
from finance.models import RenderedLetter, RenderStatus
from smartdelta import pdf
from tests.conftest import client_for

from .test_figures import save_position

LETTER = "/gemeenten/papendrecht/bijdrage/2024/raadsbrief.pdf"
HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
    "<style>@import url(file:///etc/hostname);</style>",
    '<iframe src="https://portaal.invalid/static/../../smartdelta/settings.py"></iframe>',
    "{{ settings.SECRET_KEY }} {% now 'Y' %}",
]


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _queued() -> list[list]:
    return [r.args_kwargs["args"] for r in DBTaskResult.objects.order_by("enqueued_at")]


@pytest.fixture
def no_weasyprint(monkeypatch):
    """A request that would render fails the test: the web workers never run WeasyPrint."""

    def refuse(html):
        raise AssertionError("WeasyPrint ran outside the worker")

    monkeypatch.setattr(pdf, "render_pdf", refuse)


@pytest.fixture
def letter(budget_2024, councillor_dordrecht, run_queued_tasks):
    """The concept letter of Papendrecht, made by the worker: (client, kept row)."""
    client = client_for(councillor_dordrecht)
    assert client.get(LETTER).status_code == 202
    run_queued_tasks()
    return client, RenderedLetter.objects.get()


def test_the_first_request_queues_one_render_and_answers_the_waiting_page(
    budget_2024, councillor_dordrecht, no_weasyprint
):
    client = client_for(councillor_dordrecht)
    response = client.get(LETTER)
    assert response.status_code == 202 and response["Retry-After"] == "5"
    page = response.text
    assert '<h1 class="utrecht-heading-1">De brief wordt gemaakt</h1>' in page
    assert 'role="status"' in page
    assert '<meta http-equiv="refresh" content="5">' in page  # in <noscript>: htmx asks instead
    assert f'href="{LETTER}"' in page and "Opnieuw proberen" in page
    (kept,) = RenderedLetter.objects.all()
    assert kept.status == RenderStatus.WAITING and kept.organisation.slug == "papendrecht"
    assert _queued() == [[kept.html_sha256]]
    # Asked again before the worker ran: the same row, no second task.
    assert client.get(LETTER).status_code == 202
    assert RenderedLetter.objects.count() == 1 and len(_queued()) == 1


def test_the_worker_keeps_the_pdf_and_the_next_request_serves_it_as_kept(
    letter, monkeypatch, no_weasyprint
):
    client, kept = letter
    assert kept.status == RenderStatus.READY and bytes(kept.pdf).startswith(b"%PDF-")
    response = client.get(LETTER)  # the renderer now fails: nothing is rendered here
    assert response.status_code == 200
    assert response.content == bytes(kept.pdf)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(kept.pdf))
    assert "concept-raadsinformatiebrief-papendrecht-2024.pdf" in response["Content-Disposition"]
    assert response["ETag"] == f'"{kept.html_sha256}"'
    assert "private" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]
    again = client.get(LETTER, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert len(_queued()) == 1


def test_the_letter_names_the_municipality_the_year_and_the_total(letter):
    client, kept = letter
    text = _text(client.get(LETTER).content)
    total = client.get("/gemeenten/papendrecht/bijdrage/2024/").context["row"].total
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


def test_a_change_of_the_figures_gives_a_new_digest_and_a_new_render(
    letter, mbo, core_municipalities, programme_office, run_queued_tasks
):
    client, first = letter
    # Papendrecht confirms full participation in MBO: its letter's amounts change.
    save_position(programme_office, mbo, core_municipalities["Papendrecht"], variant="volledig")
    assert client.get(LETTER).status_code == 202
    second = RenderedLetter.objects.exclude(pk=first.pk).get()
    assert second.html_sha256 != first.html_sha256
    assert _queued()[-1] == [second.html_sha256]
    run_queued_tasks()
    response = client.get(LETTER)
    assert response.status_code == 200 and response["ETag"] == f'"{second.html_sha256}"'
    # The older render is no longer asked for: the worker dropped it.
    assert list(RenderedLetter.objects.values_list("pk", flat=True)) == [second.pk]


def test_a_render_asked_for_twice_is_made_once(budget_2024, run_queued_tasks, monkeypatch):
    renders = []
    original = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda html: renders.append(1) or original(html))
    kept = letters.concept_letter("papendrecht", 2024)
    letters.concept_letter("papendrecht", 2024)
    run_queued_tasks()
    from finance.tasks import render_letter

    assert render_letter.call(kept.html_sha256) == "Al gemaakt."
    assert len(renders) == 1


def test_a_render_superseded_before_the_worker_came_is_skipped(
    budget_2024, mbo, core_municipalities, programme_office, run_queued_tasks, no_weasyprint
):
    old = letters.concept_letter("papendrecht", 2024)
    save_position(programme_office, mbo, core_municipalities["Papendrecht"], variant="volledig")
    new = letters.concept_letter("papendrecht", 2024)
    assert new.pk != old.pk
    from finance.tasks import render_letter

    assert render_letter.call(old.html_sha256).startswith("Vervangen")
    assert not RenderedLetter.objects.filter(pk=old.pk).exists()


def test_a_failed_render_says_so_and_is_queued_again_later(
    budget_2024, councillor_dordrecht, run_queued_tasks, monkeypatch
):
    def broken(html):
        raise RuntimeError("kapot")

    working = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", broken)
    client = client_for(councillor_dordrecht)
    client.get(LETTER)
    run_queued_tasks()
    kept = RenderedLetter.objects.get()
    assert kept.status == RenderStatus.FAILED
    assert DBTaskResult.objects.get().status == "FAILED"
    response = client.get(LETTER)
    assert response.status_code == 200 and "kon niet worden gemaakt" in response.text
    assert "refresh" not in response.text
    assert len(_queued()) == 1  # not at once: a broken letter would be rendered every request
    RenderedLetter.objects.update(queued_at=kept.queued_at - letters.RETRY_AFTER)
    assert client.get(LETTER).status_code == 202
    assert len(_queued()) == 2
    monkeypatch.setattr(pdf, "render_pdf", working)
    run_queued_tasks()
    assert client.get(LETTER).status_code == 200


def test_the_report_shows_the_state_of_the_concept_letter(
    budget_2024, councillor_dordrecht, run_queued_tasks
):
    client = client_for(councillor_dordrecht)
    report = client.get("/gemeenten/papendrecht/bijdrage/2024/").text
    # Without JavaScript a plain link; htmx asks the letter's URL for its state at once.
    assert f'href="{LETTER}" hx-get="{LETTER}" hx-trigger="load"' in report
    assert 'id="letter-state" role="status"' in report
    htmx = {"HX-Request": "true", "HX-Target": "letter-state"}
    waiting = client.get(LETTER, headers=htmx)
    assert waiting.status_code == 200 and "<html" not in waiting.text
    assert "wordt gemaakt" in waiting.text and 'hx-trigger="load delay:5s"' in waiting.text
    run_queued_tasks()
    ready = client.get(LETTER, headers=htmx)
    assert "Concept van de brief downloaden (PDF," in ready.text
    assert "hx-trigger" not in ready.text and ready["Content-Type"].startswith("text/html")


def test_typed_text_reaches_the_letter_escaped_and_fetches_nothing(
    budget_2024, councillor_dordrecht, monkeypatch, run_queued_tasks
):
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
    client = client_for(councillor_dordrecht)
    client.get(LETTER)
    run_queued_tasks()  # in this process, so the spy sees every fetch of the worker
    response = client.get(LETTER)
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
    text = _text(response.content)
    assert "file:///etc/passwd" in text  # shown as text, not fetched
    assert "{{ settings.SECRET_KEY }}" in text
    assert b"root:x:0:0" not in response.content


def test_a_day_later_the_concept_is_made_again_with_its_date(budget_2024, monkeypatch):
    """The concept carries today's date: the same figures on another day are new HTML."""
    today = letters.concept_letter("papendrecht", 2024)
    # The Dutch day after the one the concept was made on, by the clock the letter reads.
    tomorrow = letters.timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(letters.timezone, "localdate", lambda: tomorrow)
    assert letters.concept_letter("papendrecht", 2024).pk != today.pk


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_queue_one_render(core_municipalities):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; the race needs PostgreSQL")
    from finance import demo

    demo.load()
    start = threading.Barrier(4)
    kept, errors = [], []

    def ask():
        try:
            start.wait()
            kept.append(letters.concept_letter("papendrecht", 2024).pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(kept)) == 1 and RenderedLetter.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
