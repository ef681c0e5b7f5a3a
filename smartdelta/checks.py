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
