"""Work that outlives its starter is started one way (background.spawn), so that no task borrows
the context, and with it the thread executor, of the request or consumer that started it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTERS = {"create_task", "ensure_future"}


def _task_starts(path):
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in STARTERS
        ):
            yield node.lineno


def test_background_tasks_start_through_spawn():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "patterns").rglob("*.py"))
        if path.name != "background.py"
        for line in _task_starts(path)
    ]
    assert not offenders, f"start these with patterns.ledger.background.spawn: {offenders}"
