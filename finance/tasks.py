"""Council letters rendered by the task worker (`manage.py db_worker`), never in a web request.

As pretix renders its tickets: a request keeps the letter's HTML in a `RenderedLetter` row and
queues `render_letter` with the HTML's digest; the worker turns the HTML into PDF and keeps the
bytes on the row, and the next request serves them. The web workers never run WeasyPrint, so a
letter never holds a page request's thread or core, and nothing needs throttling there. The
worker renders one letter at a time (one `db_worker` process, as docker-compose runs it).

The row keeps the HTML, not a recipe: what the worker renders is exactly what the request saw,
so the kept PDF always belongs to its digest, whatever changed meanwhile.
"""

import hashlib
import logging
from functools import partial

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend

from smartdelta import pdf

from .models import IssuedLetter, RenderedLetter, RenderStatus

logger = logging.getLogger(__name__)


@task
def render_letter(html_sha256: str) -> str:
    """Render the kept HTML with this digest and keep the PDF (an issued letter's on the
    `IssuedLetter`). A render that is no longer needed or already done is skipped."""
    letter = RenderedLetter.objects.defer("pdf").filter(html_sha256=html_sha256).first()
    if letter is None:
        return "Niet meer nodig."
    if letter.is_ready:
        return "Al gemaakt."
    if letter.issued_id is None and _superseded(letter):
        letter.delete()
        return "Vervangen door een nieuwere stand; niet gemaakt."
    try:
        document = pdf.render_pdf(letter.html)
    except Exception:
        logger.exception("Brief %s kon niet worden gemaakt", html_sha256)
        RenderedLetter.objects.filter(pk=letter.pk).exclude(status=RenderStatus.READY).update(
            status=RenderStatus.FAILED, finished_at=timezone.now()
        )
        raise  # the queue keeps the failure too (admin, Achtergrondtaken)
    keep(letter, document)
    return f"Gemaakt ({len(document)} bytes)."


def _superseded(letter: RenderedLetter) -> bool:
    """Whether a newer concept of the same letter was asked for since: the state moved on, and
    whoever waits for this one gets the newer one on their next request."""
    return (
        RenderedLetter.objects.filter(
            organisation_id=letter.organisation_id,
            year=letter.year,
            issued__isnull=True,
            created_at__gt=letter.created_at,
        )
        .exclude(pk=letter.pk)
        .exists()
    )


def keep(letter: RenderedLetter, document: bytes) -> None:
    """Keep `document` as the PDF of `letter`. A concept's older renders go (derived data that
    nobody asks for any more); an issued letter gets its PDF and checksum, once."""
    now = timezone.now()
    with transaction.atomic():
        if letter.issued_id is None:
            RenderedLetter.objects.filter(pk=letter.pk).update(
                status=RenderStatus.READY, pdf=document, finished_at=now
            )
            RenderedLetter.objects.filter(
                organisation_id=letter.organisation_id,
                year=letter.year,
                issued__isnull=True,
                created_at__lt=letter.created_at,
            ).exclude(status=RenderStatus.WAITING).delete()
            return
        # The issued letter keeps the bytes (it is the record of what was sent); this row keeps
        # only that it is done.
        RenderedLetter.objects.filter(pk=letter.pk).update(
            status=RenderStatus.READY, finished_at=now
        )
        issued = IssuedLetter.objects.select_for_update().get(pk=letter.issued_id)
        if issued.sha256:
            return  # kept already (a second render of the same HTML): never replaced
        issued.pdf = document
        issued.sha256 = hashlib.sha256(document).hexdigest()
        # The worker completes what the issuer did; the history names the issuer.
        issued._history_user = issued.issued_by
        issued.save(update_fields=["pdf", "sha256"])


def queue_render(letter: RenderedLetter) -> None:
    """Queue the render of `letter` as part of the current transaction: with the database
    backend the task row commits or rolls back with the letter's row (as `queue_mail` does);
    any other backend gets it on commit."""
    if isinstance(render_letter.get_backend(), DatabaseBackend):
        render_letter.enqueue(letter.html_sha256)
    else:
        transaction.on_commit(partial(render_letter.enqueue, letter.html_sha256), robust=True)
