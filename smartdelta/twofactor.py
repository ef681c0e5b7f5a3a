"""The second login step: a TOTP code from an authenticator app (django-otp).

Linking an app needs a one-time enrolment code issued by beheer (issue 17): a password alone
neither logs in nor binds an app. The code is entered once after the password; it creates a
fresh unconfirmed device, shown as a QR code, which the first valid TOTP code confirms.
Codes are never logged, and enrolment codes are stored only as a keyed hash.
"""

import base64
import datetime
import secrets
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .errors import DomainError
from .forms import EnrolmentCodeForm, TokenForm
from .models import EnrolmentCode, User
from .security import audit

ENROLMENT_CODE_VALIDITY = datetime.timedelta(hours=24)
# 32 letters and digits without look-alikes (0/O, 1/I): 12 of them are 60 bits.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
# The session remembers the device that a redeemed code created, until it is confirmed.
ENROLMENT_SESSION_KEY = "otp_enrolment_device"


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def _hash(code: str) -> str:
    return salted_hmac(
        "smartdelta.enrolment-code", _normalise(code), algorithm="sha256"
    ).hexdigest()


@transaction.atomic
def issue_enrolment_code(actor: User | None, user: User, request=None) -> tuple[str, EnrolmentCode]:
    """A new enrolment code for `user`, valid for 24 hours; earlier unused codes end now.

    Returns the code in plain text – shown once to beheer, never stored – and its record.
    """
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at=None, valid_until__gt=now).update(
        valid_until=now
    )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    record = EnrolmentCode.objects.create(
        user=user, code_hash=_hash(code), issued_by=actor, valid_until=now + ENROLMENT_CODE_VALIDITY
    )
    audit(
        request,
        "2fa.code.issue",
        f"user={user.get_username()} code={record.pk}",
        actor=actor.get_username() if actor else "beheer-commando",
    )
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4)), record


@transaction.atomic
def redeem_enrolment_code(user: User, code: str) -> TOTPDevice:
    """Use an enrolment code once: a new, unconfirmed device for `user` to link an app to.

    Raises DomainError (Dutch) for a wrong, used or expired code.
    """
    record = (
        EnrolmentCode.objects.select_for_update().filter(user=user, code_hash=_hash(code)).first()
    )
    ask_again = "Vraag beheer om een nieuwe koppelcode."
    if record is None:
        raise DomainError("Deze koppelcode klopt niet. Controleer de code en probeer het opnieuw.")
    if record.used_at is not None:
        raise DomainError(f"Deze koppelcode is al gebruikt. {ask_again}")
    now = timezone.now()
    if record.valid_until <= now:
        raise DomainError(f"Deze koppelcode is verlopen. {ask_again}")
    record.used_at = now
    record.save(update_fields=["used_at"])
    # A secret shown before (an earlier, abandoned attempt) must not become the device.
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)


@transaction.atomic
def reset_two_factor(actor: User, user: User, request=None) -> int:
    """Unlink every authenticator app of `user`; the next login needs a new enrolment code."""
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    audit(request, "2fa.reset", f"user={user.get_username()} devices={count}", actor=actor.username)
    return count


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def _base32(key: bytes) -> str:
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@require_http_methods(["GET", "POST"])
def two_factor(request):
    user = request.user
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if user.is_verified():
        return redirect(next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(
            user=user, confirmed=False, pk=request.session.get(ENROLMENT_SESSION_KEY)
        ).first()
        if device is None:
            return _enrolment_code(request, next_url)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save()
                request.session.pop(ENROLMENT_SESSION_KEY, None)
                audit(request, "2fa.setup", f"device={device.pk}")
            # A new session key for the session that now holds both factors, as Django's
            # login() gives one for the password step: a key seen before this step (say,
            # fixed by someone else) does not become a fully signed-in session (issue 32).
            request.session.cycle_key()
            otp_login(request, device)
            audit(request, "2fa.verify", f"device={device.pk}")
            messages.success(request, "U bent ingelogd met twee stappen.")
            return redirect(next_url)
        audit(request, "2fa.verify", f"device={device.pk}", "failed")
        form.add_error("token", "Deze code klopt niet of is verlopen. Probeer de nieuwe code.")
    context = {"form": form, "setting_up": setting_up, "next": next_url}
    if setting_up:
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = _base32(device.bin_key)
    return render(request, "registration/two_factor.html", context)


def _enrolment_code(request, next_url: str):
    """First link of an app: ask for the enrolment code from beheer."""
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = redeem_enrolment_code(request.user, form.cleaned_data["code"])
        except DomainError as e:
            audit(request, "2fa.code.redeem", "-", "failed")
            form.add_error("code", str(e))
        else:
            request.session[ENROLMENT_SESSION_KEY] = device.pk
            audit(request, "2fa.code.redeem", f"device={device.pk}")
            return redirect(f"{request.path}?{urlencode({'next': next_url})}")
    return render(request, "registration/enrolment_code.html", {"form": form, "next": next_url})
