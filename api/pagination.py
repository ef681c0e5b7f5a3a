"""Pagination by links (ADR, HAL): `_links` with self, first, prev, next and last in the body,
the same links in an RFC 8288 `Link` header, the items under `_embedded`. The page size is the
reader's choice up to MAX_SIZE; anything else is a 400 problem, a page past the last a 404."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
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
        number = positive(request, PAGE, 1)
        size = positive(request, SIZE, DEFAULT_SIZE, MAX_SIZE)
        paginator = Paginator(queryset, size)
        if number > paginator.num_pages:
            raise exceptions.NotFound(
                f"Pagina {number} bestaat niet: de laatste is pagina {paginator.num_pages}."
            )
        self.page = paginator.page(number)
        self.request = request
        return list(self.page.object_list)

    def _url(self, number: int) -> str:
        query = self.request.query_params.copy()
        query[PAGE] = str(number)
        return (
            self.request.build_absolute_uri(self.request.path)
            + "?"
            + urlencode(sorted(query.items()))
        )

    def links(self) -> dict:
        page = self.page
        found = {
            "self": page.number,
            "first": 1,
            "prev": page.previous_page_number() if page.has_previous() else None,
            "next": page.next_page_number() if page.has_next() else None,
            "last": page.paginator.num_pages,
        }
        return {rel: {"href": self._url(n)} for rel, n in found.items() if n is not None}

    def get_paginated_response(self, data):
        links = self.links()
        header = ", ".join(f'<{link["href"]}>; rel="{rel}"' for rel, link in links.items())
        return Response(
            {
                "_links": links,
                "totaal": self.page.paginator.count,
                "_embedded": {self.embedded: data},
            },
            headers={"Link": header},
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["_links", "totaal", "_embedded"],
            "properties": {
                "_links": {
                    "type": "object",
                    "description": "De pagina's van de verzameling (ook in de Link-header).",
                    "required": ["self", "first", "last"],
                    "properties": {rel: LINK for rel in ("self", "first", "prev", "next", "last")},
                },
                "totaal": {"type": "integer", "description": "Hoeveel er in totaal zijn."},
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
