"""``manage.py seed_demo``: the demo province that ``make run`` shows a newcomer.

Idempotent: running it again restores the demo data instead of duplicating it. Each app
contributes its part through a ``demo`` module, in dependency order.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import seed_users


class Command(BaseCommand):
    help = "Create or restore the demo province: accounts (and later content and dossiers)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off (demo passwords are public: not on a live site).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with public passwords; it refuses to run with "
                "DEBUG off. Add --force if this really is a demo or test server."
            )
        users = seed_users()
        self.stdout.write(self.style.SUCCESS(f"Demo accounts ready: {len(users)}"))
        for email in users:
            self.stdout.write(f"  {email}")
