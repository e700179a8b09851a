"""The dependency rule between the project's packages (README.md, "Architecture"), checked
over every module's imports so that an upward import fails ``make test``.

Each app may import only the apps below it; ``portal`` (settings, root URLs, WSGI/ASGI and
the API's composition) sits on top and no app imports it. Tests and migrations are left
out: tests may build their world with any app's factories.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

# What each package may import, besides itself.
MAY_IMPORT = {
    "core": set(),
    "accounts": {"core"},
    "payments": {"core"},
    "home": {"core"},
    "procedures": {"core", "home"},
    "forms_app": {"core", "home", "procedures", "accounts", "payments"},
}
PROJECT = {*MAY_IMPORT, "portal"}


def imported_packages(path):
    """(line, top-level package) of every absolute import in the module at ``path``,
    including those inside functions."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            yield node.lineno, name.partition(".")[0]


def upward_imports(root, package):
    """Imports in ``root/package`` of a project package it may not import."""
    allowed = MAY_IMPORT[package] | {package}
    found = []
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts:
            continue
        for line, imported in sorted(imported_packages(path)):
            if imported in PROJECT and imported not in allowed:
                found.append(f"{path.relative_to(root)}:{line} imports {imported}")
    return found


@pytest.mark.parametrize("package", MAY_IMPORT)
def test_no_package_imports_one_above_it(package):
    assert upward_imports(Path(settings.BASE_DIR), package) == []


def test_every_app_of_the_project_has_its_place_in_the_rule():
    apps = {
        path.parent.name
        for path in Path(settings.BASE_DIR).glob("*/apps.py")
        if path.parent.name != "portal"
    }
    assert apps == set(MAY_IMPORT)


def test_the_check_finds_an_upward_import(tmp_path):
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "views.py").write_text(
        "from core.caching import cached_per_version\n"
        "def view():\n"
        "    from forms_app.models import Dossier\n"
        "import portal.urls\n"
    )
    assert upward_imports(tmp_path, "home") == [
        "home/views.py:3 imports forms_app",
        "home/views.py:4 imports portal",
    ]
