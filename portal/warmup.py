"""Warm a worker before it serves, so its first page is not its slowest.

`gunicorn.conf.py` calls `warm_up()` in `post_worker_init`, before the worker accepts a request:
it imports every view (the URLconf) and compiles every template of `templates/` into the cached
loader (a page's first render otherwise compiles its templates and their includes). The figures
are read from the database on every request and letters are rendered by the task worker, so
there is nothing else to prepare.

A warm-up that fails is logged and the worker serves anyway: it is a head start, not a
dependency. `PORTAL_WARMUP=0` turns it off.
"""

import logging
import os
import time
from importlib import import_module
from pathlib import Path

logger = logging.getLogger(__name__)


def warm_up() -> None:
    if os.environ.get("PORTAL_WARMUP", "1") == "0":
        return
    from django.conf import settings

    started = time.monotonic()
    try:
        import_module(settings.ROOT_URLCONF)  # and with it every view module
        count = compile_templates()
        logger.info("Warm-up: %d templates in %.2f s", count, time.monotonic() - started)
    except Exception:
        logger.exception("Warm-up failed; the worker serves without it")


def compile_templates() -> int:
    """Compile every template of the portal's own template folder (the cached loader keeps
    them); returns how many."""
    from django.conf import settings
    from django.template.loader import get_template

    count = 0
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix in {".html", ".txt"}:
                get_template(path.relative_to(folder).as_posix())
                count += 1
    return count
