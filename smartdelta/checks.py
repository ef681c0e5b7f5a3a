from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def two_factor_required(app_configs, **kwargs):
    """Production must ask every account for a second factor (BIO, ASVS level 2)."""
    if not settings.OTP_REQUIRED:
        return [
            Error(
                "Two-factor login is off (DJANGO_OTP_REQUIRED=0).",
                hint="Only the local demo may switch it off.",
                id="smartdelta.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def portal_url_is_https(app_configs, **kwargs):
    """Mails link to the portal by its full address (smartdelta/mail.py); production's is https."""
    parts = urlsplit(settings.PORTAL_URL)
    if parts.scheme != "https" or not parts.netloc:
        return [
            Error(
                "DJANGO_PORTAL_URL is missing or not https "
                f"({settings.PORTAL_URL!r}): the links in mails would lead nowhere. / "
                "DJANGO_PORTAL_URL ontbreekt of is geen https-adres: de links in mails "
                "leiden dan nergens heen.",
                hint="Set the portal's own address, e.g. DJANGO_PORTAL_URL=https://portaal.smartdelta.nl",
                id="smartdelta.E002",
            )
        ]
    return []
