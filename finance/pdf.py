"""Council letters as PDF with WeasyPrint, locked down.

- The HTML comes from a Django template, so everything users typed is escaped.
- WeasyPrint fetches through `static_only_fetcher`: only files under the portal's static
  directories, by their `/static/` URL. Any other URL (http, file, data, a local address) is
  refused and logged, so typed text can never make the server fetch or embed something.
- Rendering is CPU-bound: at most `settings.PDF_MAX_CONCURRENT` letters render at once on the
  whole server (all gunicorn workers together, through lock files), so the other cores keep
  serving pages. A letter waits up to WAIT_SECONDS for a slot (in a gunicorn thread, not a
  whole worker), then gets a Dutch 503. At most `settings.PDF_MAX_WAITING` letters wait in one
  worker, so its other threads stay free for pages; one more gets the 503 straight away.
- WeasyPrint runs in a child process of each worker, at a lower CPU priority (RENDER_NICE), when
  `settings.PDF_RENDER_PROCESS` is on (the default): the worker's own threads keep the GIL and
  the cores for HTML pages while a letter renders. The child is started on the first letter.
- The lock files live in a folder of this instance (PDF_LOCK_DIR, or one named after the code
  folder and database), never a fixed name in the shared temporary folder.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import logging
import mimetypes
import multiprocessing
import os
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

logger = logging.getLogger("smartdelta.pdf")

BASE_URL = "https://portaal.invalid/"
WAIT_SECONDS = 20

_slots = threading.BoundedSemaphore(settings.PDF_MAX_CONCURRENT)
_letters = threading.BoundedSemaphore(settings.PDF_MAX_WAITING)


def default_lock_dir() -> Path:
    """A lock folder of this portal instance alone: named after its code folder and database.

    Another portal on the same machine (another checkout, or the same code on another
    database) gets another folder, so the two never share, or block each other's, render
    slots. Two app servers of one instance that must each keep their own cap set
    PDF_LOCK_DIR apart.
    """
    database = settings.DATABASES["default"]
    key = f"{settings.BASE_DIR}|{database.get('HOST', '')}|{database.get('NAME', '')}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"smartdelta-pdf-{digest}"


LOCK_DIR = Path(os.environ.get("PDF_LOCK_DIR") or default_lock_dir())
POLL_SECONDS = 0.05
RENDER_NICE = 10


class PdfBusy(Exception):
    """All render slots stayed taken for WAIT_SECONDS."""


class FetchRefused(ValueError):
    pass


def _static_roots() -> list[Path]:
    """Every folder a static file may come from: STATIC_ROOT and the finders' folders."""
    roots = [Path(settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            roots.append(Path(storage.location))
    return [root.resolve() for root in roots]


def _inside_static_roots(path: Path) -> Path | None:
    # Resolved (symlinks and all) and checked against the resolved roots: whatever the name
    # said, the file read is one of the portal's static files.
    resolved = path.resolve()
    if resolved.is_file() and any(resolved.is_relative_to(root) for root in _static_roots()):
        return resolved
    return None


def _static_path(url: str) -> Path | None:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or parts.query or parts.fragment:
        return None
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL):
        return None
    relative = PurePosixPath(path.removeprefix(settings.STATIC_URL))
    # Only a plain relative name: no absolute path (which Path(root, name) would jump to), no
    # parent steps, no NUL, no backslash.
    if (
        relative.is_absolute()
        or not relative.parts
        or any(part in ("..", ".") for part in relative.parts)
        or "\x00" in str(relative)
        or "\\" in str(relative)
    ):
        return None
    found = finders.find(str(relative))
    if found is None and settings.STATIC_ROOT:
        found = Path(settings.STATIC_ROOT, *relative.parts)
    return _inside_static_roots(Path(found)) if found else None


class StaticOnlyFetcher:
    """Stands in for WeasyPrint's URLFetcher; serves the portal's own static files, nothing else."""

    _fail_on_errors = False

    def __call__(self, url: str):
        from weasyprint.urls import URLFetcherResponse

        path = _static_path(url)
        if path is None:
            logger.warning("PDF: fetch refused for %r", url[:200])
            raise FetchRefused(f"Niet toegestaan in een PDF: {url[:80]}")
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            url,
            body=path.read_bytes(),
            headers={"Content-Type": mime or "application/octet-stream"},
        )


static_only_fetcher = StaticOnlyFetcher()


def _lock_dir() -> Path:
    """LOCK_DIR, made on first use, private to this user (another user could otherwise hold
    or pre-create the lock files)."""
    LOCK_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    if LOCK_DIR.stat().st_uid != os.getuid():
        raise PermissionError(f"PDF-lockmap {LOCK_DIR} is van een andere gebruiker")
    return LOCK_DIR


@contextlib.contextmanager
def _server_slot(deadline: float):
    """One of PDF_MAX_CONCURRENT lock files, held with flock; freed even if the process dies."""
    folder = _lock_dir()
    while True:
        for number in range(settings.PDF_MAX_CONCURRENT):
            path = folder / f"smartdelta-pdf-{number}.lock"
            handle = open(path, "a")  # noqa: SIM115 - closed below
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() >= deadline:
            raise PdfBusy
        time.sleep(POLL_SECONDS)


_fonts = threading.local()


def _font_config():
    """This thread's WeasyPrint font configuration, kept from one PDF to the next: the portal's
    @font-face fonts (Noto Sans, woff2) are fetched, decoded and registered once per render
    process instead of for every letter (90 of 570 ms at ten times today's data). WeasyPrint
    keys each registered font by its @font-face rule; only the portal's static fonts can get
    there (`static_only_fetcher`)."""
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
        # Let go of it before the interpreter takes its modules down, so that WeasyPrint can
        # still remove its folder of decoded fonts (at that point it fails, and says so).
        atexit.register(_forget_fonts)
    return config


def _forget_fonts() -> None:
    _fonts.__dict__.pop("config", None)


def write_pdf(html: str) -> bytes:
    """The WeasyPrint call itself; runs in the render child, or in-process when that is off."""
    from weasyprint import HTML

    # Tagged PDF/UA: language, title, headings, table headers and reading order for assistive
    # technology (Dutch government documents must be accessible).
    return HTML(string=html, base_url=BASE_URL, url_fetcher=static_only_fetcher).write_pdf(
        pdf_variant="pdf/ua-1", font_config=_font_config()
    )


def _start_render_child():
    os.nice(RENDER_NICE)
    import django

    django.setup()


_executor: ProcessPoolExecutor | None = None
_executor_pid: int | None = None
_executor_lock = threading.Lock()


def _render_executor() -> ProcessPoolExecutor:
    """This process's render child; a new one after a fork (gunicorn workers) or a crash."""
    global _executor, _executor_pid
    with _executor_lock:
        if _executor is None or _executor_pid != os.getpid():
            # spawn, not fork: forking a threaded worker can copy a held lock into the child.
            _executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_render_child,
            )
            _executor_pid = os.getpid()
        return _executor


def _forget_executor(broken: ProcessPoolExecutor) -> None:
    global _executor
    with _executor_lock:
        if _executor is broken:
            _executor = None
    broken.shutdown(wait=False, cancel_futures=True)


def _render_in_child(html: str) -> bytes:
    for attempt in range(2):
        executor = _render_executor()
        try:
            return executor.submit(write_pdf, html).result()
        except BrokenProcessPool:
            # The child died (killed, out of memory); start a fresh one and try once more.
            logger.warning("PDF: render child died (attempt %d)", attempt + 1)
            _forget_executor(executor)
    raise PdfBusy


def render_pdf(html: str) -> bytes:
    deadline = time.monotonic() + WAIT_SECONDS
    # Some threads of this worker stay free for pages: letters beyond PDF_MAX_WAITING do not
    # queue here at all.
    if not _letters.acquire(blocking=False):
        logger.warning("PDF: %d letters already in this worker", settings.PDF_MAX_WAITING)
        raise PdfBusy
    try:
        # Threads of this process queue on the semaphore, processes on the lock files.
        if not _slots.acquire(timeout=WAIT_SECONDS):
            raise PdfBusy
        try:
            with _server_slot(deadline):
                if settings.PDF_RENDER_PROCESS:
                    return _render_in_child(html)
                return write_pdf(html)
        finally:
            _slots.release()
    finally:
        _letters.release()
