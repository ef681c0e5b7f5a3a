from django.core.management.base import BaseCommand
from django.db import transaction

from councils import demo as councils_demo
from finance import demo as finance_demo
from portfolio import demo as portfolio_demo
from results import agenda_demo as results_agenda_demo
from results import demo as results_demo
from results import exploitation_demo as results_exploitation_demo
from smartdelta import demo as smartdelta_demo
from smartdelta.history import acting_as
from smartdelta.models import User
from tables import demo as tables_demo
from tables import partners_demo as tables_partners_demo

LOADERS = [smartdelta_demo.load, portfolio_demo.load, tables_demo.load, finance_demo.load]
LOADERS.append(councils_demo.load)  # the raadsprocedure of seed 000
# Smart Delta & Partners after its councils' procedure, which it links to (seed 000).
LOADERS.append(tables_partners_demo.load)
LOADERS.append(finance_demo.particulars)  # what a griffie needs on each council letter
LOADERS.append(results_demo.load)  # indicators of seeds 001 and 003 (issue 27)
LOADERS.append(results_agenda_demo.load)  # local uitvoeringsagenda's (issue 27)
LOADERS.append(results_exploitation_demo.load)  # exploitation after the subsidy (seed 003)


class Command(BaseCommand):
    help = (
        "Laadt de demodata (idempotent: een tweede keer verandert niets) en toont de demo-logins."
    )

    def handle(self, *args, **options):
        created = {}
        with transaction.atomic():
            created.update(smartdelta_demo.load())
            with acting_as(User.objects.get(username="beheer")):
                for loader in LOADERS[1:]:
                    created.update(loader())
        summary = ", ".join(f"{name}: {count}" for name, count in created.items())
        self.stdout.write(f"Demodata geladen (nieuw aangemaakt: {summary}).")
        self.stdout.write(
            "Demo-logins (wachtwoord voor allemaal: "
            f"{smartdelta_demo.DEMO_PASSWORD}) — alleen voor de demo:"
        )
        for username, _, full_name, _ in smartdelta_demo.demo_user_specs():
            self.stdout.write(f"  {username:<40} {full_name}")
