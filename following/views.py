"""Following (/volgen/) and the search over what was settled (/zoeken/)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from portfolio.models import Project, Theme
from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from smartdelta.htmx import wants_partial
from smartdelta.versioning import conflict_form
from tables.models import BoardTable

from . import digest, follows
from . import search as searching
from .buttons import button_context
from .forms import DigestForm, SearchForm
from .models import DigestPreference, DigestSent, Follow

PAGE_SIZE = 20
ACTIONS = {"volgen": "volgen", "niet-volgen": "niet-volgen"}


@require_GET
def follow_list(request):
    user = request.user
    rows = list(
        Follow.objects.filter(user=user).select_related("project__theme", "theme", "table__theme")
    )
    preference = follows.preference_of(user)
    return render(
        request,
        "following/follow_list.html",
        _list_context(request, rows, preference, DigestForm(initial=_initial(preference))),
    )


def _initial(preference) -> dict:
    return {"period": preference.period, "version": preference.version}


def _list_context(request, rows, preference, form) -> dict:
    user = request.user
    history = sorted(
        list(
            Follow.history.filter(user=user).select_related("project", "theme", "table__theme")[:20]
        )
        + list(DigestPreference.history.filter(user=user)[:10]),
        key=lambda row: row.history_date,
        reverse=True,
    )[:20]
    return {
        "projects": [f for f in rows if f.project_id],
        "themes": [f for f in rows if f.theme_id],
        "tables": [f for f in rows if f.table_id],
        "preference": preference,
        "form": form,
        "last_digest": DigestSent.objects.filter(user=user).order_by("-until").first(),
        "preview": digest.preview(user, timezone.now()),
        "history": history,
    }


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _change(request, subject):
    """Follow or unfollow `subject`, as the posted `action` says; anything else changes nothing."""
    action = request.POST.get("action")
    label = button_context(request.user, subject, "")["label"]
    try:
        if action == "volgen":
            follows.follow(request.user, subject)
            messages.success(
                request, f"U volgt nu {label}. Wat er verandert, staat in uw samenvatting."
            )
        elif action == "niet-volgen":
            follows.unfollow(request.user, subject)
            messages.success(request, f"U volgt {label} niet meer.")
        else:
            messages.error(request, "Kies ‘Volgen’ of ‘Niet meer volgen’; er is niets gewijzigd.")
    except DomainError as error:
        messages.error(request, str(error))
    next_url = _safe_next(request, "/volgen/")
    if wants_partial(request):
        return render(
            request,
            "following/_follow_button.html",
            button_context(request.user, subject, next_url),
        )
    return redirect(next_url)


# Projects, themes and tables are loaded through what the user may see: a subject that is not
# there for them is a 404, so nobody follows what they cannot see.
@require_POST
def follow_project(request, pk):
    return _change(request, get_object_or_404(Project.objects.for_user(request.user), pk=pk))


@require_POST
def follow_theme(request, slug):
    # Themes are open to everyone signed in (the sorteerbak is the shared picture).
    return _change(request, get_object_or_404(Theme.objects.all(), slug=slug))


@require_POST
def follow_table(request, slug):
    # Board tables are open to everyone signed in (README "What the portal does").
    return _change(
        request, get_object_or_404(BoardTable.objects.select_related("theme"), theme__slug=slug)
    )


@require_POST
def digest_preference(request):
    user = request.user
    form = DigestForm(request.POST)
    if form.is_valid():
        try:
            saved = follows.set_digest_period(
                user, form.cleaned_data["period"], form.cleaned_data["version"]
            )
        except ConflictError as error:
            now = f"Huidige keuze: {error.current.get_period_display().lower()}."
            form = conflict_form(error, request.POST, lambda data, stored: DigestForm(data), now)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Uw samenvatting: {saved.get_period_display().lower()}.")
            return redirect("following:follow-list")
    rows = list(
        Follow.objects.filter(user=user).select_related("project__theme", "theme", "table__theme")
    )
    return render(
        request,
        "following/follow_list.html",
        _list_context(request, rows, follows.preference_of(user), form),
    )


def _page_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


@require_GET
@vary_on_headers("HX-Request")
def search(request):
    """Closed escalations and past meetings with their agenda, for what the user may see."""
    form = SearchForm(
        request.GET or None, sees_regiekamers=permissions.sees_all_escalations(request.user)
    )
    data = form.cleaned_data if form.is_valid() else {}
    page = searching.search_page(
        request.user, data.get("q", ""), data, request.GET.get("page"), PAGE_SIZE
    )
    template = "following/search.html"
    partial = wants_partial(request)
    if partial:
        template += "#results"
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page,
            "results": searching.load_page(page.object_list),
            "searched": bool(request.GET),
            "query_without_page": _page_query(request),
            "oob": partial,
        },
    )
