"""Reference data: the rules and catalogues shipped with dangvu as data.

One mechanism for all of them. An app registers how its data is brought in step, in its
`AppConfig.ready`:

    reference.register(self, sync=lambda: rules_sync(RatingScheme, RatingGrade))

The sync runs after every `migrate` of the app (and after the flush of a transactional
test, which re-emits `post_migrate`), and for every app by `dangvu manage reference_sync`.
Reads go through `loaded(key, load)`: the rows are read once per process and kept until the
data is synced again, so asking "the rule on day D" costs no query. Reference data changes
only by a release (its migration and sync), never on a page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.db.models.signals import post_migrate

if TYPE_CHECKING:
    from django.apps import AppConfig


class Effective(Protocol):
    valid_from: date
    valid_to: date


T = TypeVar("T")
E = TypeVar("E", bound=Effective)

#: App label → the function bringing its reference data in step.
SYNCS: dict[str, Callable[[], object]] = {}
_LOADED: dict[str, list[Any]] = {}

NOT_IN_FORCE = "Không có {what} áp dụng cho ngày {day:%d/%m/%Y}."


def register(app_config: AppConfig, *, sync: Callable[[], object]) -> None:
    """Keep the app's reference data in step after every migrate of the app."""
    SYNCS[app_config.label] = sync
    post_migrate.connect(
        _after_migrate, sender=app_config, dispatch_uid=f"reference.{app_config.label}"
    )


def _after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    sync(sender.label)


def sync(label: str | None = None) -> None:
    """Bring one app's reference data (every app's when `label` is None) in step."""
    for app_label, fn in SYNCS.items():
        if label is None or app_label == label:
            fn()
    forget()


def loaded(key: str, load: Callable[[], Iterable[T]]) -> list[T]:
    """The rows `load` reads, read once and kept until the next sync."""
    if key not in _LOADED:
        _LOADED[key] = list(load())
    return _LOADED[key]


def forget() -> None:
    """Drop the rows kept: the next read asks the database again."""
    _LOADED.clear()


def in_force(rows: Iterable[E], day: date, what: str) -> E:
    """The row valid on `day` ([valid_from, valid_to)); LookupError when none is."""
    for row in rows:
        if row.valid_from <= day < row.valid_to:
            return row
    raise LookupError(NOT_IN_FORCE.format(what=what, day=day))
