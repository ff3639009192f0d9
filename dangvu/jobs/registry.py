"""The kinds of background job. Each app declares its own in its `jobs.py`:

    @kind("exchange_import", label="Nhập dữ liệu", result_template="exchange/_import_result.html")
    def run_import(job: Job, progress: Progress) -> Outcome: ...

A kind's function does the work (the same service the page or the command line calls) and
returns what came out: a result to show (JSON) and, for exports, a file to download.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dangvu.core.progress import Progress

if TYPE_CHECKING:
    from dangvu.jobs.models import Job


@dataclass
class Outcome:
    result: dict[str, Any] = field(default_factory=dict)
    content: bytes | None = None
    file_name: str = ""


Runner = Callable[["Job", Progress], Outcome]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    run: Runner
    result_template: str = ""


KINDS: dict[str, Kind] = {}


def kind(name: str, *, label: str, result_template: str = "") -> Callable[[Runner], Runner]:
    def register(run: Runner) -> Runner:
        KINDS[name] = Kind(name=name, label=label, run=run, result_template=result_template)
        return run

    return register


def find(name: str) -> Kind | None:
    return KINDS.get(name)
