"""Errors that carry a message for the user (in Vietnamese)."""

from __future__ import annotations

from dataclasses import dataclass, field


class DomainError(Exception):
    """A write was refused; `message` says why, in Vietnamese, and nothing was changed.
    `field` names the input at fault when a bulk service refuses one row of many (the
    workbook shows it as the cell's column); empty when the whole row is refused."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Refusal:
    """A row a bulk service refused: its index in the rows given, the field, why."""

    index: int
    field: str
    message: str


@dataclass
class BulkOutcome:
    """What a bulk service did with its rows; nothing is written when any is refused."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[Refusal] = field(default_factory=list)
