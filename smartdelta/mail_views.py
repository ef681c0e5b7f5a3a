"""The mails that failed for good, in the portal (issue 30): the programme office and `beheer`
send each again or let it drop (`smartdelta.mail`). Anyone else gets 403: the page names
recipients and subjects of every kind of mail."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import mail, permissions
from .errors import DomainError


def _office(request) -> None:
    if not permissions.can_handle_failed_mail(request.user):
        raise PermissionDenied


@require_GET
def failed_mails(request):
    _office(request)
    return render(
        request,
        "smartdelta/failed_mails.html",
        {
            "failed": mail.failed_mails(),
            "waiting": mail.waiting_mails(),
            "handled": mail.handled_mails(),
        },
    )


def _seen(request, task) -> bool:
    """Whether the button names the mail of its address, as the page offered it: a post
    without it (forged, or a form from elsewhere) handles nothing."""
    return request.POST.get("mail") == str(task)


STALE = "Het formulier is verouderd of beschadigd; laad de pagina opnieuw en probeer het nog eens."


@require_POST
def mail_retry(request, task):
    """A button without fields: refused, it answers with the reason and goes back."""
    _office(request)
    if not _seen(request, task):
        messages.error(request, STALE)
        return redirect("office:failed-mails")
    try:
        handling = mail.retry_mail(request.user, task)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"De mail ‘{handling.subject}’ aan {handling.recipients} staat opnieuw klaar om te "
            "versturen.",
        )
    return redirect("office:failed-mails")


@require_POST
def mail_drop(request, task):
    _office(request)
    if not _seen(request, task):
        messages.error(request, STALE)
        return redirect("office:failed-mails")
    try:
        handling = mail.drop_mail(request.user, task)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"De mail ‘{handling.subject}’ aan {handling.recipients} is niet meer verstuurd; hij "
            "staat hieronder bij de afgehandelde mails.",
        )
    return redirect("office:failed-mails")
