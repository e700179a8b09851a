"""``manage.py seed_demo``: the demo province that ``make run`` shows a newcomer.

Idempotent: running it again restores the demo data instead of duplicating it. Each app
contributes its part through a ``demo`` module, in dependency order.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import seed_users
from forms_app.demo import seed_dossiers, seed_official_groups, seed_synthetic_dossiers
from home.demo import seed_home
from procedures.demo import seed_catalogue, seed_synthetic_procedures


class Command(BaseCommand):
    help = "Create or restore the demo province: agencies, procedures, guides, accounts, dossiers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--procedures",
            type=int,
            default=0,
            metavar="N",
            help="Also add N synthetic procedures spread over the agencies (for benchmarks).",
        )
        parser.add_argument(
            "--dossiers",
            type=int,
            default=0,
            metavar="N",
            help="Also add N synthetic dossiers spread over agencies and statuses.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off (demo passwords are public: not on a live site).",
        )

    def handle(self, *args, force=False, procedures=0, dossiers=0, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with public passwords; it refuses to run with "
                "DEBUG off. Add --force if this really is a demo or test server."
            )
        if procedures < 0 or dossiers < 0:
            raise CommandError("--procedures and --dossiers must be 0 or more.")
        report = seed_catalogue()
        self.stdout.write(
            f"Procedures: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged"
        )
        seed_home()
        users = seed_users()
        self.stdout.write(f"Demo accounts: {len(users)}")
        if procedures:
            seed_synthetic_procedures(procedures)
            self.stdout.write(f"Synthetic procedures added: {procedures}")
        seed_official_groups()
        self.stdout.write(f"Demo dossiers created: {seed_dossiers()}")
        if dossiers:
            seed_synthetic_dossiers(dossiers)
            self.stdout.write(f"Synthetic dossiers added: {dossiers}")
        self.stdout.write(self.style.SUCCESS("Demo province ready."))
