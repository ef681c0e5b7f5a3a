import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.messages import get_messages
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse


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


class NoStoreForUsersMiddleware:
    """Logged-in pages are never stored by browsers or proxies; sessions end after 12 hours."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.setdefault("started_at", int(time.time()))
            if time.time() - started > settings.SESSION_MAX_LIFETIME:
                logout(request)
                return redirect(settings.LOGIN_URL)
        response = self.get_response(request)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class TwoFactorMiddleware:
    """With OTP_REQUIRED, a logged-in user must pass the second factor before anything else.

    Runs after django-otp's OTPMiddleware, which sets `request.user.is_verified()`.
    """

    EXEMPT_URL_NAMES = {"two-factor", "logout", "healthz", "login"}

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
        if match is not None and match.url_name in self.EXEMPT_URL_NAMES:
            return None
        if getattr(request, "htmx", False):
            from django_htmx.http import HttpResponseClientRedirect

            return HttpResponseClientRedirect(reverse("two-factor"))
        return redirect(f"{reverse('two-factor')}?next={request.get_full_path()}")
