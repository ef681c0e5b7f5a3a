"""The second login step: a TOTP code from an authenticator app (django-otp).

A user without a confirmed device first links an app by scanning a QR code; the device is
confirmed by the first valid code. Codes are never logged.
"""

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import TokenForm
from .security import audit


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


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
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "Authenticator-app"}
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save()
                audit(request, "2fa.setup", f"device={device.pk}")
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


def _base32(key: bytes) -> str:
    import base64

    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
