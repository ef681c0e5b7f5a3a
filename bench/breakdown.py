"""Where each key page's time goes, in this process: SQL, the template, and the rest.

Prints, asserts nothing. Run against a database filled by `make bench`:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sd_bench_x10 DJANGO_OTP_REQUIRED=0 \
        python bench/breakdown.py [--n 15]

Each page of `bench.pages.key_pages()` is asked through Django's test Client as its bench user
(three warm-up requests, then `--n` timed ones; medians in ms). SQL is the time spent in the
database calls (`connection.execute_wrapper`); the template is the time of the top-level
`render`, so a query the template sets off counts in both; the rest is the view's Python,
Django building its queries and rows, and the middleware.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartdelta.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=15)
    n = parser.parse_args().n

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.template.backends import django as backend
    from django.test import Client

    from bench.pages import key_pages

    settings.ALLOWED_HOSTS = ["*"]
    spent = {"sql": 0.0, "template": 0.0}
    depth = [0]
    render = backend.Template.render

    def timed_render(self, context=None, request=None):
        depth[0] += 1
        started = time.perf_counter()
        try:
            return render(self, context, request)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                spent["template"] += time.perf_counter() - started

    def timed_sql(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent["sql"] += time.perf_counter() - started

    backend.Template.render = timed_render
    clients = {}
    print(f"{'pagina':24s} {'totaal':>7s} {'SQL':>6s} {'sjabloon':>8s} {'rest':>6s}  (ms, mediaan)")
    for page in key_pages():
        if page.kind == "conditional":
            continue
        if page.username not in clients:
            clients[page.username] = client = Client()
            if page.username:
                client.force_login(get_user_model().objects.get(username=page.username))
        client = clients[page.username]
        headers = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in page.headers.items()}
        for _ in range(3):
            client.get(page.url, **headers)
        rows = []
        with connection.execute_wrapper(timed_sql):
            for _ in range(n):
                spent.update(sql=0.0, template=0.0)
                started = time.perf_counter()
                client.get(page.url, **headers)
                rows.append((time.perf_counter() - started, spent["sql"], spent["template"]))
        total, sql, template = (statistics.median(row[i] for row in rows) * 1000 for i in range(3))
        rest = total - sql - template
        print(f"{page.name:24s} {total:7.1f} {sql:6.1f} {template:8.1f} {rest:6.1f}")


if __name__ == "__main__":
    main()
