"""Accounts in the portal (issue 30, smartdelta.accounts): the programme office and `beheer`
invite people, change their roles and organisation, and deactivate them. A refusal or an invalid
form comes back as the form with its errors (status 200); the enrolment code is shown once, on
the answer to the POST that issued it, and is kept nowhere."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import accounts, permissions
from .errors import ConflictError, DomainError
from .forms import AccountForm, PortalFormMixin, VersionForm
from .history import timeline
from .models import User
from .versioning import conflict_form


def _keeper(request) -> None:
    if not permissions.can_invite_users(request.user):
        raise PermissionDenied


def _account(request, pk) -> User:
    """The account (404 when there is none), then 403 unless the user may keep it."""
    _keeper(request)
    account = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    if not permissions.can_keep_account(request.user, account):
        raise PermissionDenied
    return account


@require_GET
def user_list(request):
    _keeper(request)
    users = User.objects.select_related("organisation").order_by("organisation__name", "username")
    rows = [(u, permissions.can_keep_account(request.user, u)) for u in users]
    return render(request, "smartdelta/user_list.html", {"rows": rows})


def _data(form) -> dict:
    data = form.cleaned_data
    return {k: data[k] for k in ("first_name", "last_name", "email", "organisation", "roles")}


@require_http_methods(["GET", "POST"])
def user_invite(request):
    _keeper(request)
    grantable = permissions.grantable_roles(request.user)
    form = AccountForm(request.POST or None, grantable=grantable)
    if request.method == "POST" and form.is_valid():
        try:
            user, code = accounts.invite_user(request.user, **_data(form), request=request)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return render(
                request,
                "smartdelta/enrolment_code.html",
                {"account": user, "code": code, "new": True},
            )
    return render(request, "smartdelta/user_form.html", {"form": form, "account": None})


@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    account = _account(request, pk)
    grantable = permissions.grantable_roles(request.user)
    initial = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "organisation": account.organisation_id,
        "roles": [r.value for r in account.roles if r in grantable],
        "version": account.version,
    }
    form = AccountForm(request.POST or None, initial=initial, grantable=grantable)
    if request.method == "POST" and form.is_valid():
        try:
            saved = accounts.change_user(
                request.user,
                account,
                **_data(form),
                seen_version=form.cleaned_data["version"],
                request=request,
            )
        except ConflictError as error:
            form = conflict_form(
                error, request.POST, lambda data, stored: AccountForm(data, grantable=grantable)
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Account van {saved} opgeslagen.")
            return redirect("office:user-list")
    history = timeline(
        account.history.select_related("history_user").order_by("-history_date", "-history_id"),
        fields=[
            "first_name",
            "last_name",
            "email",
            "organisation",
            "is_active",
            "is_official",
            "is_councillor",
            "is_ambtelijke_regiekamer",
            "is_bestuurlijke_regiekamer",
            "is_programme_office",
            "is_superuser",
        ],
    )
    return render(
        request,
        "smartdelta/user_form.html",
        {
            "form": form,
            "account": account,
            "version_form": VersionForm(initial={"version": account.version}),
            "history": history,
        },
    )


@require_POST
def user_active(request, pk):
    """Deactivate or activate again: a button without fields of its own."""
    account = _account(request, pk)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        saved = accounts.set_active(
            request.user, account, not account.is_active, version, request=request
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        state = "weer actief" if saved.is_active else "gedeactiveerd: inloggen kan niet meer"
        messages.success(request, f"Account van {saved} {state}.")
    return redirect("office:user-edit", pk=account.pk)


@require_POST
def user_enrolment_code(request, pk):
    """A new code to link an authenticator app, shown once on this answer."""
    account = _account(request, pk)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        code = accounts.new_enrolment_code(request.user, account, version, request=request)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("office:user-edit", pk=account.pk)
    return render(
        request, "smartdelta/enrolment_code.html", {"account": account, "code": code, "new": False}
    )


class PasswordSetForm(PortalFormMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nieuw wachtwoord"
        self.fields["new_password2"].label = "Herhaal het wachtwoord"
        self.fields[
            "new_password1"
        ].help_text = "Minstens twaalf tekens; geen veelgebruikt wachtwoord en niet alleen cijfers."
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "De twee wachtwoorden zijn niet gelijk.",
        }


class _PasswordSet(auth_views.PasswordResetConfirmView):
    """The invitee's link from the mail (smartdelta.accounts.set_password_url): set a password
    once, then log in (and link the authenticator app with the code from the inviter)."""

    form_class = PasswordSetForm
    template_name = "registration/password_set.html"
    success_url = reverse_lazy("login")
    reset_url_token = "instellen"

    def render_to_response(self, context, **kwargs):
        # A used, expired or made-up link: the page says so, as a 404 (nothing is here).
        if not self.validlink:
            kwargs["status"] = 404
        return super().render_to_response(context, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Uw wachtwoord is ingesteld. U kunt nu inloggen.")
        return response


password_set = login_not_required(_PasswordSet.as_view())
