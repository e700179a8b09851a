"""``manage.py seed_demo``: the demo province that ``make run`` shows a newcomer.

Idempotent: running it again restores the demo data instead of duplicating it. Each app
of the project contributes its part through a ``demo`` module with a ``seed(write, *,
procedures, dossiers)`` function; a module whose data needs another app's names those apps
in ``AFTER``. The command finds the modules (it names no app, so ``core`` imports none)
and runs them in that order.
"""

from graphlib import CycleError, TopologicalSorter
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import module_has_submodule


def demo_modules():
    """The ``demo`` modules of the project's own apps, each after the apps it names in
    ``AFTER``, otherwise in the order of ``INSTALLED_APPS``."""
    found = {}
    for config in apps.get_app_configs():
        if Path(config.path).parent != Path(settings.BASE_DIR):
            continue  # a package from .venv, not one of the project's apps
        if module_has_submodule(config.module, "demo"):
            module = import_module(f"{config.name}.demo")
            if hasattr(module, "seed"):
                found[config.label] = module
    graph = TopologicalSorter()
    for label, module in found.items():
        graph.add(label, *(before for before in getattr(module, "AFTER", ()) if before in found))
    try:
        return [found[label] for label in graph.static_order()]
    except CycleError as error:
        raise CommandError(f"The demo modules wait for each other: {error.args[1]}") from error


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
        for module in demo_modules():
            module.seed(self.stdout.write, procedures=procedures, dossiers=dossiers)
        self.stdout.write(self.style.SUCCESS("Demo province ready."))
