"""The things to do plug in: every app's `todo.py` is discovered when the home app is
ready, every provider it declares is registered, and the gatherer asks them in order."""

from __future__ import annotations

import ast
from pathlib import Path

from dangvu.home.todo import PROVIDERS, providers

ROOT = Path(__file__).resolve().parents[2]  # the dangvu package

#: Each kind's providers, in the order the home page shows their things.
EXPECTED = {
    "member": [
        "dangvu.assessments.todo.assessments_open",
        "dangvu.reviews.todo.commitment_to_write",
        "dangvu.sociology.todo.invitations",
        "dangvu.meetings.todo.next_meeting",
    ],
    "cell": [
        "dangvu.reviews.todo.commitments_to_decide",
        "dangvu.meetings.todo.meetings_to_record",
        "dangvu.reviews.todo.reviews_missing",
        "dangvu.reviews.todo.suggestions_to_answer",
        "dangvu.reviews.todo.remediation_overdue",
        "dangvu.rounds.todo.round_reports_of_cells",
    ],
    "staff": [
        "dangvu.rounds.todo.round_reports",
        "dangvu.reports.todo.plans_and_reports",
        "dangvu.indicators.todo.findings",
        "dangvu.surveys.todo.surveys_under_way",
        "dangvu.sociology.todo.surveys_collecting",
    ],
}


def declared() -> set[str]:
    """Every function of a `dangvu/<app>/todo.py` decorated with `@to_do(...)`."""
    found = set()
    for path in ROOT.glob("*/todo.py"):
        module = f"dangvu.{path.parent.name}.todo"
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "id", "") == "to_do"
                for d in node.decorator_list
            ):
                found.add(f"{module}.{node.name}")
    return found


def test_it_registers_every_provider_the_apps_declare() -> None:
    assert declared() == set(PROVIDERS)
    assert len(PROVIDERS) == sum(len(names) for names in EXPECTED.values())


def test_it_asks_each_kind_in_order() -> None:
    for kind, names in EXPECTED.items():
        found = [f"{p.gather.__module__}.{p.gather.__qualname__}" for p in providers(kind)]
        assert found == names, kind
        orders = [p.order for p in providers(kind)]
        assert len(set(orders)) == len(orders), f"two {kind} providers share an order"
