"""The modules meet through models only: a leaf module never imports the core's Python internals,
and the core never imports a leaf (DESIGN.md, Modules and boundaries).

A leaf reaches the core through ``self.env[...]`` and the core's documented model methods; its
tests may import the core's test helpers (``odoo.addons.crm_relationship.tests``)."""

import ast
from pathlib import Path

ADDONS = Path(__file__).resolve().parent.parent / "addons"
CORE = "crm_relationship"
LEAVES = ("crm_key_accounts", "crm_quality_feedback")


def _imported_modules(path):
    """(line, dotted name) of every module a Python file imports, relative imports resolved."""
    package = path.relative_to(ADDONS).parent.parts
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(("odoo", "addons", *base, *([node.module] if node.module else [])))
            else:
                module = node.module or ""
            yield node.lineno, module
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def _crossings(module, forbidden, allowed=()):
    """``file:line imports name`` for each import of ``forbidden`` packages from ``module``'s files."""
    found = set()
    for path in sorted((ADDONS / module).rglob("*.py")):
        for line, name in _imported_modules(path):
            for package in forbidden:
                prefix = f"odoo.addons.{package}"
                if (name == prefix or name.startswith(prefix + ".")) and not any(
                    name == f"{prefix}.{ok}" or name.startswith(f"{prefix}.{ok}.") for ok in allowed
                ):
                    found.add(f"{path.relative_to(ADDONS)}:{line} imports {name}")
    return sorted(found)


def test_leaf_modules_use_the_core_through_models_only():
    crossings = [found for leaf in LEAVES for found in _crossings(leaf, [CORE], allowed=("tests",))]
    assert not crossings, (
        "A leaf module imports the core's Python internals; call the core's model methods "
        "(self.env[...]) instead:\n" + "\n".join(crossings)
    )


def test_leaf_modules_do_not_import_each_other_and_the_core_imports_no_leaf():
    crossings = _crossings(CORE, LEAVES)
    for leaf in LEAVES:
        crossings += _crossings(leaf, [other for other in LEAVES if other != leaf])
    assert not crossings, "Modules import each other's Python code:\n" + "\n".join(crossings)


def test_the_check_finds_a_leaf_importing_the_core(tmp_path, monkeypatch):
    leaf = tmp_path / "crm_key_accounts" / "models"
    leaf.mkdir(parents=True)
    (leaf / "bad.py").write_text(
        "from odoo.addons.crm_relationship.models.crm_revenue_source import REVENUE_SOURCES\n"
        "import odoo.addons.crm_relationship.wizards\n"
        "from odoo.addons.crm_relationship.tests.common import RelationshipCase\n",
        encoding="utf-8",
    )
    monkeypatch.setitem(globals(), "ADDONS", tmp_path)
    assert _crossings("crm_key_accounts", [CORE], allowed=("tests",)) == [
        "crm_key_accounts/models/bad.py:1 imports odoo.addons.crm_relationship.models.crm_revenue_source",
        "crm_key_accounts/models/bad.py:1 imports "
        "odoo.addons.crm_relationship.models.crm_revenue_source.REVENUE_SOURCES",
        "crm_key_accounts/models/bad.py:2 imports odoo.addons.crm_relationship.wizards",
    ]
