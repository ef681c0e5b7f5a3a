"""Memory and first byte of the project export, CSV and XLSX, on the data in the database.

Prints, asserts nothing. Run against a database filled by `make bench` (or by
`manage.py migrate && manage.py load_demo && manage.py make_bench_data --scale 10`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sd_bench python bench/export_memory.py

`tracemalloc` counts the Python allocations of the whole download (the peak above what was
allocated before it); it slows Python down several times, so the times printed are those of
a second, untraced run. The view runs
in this process through Django's test Client, the response is read chunk by chunk like a
server would send it.
"""

import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartdelta.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def measure(client, url: str) -> dict:
    timed = _download(client, url)
    tracemalloc.start()
    tracemalloc.reset_peak()
    _download(client, url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {**timed, "peak_mb": peak / 2**20}


def _download(client, url: str) -> dict:
    started = time.perf_counter()
    response = client.get(url)
    chunks = iter(response.streaming_content if response.streaming else [response.content])
    first = next(chunks, b"")
    first_byte = time.perf_counter() - started
    size = len(first) + sum(len(chunk) for chunk in chunks)
    response.close()
    total = time.perf_counter() - started
    return {"first_byte_s": first_byte, "total_s": total, "bytes": size}


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from portfolio.models import Project
    from smartdelta.models import User

    settings.ALLOWED_HOSTS = ["*"]
    settings.OTP_REQUIRED = False
    user = User.objects.filter(is_councillor=True).order_by("pk").first() or User.objects.first()
    client = Client()
    client.force_login(user)
    client.get("/healthz")  # the process's first request (imports, URL resolver) is not measured
    print(f"{Project.objects.count()} projecten, gebruiker {user.username}")
    print(f"{'export':8} {'eerste byte s':>14} {'totaal s':>9} {'MB':>7} {'piek MB':>8}")
    for fmt in ("csv", "xlsx"):
        m = measure(client, f"/projecten/export.{fmt}")
        print(
            f"{fmt:8} {m['first_byte_s']:14.2f} {m['total_s']:9.2f} "
            f"{m['bytes'] / 2**20:7.1f} {m['peak_mb']:8.1f}"
        )


if __name__ == "__main__":
    main()
