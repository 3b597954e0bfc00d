"""Dependencies point down: the ledger at the bottom, then contracts, the feed and the site, then
Shop and the styles, then rooms and tours; nothing under patterns/ imports the project itself, and
a style never imports another style (styles meet only over the wire, as real systems do)."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
STYLES = {app.split(".")[1] for app in settings.STYLE_APPS}
# What each shared app may import, besides itself and the standard and third-party libraries.
BELOW = {
    "ledger": {"contracts"},  # record() checks every message against its contract
    "contracts": {"ledger", "site"},
    "feed": {"ledger", "contracts", "site"},
    "site": {"ledger", "contracts", "feed"},
    "shop": {"ledger", "contracts", "site"},
}


def imported_apps(path):
    """The patterns.* apps that the module at `path` imports, and "playground" if it imports the
    project (a standard module named like an app, such as `queue`, is neither)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        else:
            names = []
        for name in names:
            parts = name.split(".")
            if parts[0] == "patterns" and len(parts) > 1:
                found.add(parts[1])
            elif parts[0] == "playground":
                found.add("playground")
    return found


def modules_of(app):
    return [p for p in (ROOT / "patterns" / app).rglob("*.py") if "migrations" not in p.parts]


def test_nothing_under_patterns_imports_the_project():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "patterns").rglob("*.py")
        if "playground" in imported_apps(p)
    ]
    assert offenders == []


def test_shared_apps_import_only_what_lies_below_them():
    apps = {p.name for p in (ROOT / "patterns").iterdir() if (p / "apps.py").exists()}
    offenders = []
    for app, allowed in BELOW.items():
        for path in modules_of(app):
            wrong = (imported_apps(path) & apps) - allowed - {app}
            offenders += [f"{path.relative_to(ROOT)} imports {sorted(wrong)}"] if wrong else []
    assert offenders == []


def test_a_style_never_imports_another_style_or_the_apps_above_it():
    offenders = []
    for style in STYLES:
        for path in modules_of(style):
            wrong = imported_apps(path) & (STYLES - {style} | {"rooms", "tours"})
            offenders += [f"{path.relative_to(ROOT)} imports {sorted(wrong)}"] if wrong else []
    assert offenders == []
