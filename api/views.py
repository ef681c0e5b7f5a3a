"""The read-only API (issue 28) by the Dutch API Design Rules: what the public pages show, for
other systems (a griffie's raadsinformatiesysteem, a journalist, the Woo-index).

Every collection and object is read through `openbaar.gate` (what is public is decided there
only) and the stored figures (`finance.figures`, as the public budget page reads them). Every
answer under /api/v1 carries `API-Version` and an open CORS header (`endpoint`), errors are
problem details (`problems`), and the data's version (`gate.version`, the public pages' ETag)
answers a conditional request with 304 before anything is read or rendered.
"""

import functools
import hashlib
import json
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import CharField, F, Prefetch, Value
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response
from rest_framework.views import APIView

from finance import figures as finance_figures
from openbaar import diwoo, gate
from openbaar.views import MAX_AGE
from smartdelta.converters import MAX_ID

from . import schema, serializers
from .pagination import PAGE, SIZE, LinkPagination, positive
from .serializers import href

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, If-None-Match",
    "Access-Control-Expose-Headers": "API-Version, ETag, Link",
}


def _data_version(request, *args, **kwargs) -> str:
    return gate.version()


def endpoint(view, etag=_data_version):
    """An API view as a URL answers it: no login, the ADR's headers on every answer (errors and
    304s too), a 304 before the view runs, and proxies may keep a success for MAX_AGE.

    The CORS headers are three fixed values on a read-only, anonymous prefix, so they are
    written here rather than by a middleware package."""
    conditional = condition(etag_func=etag)(view)

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        if response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        else:
            response.headers.pop("ETag", None)  # an error is no version of the resource
        response["API-Version"] = schema.API_VERSION
        for header, value in CORS.items():
            response[header] = value
        return response

    answer.login_required = False
    return answer


def _number(request, name: str) -> int | None:
    return positive(request, name, None, MAX_ID)


class Strict:
    """A view that answers a query parameter it does not know with a 400 problem: a mistyped
    filter must not answer everything."""

    http_method_names = ["get", "head", "options"]

    def known_parameters(self) -> set[str]:
        return set()

    def options(self, request, *args, **kwargs):
        """A CORS preflight or a client asking what it may do: 204 with `Allow` (and the CORS
        headers `endpoint` adds), instead of REST framework's description of the view, which
        would be this code's docstrings."""
        return Response(status=204, headers={"Allow": "GET, HEAD, OPTIONS"})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - self.known_parameters())
        if unknown:
            known = ", ".join(sorted(self.known_parameters())) or "geen"
            raise exceptions.ParseError(
                f"Onbekende parameter: {', '.join(unknown)}. Bekend hier: {known}."
            )


class ApiView(Strict, generics.GenericAPIView):
    """A read-only view of one collection and its objects: GET (and HEAD, OPTIONS) only, JSON
    only. `views_of` makes its two URLs' views."""

    pagination_class = LinkPagination
    resource = "resultaten"
    summary = item_summary = ""
    filter_params: tuple[OpenApiParameter, ...] = ()
    path_param: OpenApiParameter | None = None
    lookup_field = "pk"  # the model's field the address names
    lookup_url_kwarg = "identificatie"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Its pages name the collection under _embedded; drf-spectacular makes its own
        # paginator from the class to describe them, so the class carries the name.
        if "resource" in cls.__dict__:
            cls.pagination_class = type(
                f"{cls.__name__}Pages", (LinkPagination,), {"embedded": cls.resource}
            )

    def known_parameters(self) -> set[str]:
        if self.kwargs:  # one object: no query at all
            return set()
        return {PAGE, SIZE, *(p.name for p in self.filter_params)}

    def get(self, request, *args, **kwargs):
        if self.lookup_url_kwarg in kwargs:
            found = get_object_or_404(
                self.get_queryset(), **{self.lookup_field: kwargs[self.lookup_url_kwarg]}
            )
            return Response(self.get_serializer(found).data)
        page = self.paginate_queryset(self.filter(request, self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def filter(self, request, queryset):
        return queryset


def _described(cls, name: str, bases: tuple, **description):
    """A subclass of `cls` whose GET carries its own OpenAPI description."""

    def get(self, request, *args, **kwargs):
        return cls.get(self, request, *args, **kwargs)

    return type(name, bases, {"get": extend_schema(**description)(get)})


def views_of(cls, item_name: str | None = None):
    """The collection's view and its object's view, each with its own OpenAPI description
    (drf-spectacular reads a list from ListModelMixin, and pages it by the pagination class),
    named in Dutch as their URLs are."""
    collection = _described(
        cls,
        cls.__name__,
        (ListModelMixin, cls),
        summary=cls.summary,
        description=schema.COLLECTION_DESCRIPTION,
        parameters=list(cls.filter_params),
        operation_id=cls.resource,
    )
    if cls.path_param is None:
        return collection, None
    item = _described(
        cls,
        cls.__name__ + "Item",
        (cls,),
        summary=cls.item_summary,
        description=schema.ITEM_DESCRIPTION,
        parameters=[cls.path_param],
        operation_id=item_name,
    )
    return collection, item


def _filter(name: str, description: str, kind=int) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description)


def _path(name: str, description: str, kind=int) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.PATH, description=description)


# --- The collections ----------------------------------------------------------------------------


class Organisaties(ApiView):
    summary = "De zeven gemeenten en de trekkers van openbare projecten"
    item_summary = "Eén organisatie"
    path_param = _path("identificatie", "De vaste naam van de organisatie (dordrecht).", str)
    resource = "organisaties"
    serializer_class = serializers.Organisatie
    lookup_field = "slug"

    def get_queryset(self):
        return gate.organisations().order_by("name", "pk")


class Themas(ApiView):
    summary = "De thema's van de samenwerking"
    item_summary = "Eén thema"
    path_param = _path("identificatie", "De vaste naam van het thema.", str)
    resource = "themas"
    serializer_class = serializers.Thema
    lookup_field = "slug"

    def get_queryset(self):
        return gate.themes().order_by("order", "name", "pk")


class Projecten(ApiView):
    summary = "De projecten voorbij het idee"
    item_summary = "Eén project"
    filter_params = (
        _filter("thema", "Alleen de projecten van dit thema (zijn identificatie).", str),
    )
    path_param = _path("identificatie", "Het nummer van het project.")
    resource = "projecten"
    serializer_class = serializers.Project

    def get_queryset(self):
        return gate.projects().select_related("theme", "lead").order_by("pk")

    def filter(self, request, queryset):
        theme = request.query_params.get("thema")
        return queryset.filter(theme__slug=theme) if theme is not None else queryset


class Deelnames(ApiView):
    summary = "De bevestigde posities van de zeven gemeenten, zoals ze gelden"
    item_summary = "Eén bevestigde positie"
    filter_params = (
        _filter("project", "Alleen de posities over dit project (zijn identificatie)."),
        _filter("organisatie", "Alleen de posities van deze gemeente (haar identificatie).", str),
    )
    path_param = _path("identificatie", "Het nummer van de positie.")
    resource = "deelnames"
    serializer_class = serializers.Deelname

    def get_queryset(self):
        return gate.positions().select_related("organisation").order_by("project_id", "pk")

    def filter(self, request, queryset):
        project = _number(request, "project")
        if project is not None:
            queryset = queryset.filter(project_id=project)
        organisation = request.query_params.get("organisatie")
        if organisation is not None:
            queryset = queryset.filter(organisation__slug=organisation)
        return queryset


class Begrotingen(ApiView):
    summary = "De vastgestelde begrotingen, met hun begrotingswijzigingen"
    item_summary = "Eén vastgestelde begroting"
    path_param = _path("jaar", "Het begrotingsjaar.")
    resource = "begrotingen"
    serializer_class = serializers.Begroting
    lookup_field = "year"
    lookup_url_kwarg = "jaar"

    def get_queryset(self):
        return (
            gate.budgets()
            .prefetch_related(
                Prefetch(
                    "lines", queryset=gate.budget_lines().order_by("component", "order", "pk")
                ),
                Prefetch("amendments", queryset=gate.amendments().order_by("number")),
            )
            .order_by("-year")
        )


class Bijdragen(ApiView):
    """The contributions in whole eurocents, as the public budget page and the council letters
    state them: `finance.figures` reads the same stored rows for all three."""

    summary = "Wat elk van de zeven gemeenten per component betaalt, per vastgesteld begrotingsjaar"
    filter_params = (
        _filter("jaar", "Alleen dit begrotingsjaar."),
        _filter("organisatie", "Alleen deze gemeente (haar identificatie).", str),
    )
    resource = "bijdragen"
    serializer_class = serializers.Bijdrage

    def get(self, request, *args, **kwargs):
        years = gate.budgets().order_by("-year")
        year = _number(request, "jaar")
        if year is not None:
            years = years.filter(year=year)
        cores = gate.core_municipalities()
        slug = request.query_params.get("organisatie")
        if slug is not None:
            cores = cores.filter(slug=slug)
        cores = list(cores)
        keys = [(y, org) for y in years.values_list("year", flat=True) for org in cores]
        page = self.paginate_queryset(keys)
        read = finance_figures.read({y for y, _ in page})
        rows = []
        for y, org in page:
            row = read.figures(y).row_for(org.pk)
            rows.append(
                SimpleNamespace(
                    year=y, organisation=org, c1=row.c1, c2=row.c2, c3=row.c3, total=row.total
                )
            )
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class Vergaderingen(ApiView):
    summary = "De openbare vergaderingen van de bestuurlijke tafels"
    item_summary = "Eén openbare vergadering"
    path_param = _path("identificatie", "Het nummer van de vergadering.")
    resource = "vergaderingen"
    serializer_class = serializers.Vergadering

    def get_queryset(self):
        items = gate.agenda_items().order_by("order", "pk")
        return (
            gate.meetings()
            .select_related("table__theme")
            .prefetch_related(Prefetch("agenda_items", queryset=items, to_attr="public_items"))
            .order_by("-date", "-pk")
        )


class Besluiten(ApiView):
    summary = "De besluiten van vastgestelde besluitenlijsten"
    item_summary = "Eén besluit"
    filter_params = (
        _filter("vergadering", "Alleen de besluiten van deze vergadering (haar identificatie)."),
    )
    path_param = _path("identificatie", "Het nummer van het besluit.")
    resource = "besluiten"
    serializer_class = serializers.Besluit

    def get_queryset(self):
        return gate.decisions().order_by("-meeting__date", "meeting_id", "number", "pk")

    def filter(self, request, queryset):
        meeting = _number(request, "vergadering")
        return queryset.filter(meeting_id=meeting) if meeting is not None else queryset


# --- Documents: the public papers and the issued letters together -------------------------------


@dataclass
class Doc:
    identificatie: str
    soort: str
    titel: str
    mediatype: str
    informatiecategorie: str
    ontvangenOp: object
    kind: str
    obj: object

    def links(self, request) -> dict:
        absolute = request.build_absolute_uri
        if self.kind == "stuk":
            paper = self.obj
            return {
                "self": href(request, "document", self.identificatie),
                "inhoud": {
                    "href": absolute(
                        reverse("openbaar:paper", args=[paper.pk, paper.original_name])
                    )
                },
                "vergadering": href(request, "vergadering", paper.item.meeting_id),
            }
        letter = self.obj
        return {
            "self": href(request, "document", self.identificatie),
            "inhoud": {"href": absolute(reverse("openbaar:letter-pdf", args=[letter.pk]))},
            "diwoo": {"href": absolute(reverse("openbaar:letter-record", args=[letter.pk]))},
            "organisatie": href(request, "organisatie", letter.organisation.slug),
            "begroting": href(request, "begroting", letter.budget.year),
        }


def _paper(paper) -> Doc:
    return Doc(
        f"stuk-{paper.pk}",
        "vergaderstuk",
        paper.original_name,
        paper.content_type,
        diwoo.VERGADERSTUKKEN.term.uri,
        paper.sent_at,
        "stuk",
        paper,
    )


def _letter(letter) -> Doc:
    return Doc(
        f"brief-{letter.pk}",
        "raadsinformatiebrief",
        f"Raadsinformatiebrief Smart Delta Drechtsteden {letter.budget.year}, "
        f"gemeente {letter.organisation.name}, kenmerk {letter.reference}",
        "application/pdf",
        diwoo.INGEKOMEN_STUKKEN.term.uri,
        letter.issued_at,
        "brief",
        letter,
    )


KINDS = {"stuk": (gate.papers, _paper), "brief": (gate.letters, _letter)}


def _keys(queryset, kind: str, moment: str):
    return (
        queryset.order_by()
        .annotate(soort=Value(kind, output_field=CharField()), moment=F(moment))
        .values_list("soort", "pk", "moment")
    )


class Documenten(ApiView):
    summary = "De openbare vergaderstukken en de uitgebrachte raadsinformatiebrieven"
    item_summary = "Eén document"
    filter_params = (
        _filter("vergadering", "Alleen de stukken van deze vergadering (haar identificatie)."),
    )
    path_param = _path("identificatie", "stuk-<nummer> of brief-<nummer>.", str)
    resource = "documenten"
    serializer_class = serializers.Document

    def get(self, request, *args, **kwargs):
        if "identificatie" in kwargs:
            kind, _, number = kwargs["identificatie"].partition("-")
            public, build = KINDS[kind]  # the URL pattern admits these two kinds only
            found = get_object_or_404(public(), pk=int(number))
            return Response(self.get_serializer(build(found)).data)
        papers, letters = gate.papers(), gate.letters()
        meeting = _number(request, "vergadering")
        if meeting is not None:
            papers, letters = papers.filter(item__meeting_id=meeting), letters.none()
        keys = _keys(papers, "stuk", "sent_at").union(
            _keys(letters, "brief", "issued_at"), all=True
        )
        page = self.paginate_queryset(keys.order_by("-moment", "soort", "-pk"))
        found = {
            kind: public().in_bulk([pk for k, pk, _ in page if k == kind])
            for kind, (public, _) in KINDS.items()
        }
        docs = [KINDS[kind][1](found[kind][pk]) for kind, pk, _ in page]
        return self.get_paginated_response(self.get_serializer(docs, many=True).data)


# --- The entrance, the OpenAPI document, and every other address under /api/v1 ---------------


class Ingang(Strict, APIView):
    """The entrance: a link to every collection."""

    @extend_schema(
        summary="De verzamelingen van deze API",
        description="Links naar elke verzameling en naar dit OpenAPI-document.",
        responses={200: schema.ENTRANCE},
        operation_id="ingang",
    )
    def get(self, request):
        names = [name for name, _ in schema.COLLECTIONS]
        links = {name: href(request, name) for name in names}
        links["self"] = {"href": request.build_absolute_uri(reverse("api:ingang"))}
        links["openapi"] = {"href": request.build_absolute_uri(reverse("api:openapi"))}
        return Response({"_links": links})


@functools.cache
def document_of(patterns: tuple) -> tuple[dict, str]:
    """The OpenAPI document of `patterns` and its ETag: made from the code alone, once per
    process."""
    document = schema.generate(patterns)
    digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
    return document, f'"{digest[:32]}"'


def etag_of(patterns: tuple):
    """The ETag of the document of `patterns`, as `endpoint` asks for it."""
    return lambda request, *args, **kwargs: document_of(patterns)[1]


@extend_schema(exclude=True)
class OpenApi(Strict, APIView):
    # The addresses the document describes: given by api/urls.py, which lists them (the views
    # do not import their own URLconf).
    patterns: tuple = ()

    def get(self, request):
        return Response(document_of(self.patterns)[0])


class NotFound(APIView):
    """Any other address under /api/v1 (a trailing slash included): a 404 problem with the
    ADR's headers, whatever the method."""

    def dispatch(self, request, *args, **kwargs):
        self.args, self.kwargs, self.request = args, kwargs, self.initialize_request(request)
        self.headers = self.default_response_headers
        response = self.handle_exception(exceptions.NotFound())
        response = self.finalize_response(self.request, response, *args, **kwargs)
        response.headers.pop("Allow", None)  # nothing is allowed at an address that is not there
        return response


VIEWS = {
    "organisaties": Organisaties,
    "themas": Themas,
    "projecten": Projecten,
    "deelnames": Deelnames,
    "begrotingen": Begrotingen,
    "bijdragen": Bijdragen,
    "vergaderingen": Vergaderingen,
    "besluiten": Besluiten,
    "documenten": Documenten,
}
