"""Links in mails. A mail is read outside the portal, by a worker outside any request, so a
link in it carries the portal's own address (settings.PORTAL_URL, from DJANGO_PORTAL_URL);
`check --deploy` refuses a production without one (smartdelta/checks.py)."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """The full address of `path` (a result of reverse(), starting with "/") for a mail."""
    return settings.PORTAL_URL.rstrip("/") + path
