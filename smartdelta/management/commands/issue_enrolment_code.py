from django.core.management.base import BaseCommand, CommandError

from smartdelta.formatting import format_datetime
from smartdelta.models import User
from smartdelta.twofactor import issue_enrolment_code


class Command(BaseCommand):
    help = (
        "Issue a one-time enrolment code (24 hours) with which USERNAME links an authenticator "
        "app. For the first administrator, who cannot reach beheer before having one."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Geen actieve gebruiker {username!r}.")
        code, record = issue_enrolment_code(None, user)
        return (
            f"Koppelcode voor {username}: {code} (geldig tot {format_datetime(record.valid_until)})"
        )
