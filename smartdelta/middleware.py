import logging
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.messages import get_messages
from django.db import OperationalError
from django.dispatch import receiver
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, resolve_url
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import LazyObject, empty
from django.views.defaults import page_not_found
from django_htmx.http import HttpResponseClientRedirect

from .views import database_unavailable

logger = logging.getLogger("django.request")


class HtmxMessagesMiddleware:
    """Adds pending messages as an out-of-band fragment to htmx HTML responses.

    Redirects and HX-Redirect responses are left alone: the next full page shows the messages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 200
            and "HX-Redirect" not in response
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "streaming", False)
        ):
            storage = get_messages(request)
            if len(storage):
                response.content += render_to_string(
                    "includes/messages.html", {"messages": storage, "oob": True}, request
                ).encode()
        return response


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs) -> None:
    """At login: the 12 hours and the idle window start now."""
    request.session["started_at"] = request.session["seen_at"] = int(time.time())


def _private(response) -> bool:
    return "private" in response.get("Cache-Control", "") and response.has_header("ETag")


class NoStoreForUsersMiddleware:
    """Logged-in pages are never stored; sessions end after 30 idle minutes and 12 hours at most.

    The idle timeout is the session's expiry (SESSION_COOKIE_AGE), moved forward by saving the
    session. Saving on every request would write (and fsync) a row per page view, so the session
    is saved when the last save is SESSION_REFRESH_SECONDS old: an idle session ends between 29
    and 30 minutes after the last request.

    An htmx request whose session is over gets an HX-Redirect to the login page, so the whole
    page goes there instead of the login form being swapped into a table cell.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            session.setdefault("started_at", now)  # a session from before this rule
            if now - session["started_at"] > settings.SESSION_MAX_LIFETIME:
                logout(request)
                return self._to_login(request, redirect(settings.LOGIN_URL))
            if now - session.get("seen_at", 0) >= settings.SESSION_REFRESH_SECONDS:
                session["seen_at"] = now  # modified: saved with a new expiry
        response = self.get_response(request)
        # A kept file that its view marks private (a council letter, with its ETag) may stay in
        # the user's own browser, which asks again before using it; nothing else is stored.
        if user is not None and user.is_authenticated and not _private(response):
            response["Cache-Control"] = "no-store"
        return self._to_login(request, response)

    @staticmethod
    def _to_login(request, response):
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)
        ):
            return HttpResponseClientRedirect(response["Location"])
        return response


class TwoFactorMiddleware:
    """With OTP_REQUIRED, a logged-in user must pass the second factor before anything else.

    Runs after django-otp's OTPMiddleware, which sets `request.user.is_verified()`.
    """

    # The portal's own login pages, by their full view name: the admin's login is
    # "admin:login", and a session that passed only the password must not reach it (issue 32).
    EXEMPT_VIEW_NAMES = {"two-factor", "logout", "healthz", "login"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.OTP_REQUIRED:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in self.EXEMPT_VIEW_NAMES:
            return None
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(reverse("two-factor"))
        return redirect(f"{reverse('two-factor')}?next={request.get_full_path()}")


class ResolvedUserMiddleware:
    """`request.user` as the user itself instead of two lazy wrappers around it.

    AuthenticationMiddleware wraps the user in a lazy object and django-otp's OTPMiddleware
    wraps that again; every attribute read (some 1,700 on a sorteerbak page: permissions per
    cell) then goes through both. The user is resolved anyway on every request (the session
    clock of NoStoreForUsersMiddleware reads `is_authenticated`), so resolving it here costs
    nothing and spares the wrappers. Must come after OTPMiddleware, which sets `otp_device` on
    the user when its wrapper is resolved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        while isinstance(user, LazyObject):
            if user._wrapped is empty:
                user._setup()
            user = user._wrapped
        if user is not None:
            request.user = user
        return self.get_response(request)


class DutchNotFoundInDebugMiddleware:
    """With DEBUG on (the demo: `make run`), a 404 still shows the portal's Dutch page.

    Django ignores handler404 under DEBUG and answers with its English technical page, which
    lists every URL of the portal; the demo is shown to people who are not developers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404:
            return page_not_found(request, Http404())
        return response


class DatabaseBusyMiddleware:
    """A view that meets a busy or unreachable database answers with the Dutch 503 page, also
    under DEBUG (`make run`), where Django would show its English technical page.

    SQLite waits for the write lock (smartdelta/settings.py), but a writer can still give up
    after the timeout with "database is locked"; PostgreSQL can be briefly unreachable. The
    transaction rolled back, so nothing of the request was saved. A form sent with POST comes
    back on the page as a button that sends the same input again (with a fresh CSRF token); the
    version it carries still guards against overwriting someone else's change. Uploaded files
    cannot be kept: the page says so.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError):
            return None
        logger.error(
            "Database bezet of onbereikbaar: %s %s",
            request.method,
            request.path,
            exc_info=exception,
        )
        context = {}
        if request.method == "POST":
            context = {
                "resend_url": request.get_full_path(),
                "resend_fields": [
                    (name, value)
                    for name, values in request.POST.lists()
                    if name != "csrfmiddlewaretoken"
                    for value in values
                ],
                "resend_csrf": get_token(request),
                "resend_lost_files": bool(request.FILES),
            }
        return database_unavailable(context)


class PublicForEveryoneMiddleware:
    """A public answer (`Cache-Control: public`: the public side and the API) is the same for
    everyone, so it does not vary by cookie: a proxy or CDN may keep one copy for all readers.

    The session middleware adds `Vary: Cookie` whenever a middleware looked at the user, which
    every request does here; for these answers that is not true, and many CDNs keep nothing
    that varies by cookie. An answer that sets a cookie (a signed-in reader's session is
    renewed) is kept by nobody but that reader: it becomes private, so no shared cache ever
    holds someone's cookie. First in MIDDLEWARE, so it sees the answer last, after the session
    middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "public" not in response.get("Cache-Control", ""):
            return response
        if response.cookies:
            patch_cache_control(response, private=True)
            return response
        if response.has_header("Vary"):
            kept = [v.strip() for v in response["Vary"].split(",")]
            kept = [v for v in kept if v and v.lower() != "cookie"]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response
