"""gunicorn settings shared by production (Dockerfile, docker-compose) and `make bench`.

Threaded workers: a council letter waiting for its render slot (finance/pdf.py caps renders
across the whole server) holds a thread, not a whole worker, so HTML pages keep being served
while letters queue.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "gthread"
# More threads than letters may wait in a worker (PDF_MAX_WAITING, 10): with 4 threads, 10
# letters requested together left whole workers with every thread waiting, and the pages they
# accepted meanwhile waited 1-3 s behind them.
threads = int(os.environ.get("GUNICORN_THREADS", "12"))
# Longer than a user's pause between clicks: closing an idle connection just as the browser
# reuses it resets that request (seen in the load run with the default of 2 s).
keepalive = 5
timeout = 30
graceful_timeout = 20


def post_worker_init(worker):
    """Fill the worker's figures cache and start its render child before it accepts requests
    (portal/warmup.py): the first budget page or letter after a start is then not a cold one."""
    from portal.warmup import warm_up

    warm_up()
