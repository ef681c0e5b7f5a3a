"""Writes the page list for the locust run (bench/locustfile.py) as JSON to stdout."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartdelta.settings")

import django  # noqa: E402

django.setup()

from bench.pages import key_pages  # noqa: E402
from portal.management.commands.make_bench_data import (  # noqa: E402
    BENCH_PASSWORD,
    PROJECT_PREFIX,
)
from portfolio.models import Project  # noqa: E402
from smartdelta.models import Organisation  # noqa: E402

json.dump(
    {
        "password": BENCH_PASSWORD,
        "pages": [{**p.as_dict(), "headers": p.headers} for p in key_pages()],
        "project_ids": list(
            Project.objects.filter(name__startswith=PROJECT_PREFIX)
            .order_by("pk")
            .values_list("pk", flat=True)[:500]
        ),
        "core_slugs": list(Organisation.objects.core().values_list("slug", flat=True)),
    },
    sys.stdout,
)
