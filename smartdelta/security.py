"""Security audit log: who did what to which object, from where, with what result.

Never logs passwords or codes. One function, `audit`, so every event has the same shape.
"""

import ipaddress
import json
import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Sum
from django.dispatch import receiver

logger = logging.getLogger("smartdelta.security")


def client_ip(request) -> str | None:
    """The client's address, for the audit log and login throttling (django-axes).

    Behind TRUSTED_PROXY_COUNT proxies of our own, each appends the address it was connected
    from to X-Forwarded-For, so the client is the entry that many places from the right; what
    lies further left was written by the client and is ignored. Without trusted proxies, or
    with a header too short or not an address (a request that bypassed the proxy), the
    connection's own address counts.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "")[:1000].split(",")
        if len(hops) >= count:
            try:
                return str(ipaddress.ip_address(hops[-count].strip()))
            except ValueError:
                pass
    return remote


def client_address(request) -> str:
    return (client_ip(request) if request is not None else None) or "-"


class LoginThrottle(AxesDatabaseHandler):
    """django-axes counting failures per account on one address and per client address, each
    with its limit.

    With AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"] axes counts the
    two apart but compares both with one AXES_FAILURE_LIMIT, so five failures for one account
    would also lock everybody behind that address. Here the address's count is scaled onto the
    account's limit: it reaches AXES_FAILURE_LIMIT exactly at LOGIN_ADDRESS_FAILURE_LIMIT
    failures. No limit counts the account alone: that would let anyone lock it (issue 32).
    """

    def get_failures(self, request, credentials=None) -> int:
        limit, address_limit = settings.AXES_FAILURE_LIMIT, settings.LOGIN_ADDRESS_FAILURE_LIMIT
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        parameters = get_lockout_parameters(request, credentials)
        return max(
            count * limit // address_limit if parameter == "ip_address" else count
            for parameter, count in zip(parameters, counts, strict=True)
        )

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears that account's failures from this address only: one valid
        password must not reset the count of a spray from the same address, nor of someone
        guessing the account's password from another."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=client_ip(request)
        ).delete()
        return count


def audit(request, action: str, obj: str = "-", result: str = "ok", actor: str | None = None):
    if actor is None:
        user = getattr(request, "user", None)
        actor = user.get_username() if user is not None and user.is_authenticated else "-"
    logger.info(
        "actor=%s action=%s object=%s result=%s address=%s",
        _field(actor, allow_spaces=False),
        *(_field(v) for v in (action, obj, result, client_address(request))),
    )


def _field(value, allow_spaces: bool = True) -> str:
    """One log field that cannot forge another line or field.

    Text with control characters or quotes is written quoted and escaped, so a newline in a
    username typed at the login cannot start a fake line. The actor is quoted for a space too
    (real usernames have none), so it cannot add a fake `result=ok`; the object keeps its
    `key=value key=value` form.
    """
    text = str(value)
    if any(
        (c.isspace() and not (allow_spaces and c == " ")) or c == '"' or not c.isprintable()
        for c in text
    ):
        return json.dumps(text)
    return text


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit(request, "login", actor=user.get_username())


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # `credentials` has the password scrubbed by Django; log only the username.
    audit(request, "login", result="failed", actor=str(credentials.get("username", "-"))[:150])


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    audit(request, "logout", actor=user.get_username() if user else "-")


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit(request, "lockout", result="locked", actor=str(username or "-")[:150])
