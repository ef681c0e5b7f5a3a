"""gunicorn settings shared by production (Dockerfile, docker-compose) and `make bench`.

Threaded workers: a slow request (an export, a large upload) holds a thread, not a whole
worker, so HTML pages keep being served meanwhile. Council letters are not rendered here at
all: the task worker makes them (finance/tasks.py) and a request serves the kept bytes.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "gthread"
# 12 threads per worker: three workers then hold 36 requests at once, each with its own
# database connection (docker-compose: two replicas, 72 connections and the task worker's).
threads = int(os.environ.get("GUNICORN_THREADS", "12"))
# Longer than a user's pause between clicks: closing an idle connection just as the browser
# reuses it resets that request (seen in the load run with the default of 2 s).
keepalive = 5
timeout = 30
graceful_timeout = 20


def post_worker_init(worker):
    """Import every view and compile every template before the worker accepts requests
    (portal/warmup.py): the first page after a start is then not a cold one."""
    from portal.warmup import warm_up

    warm_up()
