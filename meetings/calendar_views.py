"""Calendar pages: a meeting as .ics, the personal feeds, and the page to manage them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from councils.models import CalendarSubscription
from smartdelta import permissions
from smartdelta.errors import DomainError

from . import calendar
from .meeting_views import get_meeting_for
from .models import Meeting, related

# The session keeps a new feed URL for the one page view that shows it (then forgets it).
NEW_URL_KEY = "calendar_new_feed_url"


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def meeting_ics(request, pk):
    """One meeting as an .ics file, for whoever may read the meeting page."""
    meeting = get_meeting_for(request, pk)
    body = calendar.calendar(calendar.meeting_summary(meeting), [meeting], _base_url(request))
    return _ics_response(body, f"vergadering-{meeting.date:%Y-%m-%d}.ics")


@login_not_required
@never_cache
@require_GET
def feed(request, token):
    """A personal feed: no login (calendar apps cannot log in), only a valid, unrevoked secret.

    Anything else is a 404, so a guessed or revoked URL tells nothing.
    """
    subscription = calendar.subscription_for(token)
    if subscription is None or not subscription.user.is_active:
        raise Http404
    meetings = calendar.feed_meetings(subscription)
    name = f"Smart Delta – {subscription.scope}"
    response = _ics_response(calendar.calendar(name, meetings, _base_url(request)), "agenda.ics")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


def _scope_value(subscription) -> str:
    if subscription.table_id is not None:
        return f"tafel:{subscription.table.theme.slug}"
    return f"regiekamer:{subscription.regiekamer.kind}"


def _scopes(user) -> list[tuple[str, str, dict]]:
    """(value, label, scope) of every table and regiekamer `user` may subscribe to."""
    scopes = [
        (f"tafel:{t.theme.slug}", str(t), {"table": t})
        for t in related(Meeting, "table").objects.select_related("theme")
        if permissions.can_subscribe_calendar(user, table=t)
    ]
    scopes += [
        (f"regiekamer:{r.kind}", str(r), {"regiekamer": r})
        for r in related(Meeting, "regiekamer").objects.all()
        if permissions.can_subscribe_calendar(user, regiekamer=r)
    ]
    return scopes


@require_GET
def subscriptions(request):
    """The Agenda-abonnement page: one's feed URLs, and the coming meetings to download."""
    user = request.user
    active = list(
        CalendarSubscription.objects.active()
        .filter(user=user)
        .select_related("table__theme", "regiekamer")
    )
    subscribed = {_scope_value(s) for s in active}
    scopes = _scopes(user)
    upcoming = [
        m
        for m in Meeting.objects.filter(date__gte=timezone.localdate())
        .select_related("table__theme", "regiekamer")
        .order_by("date", "pk")[:50]
        if permissions.can_read_meeting(user, m)
    ]
    return render(
        request,
        "meetings/subscriptions.html",
        {
            "active": active,
            "new_url": request.session.pop(NEW_URL_KEY, None),
            "choices": [
                (value, label) for value, label, scope in scopes if value not in subscribed
            ],
            "upcoming": upcoming,
            # A table's or meeting's page links here with its own scope chosen (?bereik=).
            "chosen": request.GET.get("bereik", ""),
        },
    )


def _show_once(request, subscription, token) -> None:
    request.session[NEW_URL_KEY] = {
        "scope": str(subscription.scope),
        "url": request.build_absolute_uri(reverse("tables:calendar-feed", args=[token])),
    }


@require_POST
def subscription_create(request):
    scope = dict((value, scope) for value, _, scope in _scopes(request.user)).get(
        request.POST.get("scope", "")
    )
    if scope is None:
        messages.error(request, "Kies een tafel of regiekamer waarop u zich kunt abonneren.")
        return redirect("tables:calendar-subscriptions")
    subscription, token = calendar.subscribe(request.user, **scope)
    _show_once(request, subscription, token)
    messages.success(request, f"Agenda-abonnement op {subscription.scope} gemaakt.")
    return redirect("tables:calendar-subscriptions")


def _own_subscription(request, pk) -> CalendarSubscription:
    # Someone else's subscription is not there for this user: 404, not 403.
    return get_object_or_404(
        CalendarSubscription.objects.active().select_related("table__theme", "regiekamer"),
        pk=pk,
        user=request.user,
    )


@require_POST
def subscription_change(request, pk):
    """Revoke a feed URL, or replace it with a new one: the button pressed names which."""
    subscription = _own_subscription(request, pk)
    action = request.POST.get("action")
    if action == "intrekken":
        calendar.revoke(request.user, subscription)
        messages.success(
            request,
            f"Het abonnement op {subscription.scope} is ingetrokken; de link werkt niet meer.",
        )
    elif action == "vernieuwen":
        try:
            new, token = calendar.renew(request.user, subscription)
        except DomainError:  # no longer allowed to subscribe (a seat or membership ended)
            calendar.revoke(request.user, subscription)
            messages.error(request, f"U kunt zich niet meer abonneren op {subscription.scope}.")
        else:
            _show_once(request, new, token)
            messages.success(
                request, f"Nieuwe link voor {new.scope} gemaakt; de oude werkt niet meer."
            )
    else:
        messages.error(request, "Kies ‘Nieuwe link’ of ‘Intrekken’; er is niets gewijzigd.")
    return redirect("tables:calendar-subscriptions")
