import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .security import audit


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """A database ping: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def bad_request(request, exception=None):
    """The Dutch 400 page: a post larger than Django's limit (DATA_UPLOAD_MAX_MEMORY_SIZE) or a
    request Django itself refuses, before any view sees it."""
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    """The Dutch 403 page; every refusal is a security event, logged in this one place."""
    audit(request, "forbidden", request.get_full_path()[:200], "denied")
    return render(request, "403.html", status=403)


def database_unavailable(context: dict | None = None) -> HttpResponse:
    """The Dutch 503 page: the database is unreachable or busy; try again shortly.

    Rendered without the request context: the context processors would query the database
    that may be the very thing that failed.
    """
    response = HttpResponse(loader.get_template("503.html").render(context or {}), status=503)
    response["Retry-After"] = "30"
    return response


def server_error(request):
    """500 page, or 503 when the database is unreachable."""
    if isinstance(sys.exc_info()[1], DatabaseError):
        return database_unavailable()
    return HttpResponseServerError(loader.get_template("500.html").render())
