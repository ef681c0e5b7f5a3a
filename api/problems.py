"""Errors as RFC 9457 problem details (ADR /core/error-handling/problem-details).

Every error the API answers, from a view or from Django REST framework itself (404, 405, 406,
a bad query parameter), is `application/problem+json` with `type`, `title`, `status` and
`detail`, in Dutch.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response

PROBLEM_JSON = "application/problem+json"

# The title of each status, as RFC 9110 names it, in Dutch; `type` is the status's section
# of RFC 9110, the ADR's choice when a problem has no page of its own.
TITLES = {
    400: "Ongeldig verzoek",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Niet aanvaardbaar",
    500: "Interne fout",
}
SECTIONS = {400: "15.5.1", 404: "15.5.5", 405: "15.5.6", 406: "15.5.7", 500: "15.6.1"}
DETAILS = {
    404: "Dit adres bestaat niet of is niet openbaar.",
    405: "Deze API kan alleen gelezen worden: gebruik GET, HEAD of OPTIONS.",
    406: "Deze API antwoordt alleen in JSON (application/json).",
}


def problem(status_code: int, detail: str, **extra) -> Response:
    body = {
        "type": f"https://www.rfc-editor.org/rfc/rfc9110#section-{SECTIONS.get(status_code, '15')}",
        "title": TITLES.get(status_code, "Fout"),
        "status": status_code,
        "detail": detail,
        **extra,
    }
    return Response(body, status=status_code, content_type=PROBLEM_JSON)


def exception_handler(exc, context):
    """REST framework's exception handler: every exception as a problem, in Dutch."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):  # nothing here is forbidden, only absent
        exc = exceptions.NotFound()
    if not isinstance(exc, exceptions.APIException):
        return None  # Django's 500 page: an error of ours, logged as every other
    code = exc.status_code
    if code in DETAILS and not isinstance(exc, exceptions.ParseError):
        detail = DETAILS[code]
    else:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    response = problem(code, str(detail))
    if isinstance(exc, exceptions.MethodNotAllowed):
        response["Allow"] = "GET, HEAD, OPTIONS"
    return response
