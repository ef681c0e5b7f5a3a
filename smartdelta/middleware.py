import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.messages import get_messages
from django.shortcuts import redirect
from django.template.loader import render_to_string


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
