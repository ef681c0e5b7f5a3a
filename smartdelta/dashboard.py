"""The programme office's panel on the dashboard: keeping the portal without /beheer/ (issue 30)."""

from . import mail, permissions


def panel(user) -> dict | None:
    if not permissions.can_handle_failed_mail(user):
        return None
    return {"failed_mails": mail.failed_count()}
