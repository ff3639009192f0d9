"""The loaders and demo steps of entered values, inspection cases and supervisions write
nothing themselves: they parse and call their app's services (issue 14)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import dangvu

ROOT = Path(dangvu.__file__).parent
#: Ways to write a table without a service.
WRITES = {"create", "bulk_create", "update_or_create", "get_or_create", "save", "delete"}
WRITERS = {"insert_rows", "update_rows", "insert_objects", "log_bulk"}


def writes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        name = node.func.id if isinstance(node.func, ast.Name) else name
        if name in WRITES | WRITERS:
            found.append(f"{path.name}:{node.lineno} {name}")
    return found


@pytest.mark.parametrize(
    "module",
    [
        "indicators/exchange.py",
        "indicators/demo.py",
        "inspection/exchange.py",
        "supervision/exchange.py",
        "supervision/demo.py",
    ],
)
def test_it_leaves_the_writes_to_the_services(module: str) -> None:
    assert writes(ROOT / module) == []
