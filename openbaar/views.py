"""The public side (issue 28): pages, documents and DiWoo sitemaps without an account.

Every view reads through `openbaar.gate`, answers GET only, and answers conditional requests
from the public data's version (`gate.version`) before it renders anything; proxies and CDNs
may keep the answer (`Cache-Control: public`) and ask again with the ETag.
"""

import functools

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET

from finance import figures as finance_figures
from portfolio.models import ProjectStatus, Theme, Variant

from . import diwoo, gate

# How long a proxy may serve a kept answer before asking again with its ETag.
MAX_AGE = 300
SITEMAP_PAGE = 1000  # entries per sitemap file (the protocol allows 50,000)
# Projects per page of a theme: a theme may hold hundreds, each with seven decisions.
THEME_PROJECTS = 25


def _data_version(request, *args, **kwargs) -> str:
    return gate.version()


def public(etag=_data_version):
    """A public view: no login, GET only, a 304 before rendering, kept by proxies."""

    def decorate(view):
        wrapped = cache_control(public=True, max_age=MAX_AGE)(
            condition(etag_func=etag)(require_GET(view))
        )
        return login_not_required(functools.wraps(view)(wrapped))

    return decorate


def _absolute(request):
    return request.build_absolute_uri


@public()
def index(request):
    budgets = list(gate.budgets().order_by("-year").values_list("year", flat=True))
    themes = list(gate.themes())
    return render(
        request,
        "openbaar/index.html",
        {
            "themes": themes,
            "budget_years": budgets,
            "meetings": gate.meetings()
            .select_related("table__theme")
            .order_by("-date", "-pk")[:10],
            "letters": gate.letters()[:10],
        },
    )


@public()
def theme(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    page = Paginator(
        gate.projects().filter(theme=theme).select_related("lead").order_by("name", "pk"),
        THEME_PROJECTS,
    ).get_page(request.GET.get("page"))
    projects = list(page.object_list)
    ids = [project.pk for project in projects]
    cores = list(gate.core_municipalities())
    confirmed = {
        (row["project_id"], row["organisation_id"]): row
        for row in gate.positions()
        .filter(project_id__in=ids)
        .values("project_id", "organisation_id", "in_force_variant", "in_force_reference")
    }
    milestones = {}
    for milestone in gate.milestones().filter(project_id__in=ids).order_by("due_date", "pk"):
        milestones.setdefault(milestone.project_id, []).append(milestone)
    latest = {}
    for update in gate.progress().filter(project_id__in=ids).order_by("-date", "-pk"):
        latest.setdefault(update.project_id, update)
    labels = dict(Variant.choices)
    results = gate.results(theme, ids)
    # The results of the projects on this page, beside each project.
    project_results = {block["project"].pk: block["rows"] for block in results.theme_projects}
    rows = [
        {
            "project": project,
            "results": project_results.get(project.pk, []),
            "milestones": milestones.get(project.pk, []),
            "progress": latest.get(project.pk),
            "cells": [
                {
                    "organisation": org,
                    "label": labels.get(confirmed[(project.pk, org.pk)]["in_force_variant"])
                    if (project.pk, org.pk) in confirmed
                    else None,
                    "reference": confirmed.get((project.pk, org.pk), {}).get(
                        "in_force_reference", ""
                    ),
                }
                for org in cores
            ],
        }
        for project in projects
    ]
    return render(
        request,
        "openbaar/theme.html",
        {
            "theme": theme,
            "rows": rows,
            "cores": cores,
            "statuses": dict(ProjectStatus.choices),
            "results": results,
            "page_obj": page,
        },
    )


@public()
def budget(request, year):
    if not gate.budgets().filter(year=year).exists():
        raise Http404
    figures = finance_figures.read([year]).figures(year)
    amendments = gate.amendments().filter(budget__year=year).order_by("number")
    return render(
        request,
        "openbaar/budget.html",
        {"figures": figures, "amendments": amendments, "year": year},
    )


@public()
def meeting_list(request):
    meetings = gate.meetings().select_related("table__theme").order_by("-date", "-pk")
    page = Paginator(meetings, 50).get_page(request.GET.get("pagina"))
    return render(request, "openbaar/meeting_list.html", {"page": page})


def _meeting(pk):
    return get_object_or_404(gate.meetings().select_related("table__theme"), pk=pk)


@public()
def meeting(request, pk):
    meeting = _meeting(pk)
    items = list(gate.agenda_items().filter(meeting=meeting).order_by("order", "pk"))
    papers = list(gate.listed_papers().filter(item__meeting=meeting))
    for item in items:
        item.public_papers = [p for p in papers if p.item_id == item.pk]
    return render(
        request,
        "openbaar/meeting.html",
        {
            "meeting": meeting,
            "items": items,
            "adopted": meeting.decisions_adopted_at is not None,
        },
    )


@public()
def decision_list(request, pk):
    meeting = get_object_or_404(gate.decision_meetings().select_related("table__theme"), pk=pk)
    decisions = gate.decisions().filter(meeting=meeting).select_related("project")
    return render(
        request, "openbaar/decision_list.html", {"meeting": meeting, "decisions": decisions}
    )


@public()
def paper(request, pk, name):
    # The name is part of the address: a replaced paper (another file) gets another one. It is
    # compared here, not in the query: any text may stand in a URL, NUL bytes included, which
    # PostgreSQL refuses as a parameter (a 500 instead of a 404).
    paper = get_object_or_404(gate.papers(), pk=pk)
    if paper.original_name != name:
        raise Http404
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=False, filename=paper.original_name, content_type=paper.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public()
def letter_list(request):
    page = Paginator(gate.letters(), 50).get_page(request.GET.get("pagina"))
    return render(request, "openbaar/letter_list.html", {"page": page})


def _letter_etag(request, pk, **kwargs):
    # The letter's own checksum: an issued letter never changes, only a new number follows.
    letter = gate.letters().filter(pk=pk).values_list("sha256", flat=True).first()
    return letter


@public(etag=_letter_etag)
def letter_pdf(request, pk):
    letter = get_object_or_404(gate.letters(), pk=pk)
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    name = f"raadsinformatiebrief-{letter.budget.year}-{letter.organisation.slug}-{letter.number}"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public(etag=_letter_etag)
def letter_record(request, pk):
    """The letter's DiWoo record as a file of its own, for the griffie's raadsinformatiesysteem."""
    letter = get_object_or_404(gate.letters(), pk=pk)
    record = diwoo.letter_record(letter, _absolute(request))
    if record is None:
        raise Http404
    response = render(
        request,
        "openbaar/diwoo_record.xml",
        {"record": record},
        content_type="application/xml; charset=utf-8",
    )
    name = f"raadsinformatiebrief-{letter.budget.year}-{letter.organisation.slug}-{letter.number}"
    response["Content-Disposition"] = f'inline; filename="{name}-diwoo.xml"'
    return response


@public()
def robots(request):
    return render(
        request,
        "openbaar/robots.txt",
        {"categories": diwoo.CATEGORIES.values()},
        content_type="text/plain; charset=utf-8",
    )


def _category(number: str) -> diwoo.Category:
    category = diwoo.CATEGORIES.get(number)
    if category is None:
        raise Http404
    return category


@public()
def sitemap_index(request, number):
    category = _category(number)
    records = diwoo.records(category, _absolute(request))
    pages = Paginator(records, SITEMAP_PAGE)
    return render(
        request,
        "openbaar/sitemapindex.xml",
        {
            "category": category,
            "pages": [
                {
                    "number": n,
                    "lastmod": max((r.lastmod for r in pages.page(n).object_list), default=None),
                }
                for n in pages.page_range
            ],
        },
        content_type="application/xml; charset=utf-8",
    )


@public()
def sitemap(request, number, page):
    category = _category(number)
    pages = Paginator(diwoo.records(category, _absolute(request)), SITEMAP_PAGE)
    page = int(page)
    if page not in pages.page_range:
        raise Http404
    return render(
        request,
        "openbaar/sitemap.xml",
        {"records": pages.page(page).object_list},
        content_type="application/xml; charset=utf-8",
    )
