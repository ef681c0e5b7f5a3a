"""PDF from HTML with WeasyPrint, locked down: the one renderer of the portal (council letters,
decision lists).

- The HTML comes from a Django template, so everything users typed is escaped.
- WeasyPrint fetches through `static_only_fetcher`: only files under the portal's static
  directories, by their `/static/` URL. Any other URL (http, file, data, a local address) is
  refused and logged, so typed text can never make the server fetch or embed something.
- Rendering is CPU-bound (half a second for a letter), so council letters are rendered by the
  task worker (`finance/tasks.py`), never in a web request; each render process keeps its
  WeasyPrint font configuration, so the fonts are decoded once.
"""

from __future__ import annotations

import atexit
import logging
import mimetypes
import threading
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

logger = logging.getLogger("smartdelta.pdf")

BASE_URL = "https://portaal.invalid/"


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


def render_pdf(html: str) -> bytes:
    """`html` as tagged PDF; fetches nothing but the portal's own static files."""
    from weasyprint import HTML

    # Tagged PDF/UA: language, title, headings, table headers and reading order for assistive
    # technology (Dutch government documents must be accessible).
    return HTML(string=html, base_url=BASE_URL, url_fetcher=static_only_fetcher).write_pdf(
        pdf_variant="pdf/ua-1", font_config=_font_config()
    )
