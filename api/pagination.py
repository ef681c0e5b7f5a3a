"""Pagination by links (ADR, HAL): `_links` with self, first, prev and next in the body, the
same links in an RFC 8288 `Link` header, the items under `_embedded`. The page size is the
reader's choice up to MAX_SIZE; anything else is a 400 problem, an empty page after the first
a 404.

No total and no `last`: counting a collection reads all of it (the public positions are 73,000
at ten times today's data, 30 ms a page just to count them), while a page reads one item more
than it shows to know whether a next one exists. A harvester follows `next` to the end."""

from urllib.parse import urlencode

from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from .serializers import LINK

PAGE = "pagina"
SIZE = "paginaGrootte"
DEFAULT_SIZE = 20
MAX_SIZE = 100


def positive(request, name: str, default: int | None = None, maximum: int = 2_147_483_647):
    """A query parameter that must be a whole number from 1 to `maximum`: 400 otherwise."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10) or not 1 <= int(raw) <= maximum:
        raise exceptions.ParseError(
            f"De parameter {name} moet een geheel getal van 1 tot en met {maximum} zijn."
        )
    return int(raw)


class LinkPagination(BasePagination):
    embedded = "resultaten"  # the name under _embedded: each view sets its own (views.ApiView)

    def paginate_queryset(self, queryset, request, view=None):
        self.number = positive(request, PAGE, 1)
        size = positive(request, SIZE, DEFAULT_SIZE, MAX_SIZE)
        start = (self.number - 1) * size
        found = list(queryset[start : start + size + 1])  # one more: is there a next page?
        if self.number > 1 and not found:
            raise exceptions.NotFound(
                f"Pagina {self.number} bestaat niet: zo ver loopt de lijst niet."
            )
        self.has_next = len(found) > size
        self.request = request
        return found[:size]

    def _url(self, number: int) -> str:
        query = self.request.query_params.copy()
        query[PAGE] = str(number)
        return (
            self.request.build_absolute_uri(self.request.path)
            + "?"
            + urlencode(sorted(query.items()))
        )

    def links(self) -> dict:
        found = {
            "self": self.number,
            "first": 1,
            "prev": self.number - 1 if self.number > 1 else None,
            "next": self.number + 1 if self.has_next else None,
        }
        return {rel: {"href": self._url(n)} for rel, n in found.items() if n is not None}

    def get_paginated_response(self, data):
        links = self.links()
        header = ", ".join(f'<{link["href"]}>; rel="{rel}"' for rel, link in links.items())
        return Response(
            {"_links": links, "_embedded": {self.embedded: data}},
            headers={"Link": header},
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["_links", "_embedded"],
            "properties": {
                "_links": {
                    "type": "object",
                    "description": "De pagina's van de verzameling (ook in de Link-header).",
                    "required": ["self", "first"],
                    "properties": {rel: LINK for rel in ("self", "first", "prev", "next")},
                },
                "_embedded": {
                    "type": "object",
                    "required": [self.embedded],
                    "properties": {self.embedded: schema},
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": PAGE,
                "in": "query",
                "required": False,
                "description": "Welke pagina (vanaf 1).",
                "schema": {"type": "integer", "minimum": 1, "default": 1},
            },
            {
                "name": SIZE,
                "in": "query",
                "required": False,
                "description": f"Hoeveel per pagina (hoogstens {MAX_SIZE}).",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_SIZE,
                    "default": DEFAULT_SIZE,
                },
            },
        ]
