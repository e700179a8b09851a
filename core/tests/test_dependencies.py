"""The dependency rule between the project's packages (README.md, "Architecture"), checked
over every module's imports so that an upward import fails ``make test``, and no import
circle between the project's modules (an import inside a function counts too).

Each app may import only the apps below it; ``portal`` (settings, root URLs, WSGI/ASGI and
the API's composition) sits on top and no app imports it. Tests and migrations are left
out: tests may build their world with any app's factories.
"""

import ast
from graphlib import CycleError, TopologicalSorter
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


def project_modules(root):
    """{dotted module name: path} of the project's code (tests and migrations aside)."""
    modules = {}
    for package in PROJECT:
        for path in (root / package).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def module_graph(root):
    """{module: the project modules it imports}, relative imports resolved."""
    modules = project_modules(root)
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                imported.add(base)
                imported.update(f"{base}.{alias.name}" for alias in node.names)
        graph[name] = {module for module in imported if module in modules and module != name}
    return graph


def import_circle(root):
    try:
        TopologicalSorter(module_graph(root)).prepare()
    except CycleError as error:
        return error.args[1]
    return None


def test_no_import_circle_between_modules():
    assert import_circle(Path(settings.BASE_DIR)) is None


def test_the_check_finds_an_import_circle(tmp_path):
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "__init__.py").write_text("")
    (tmp_path / "home" / "models.py").write_text("def page():\n    from .views import show\n")
    (tmp_path / "home" / "views.py").write_text("from home.models import page\n")
    assert sorted(set(import_circle(tmp_path))) == ["home.models", "home.views"]
