"""Warm a worker before it serves, so the first budget page or letter is not its slowest.

A fresh gunicorn worker has empty caches: the first budget page or report computes the year's
figures (0.6–1.1 s at ten times today's data), the first letter starts the render child and
loads WeasyPrint and the fonts (1.2–1.4 s). `gunicorn.conf.py` calls `warm_up()` in
`post_worker_init`, before the worker accepts a request: it imports every view (the URLconf)
and compiles every template of `templates/` into the cached loader (a page's first render
otherwise compiles its templates and their includes), and for this calendar year's budget and
the latest one (where `/begroting/` leads) it computes what the budget page, the reports of the
seven and their letters of that year read (each report's sorted list of every project of the
year: 30 ms at ten times today's data), and it renders one concept letter in the render child.

Afterwards everything the worker holds so far (Django, the templates, these figures) is moved
out of the garbage collector's sight (`gc.freeze`): a full collection then no longer walks the
hundreds of thousands of objects of the figures at ten times today's data, which showed up as
pauses of 0.3-0.5 s in the p95 and after a saved position. What is frozen and later dropped is
still freed by reference counting; only a cycle among it stays (once, bounded by the warm-up).

A warm-up that fails is logged and the worker serves anyway: it is a head start, not a
dependency. `PORTAL_WARMUP=0` turns it off.
"""

import gc
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
    from django.db import connections
    from django.utils import timezone

    from finance.letters import concept_letter, letter_context
    from finance.models import BudgetYear
    from smartdelta.models import Organisation

    started = time.monotonic()
    try:
        import_module(settings.ROOT_URLCONF)  # and with it every view module
        compile_templates()
        existing = set(BudgetYear.objects.values_list("year", flat=True))
        cores = list(Organisation.objects.core())
        if not existing or not cores:
            return
        years = sorted({max(existing)} | ({timezone.localdate().year} & existing))
        for year in years:
            for organisation in cores:
                letter_context(organisation, year)
        concept_letter(cores[0], years[0])
        logger.info("Warm-up of %s in %.2f s", years, time.monotonic() - started)
    except Exception:
        logger.exception("Warm-up failed; the worker serves without it")
    finally:
        # The requests run in other threads, each with its own connection; a connection inside
        # a transaction (a test's) is not this function's to close.
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()
        gc.collect()
        gc.freeze()


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
