"""The API's addresses: /api/v1/<collection> and /api/v1/<collection>/<identificatie>, kebab-case
and without a trailing slash (ADR /core/no-trailing-slash). Every other address under /api/v1,
a trailing slash included, answers a 404 problem with the API's headers (views.NotFound)."""

from django.urls import path, re_path

import smartdelta.converters  # noqa: F401  (registers <id:…> and <year:…>)

from . import views
from .views import endpoint

app_name = "api"

PREFIX = "api/v1"
ITEM = {
    "organisaties": ("organisatie", "<slug:identificatie>"),
    "themas": ("thema", "<slug:identificatie>"),
    "projecten": ("project", "<id:identificatie>"),
    "deelnames": ("deelname", "<id:identificatie>"),
    "begrotingen": ("begroting", "<year:jaar>"),
    "vergaderingen": ("vergadering", "<id:identificatie>"),
    "besluiten": ("besluit", "<id:identificatie>"),
}


def _patterns():
    found = [path(PREFIX, endpoint(views.Ingang.as_view()), name="ingang")]
    for name, cls in views.VIEWS.items():
        item_name, converter = ITEM.get(name, ("document", None))
        collection, item = views.views_of(cls, item_name)
        found.append(path(f"{PREFIX}/{name}", endpoint(collection.as_view()), name=name))
        if item is None:
            continue
        if converter:
            found.append(
                path(f"{PREFIX}/{name}/{converter}", endpoint(item.as_view()), name=item_name)
            )
        else:  # the documents: a paper or a letter, by kind and number
            found.append(
                re_path(
                    rf"^{PREFIX}/{name}/(?P<identificatie>(?:stuk|brief)-[0-9]{{1,10}})$",
                    endpoint(item.as_view()),
                    name=item_name,
                )
            )
    return found


# What the OpenAPI document describes (given to its view, which hands them to schema.generate).
documented = tuple(_patterns())

urlpatterns = [
    *documented,
    path(
        f"{PREFIX}/openapi.json",
        endpoint(views.OpenApi.as_view(patterns=documented), etag=views.etag_of(documented)),
        name="openapi",
    ),
    re_path(rf"^{PREFIX}(?:/.*)?$", endpoint(views.NotFound.as_view(), etag=None), name="elders"),
]
