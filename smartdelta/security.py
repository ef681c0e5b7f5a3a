"""Security audit log: who did what to which object, from where, with what result.

Never logs passwords or codes. One function, `audit`, so every event has the same shape.
"""

import json
import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("smartdelta.security")


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


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
