"""Dependencies are honest (issue 12 item 6): every runtime dependency in pyproject.toml is imported by the
product, and every third-party module the product imports is declared."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "automation"

# Distributions whose import name is not their name with dashes turned into underscores.
IMPORT_NAMES = {
    "python-docx": "docx",
    "python-dotenv": "dotenv",
    "python-calamine": "python_calamine",
    "msoffcrypto-tool": "msoffcrypto",
    "pdfminer.six": "pdfminer",
    "pyyaml": "yaml",
    "pillow": "PIL",
    "beautifulsoup4": "bs4",
}
# Data-only distributions, used through a standard-library module rather than imported: tzdata is the
# time-zone database zoneinfo falls back on where the operating system has none (Windows).
USED_THROUGH = {"tzdata": "zoneinfo"}


def _runtime_dependencies() -> dict[str, str]:
    """Distribution name (lower case) → its requirement line, from ``[project] dependencies``."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {}
    for requirement in project["dependencies"]:
        name = re.match(r"[A-Za-z0-9._-]+", requirement)
        assert name, requirement
        names[name.group(0).lower()] = requirement
    return names


def _import_name(distribution: str) -> str:
    return IMPORT_NAMES.get(distribution, distribution.replace("-", "_").replace(".", "_"))


def _imported_top_level_modules() -> dict[str, list[str]]:
    """Every top-level module imported anywhere in the package (also inside functions) → the files."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                found.setdefault(module.split(".")[0], []).append(str(path.relative_to(ROOT)))
    return found


def test_tzdata_is_required_only_where_the_system_has_no_time_zone_database():
    requirement = _runtime_dependencies()["tzdata"].replace("'", '"').replace(" ", "")
    assert requirement == 'tzdata>=2024.1;sys_platform=="win32"'


def test_rich_draws_the_terminal():
    assert _runtime_dependencies()["rich"].startswith("rich>=13.7")


def test_every_runtime_dependency_is_imported_by_the_product():
    imported = _imported_top_level_modules()
    unused = [
        distribution
        for distribution in _runtime_dependencies()
        if USED_THROUGH.get(distribution, _import_name(distribution)) not in imported
    ]
    assert unused == []


def test_every_third_party_module_the_product_imports_is_declared():
    declared = {_import_name(distribution) for distribution in _runtime_dependencies()}
    undeclared = {
        module: files
        for module, files in _imported_top_level_modules().items()
        if module not in sys.stdlib_module_names and module != "automation" and module not in declared
    }
    assert undeclared == {}


def test_the_test_extra_has_the_checkers_the_test_command_runs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extra = {
        re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower() for r in project["optional-dependencies"]["test"]
    }
    assert {"pytest", "ruff", "import-linter", "mypy", "jsonschema"} <= extra
