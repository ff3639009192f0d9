"""Effective dating is asked in one place: `dangvu/core/effective.py`.

A filter on `valid_from__…` / `valid_to__…` written by hand anywhere else (a keyword
argument, or a lookup spelled in a string) fails this test: ask `as_of`, `overlapping`,
`in_year`, `covering`... or `Unit.version_on` instead, and add a named question to
core/effective.py when none fits. Model constraints (`CheckConstraint(condition=...)`) are
schema, not questions, and migrations and tests are left alone.
"""

from __future__ import annotations

import ast
import re
from fnmatch import fnmatch
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # dangvu/
HOME = "core/effective.py"

#: Files allowed to spell the lookups by hand: none.
ALLOWED: tuple[str, ...] = ()

LOOKUP = re.compile(r"(?:^|__)valid_(?:from|to)__")


def _skipped(relative: str) -> bool:
    parts = relative.split("/")
    return (
        relative == HOME
        or "migrations" in parts
        or "tests" in parts
        or parts[-1].startswith("test_")
        or parts[-1] == "conftest.py"
    )


def _is_constraint(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    return name.endswith("Constraint")


def hand_written_filters(source: str) -> list[int]:
    """The lines of `source` that filter on valid_from__/valid_to__ outside a constraint."""
    tree = ast.parse(source)
    inside_constraint: set[int] = set()
    for node in ast.walk(tree):
        if _is_constraint(node):
            inside_constraint |= {id(child) for child in ast.walk(node)}
    return sorted(
        {
            node.lineno
            for node in ast.walk(tree)
            if id(node) not in inside_constraint and LOOKUP.search(_lookup_spelled(node))
        }
    )


def _lookup_spelled(node: ast.AST) -> str:
    """The name a keyword argument gives, or the text of a string constant ("" else)."""
    if isinstance(node, ast.keyword):
        return node.arg or ""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ""


def _offences() -> dict[str, list[int]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if _skipped(relative) or any(fnmatch(relative, pattern) for pattern in ALLOWED):
            continue
        lines = hand_written_filters(path.read_text(encoding="utf-8"))
        if lines:
            found[relative] = lines
    return found


def test_it_finds_no_hand_written_date_range_filter() -> None:
    assert _offences() == {}, (
        "Hand-written valid_from__/valid_to__ filters: ask core/effective.py instead "
        "(as_of, overlapping, in_year, valid_after, begun_by, covering, Unit.version_on)."
    )


@pytest.mark.parametrize(
    "source",
    [
        "Role.objects.filter(user=user, valid_from__lte=day, valid_to__gt=day)",
        "Member.objects.filter(memberships__valid_to__gt=day)",
        'Q(**{f"{prefix}valid_from__lt": end})',
        'qs.filter(**{"unit__versions__valid_to__gte": end})',
    ],
)
def test_it_spots_a_hand_written_filter(source: str) -> None:
    assert hand_written_filters(source) == [1]


def test_it_lets_constraints_and_orderings_be() -> None:
    source = (
        'models.CheckConstraint(condition=Q(valid_from__lt=F("valid_to")), name="interval")\n'
        'qs.order_by("-unit__memberships__valid_from", "valid_to")\n'
        'qs.values("valid_from", "unit__versions__valid_to")\n'
    )
    assert hand_written_filters(source) == []
