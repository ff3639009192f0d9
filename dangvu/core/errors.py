"""Errors that carry a message for the user (in Vietnamese)."""

from __future__ import annotations


class DomainError(Exception):
    """A write was refused; `message` says why, in Vietnamese, and nothing was changed.
    `field` names the input at fault when a bulk service refuses one row of many (the
    workbook shows it as the cell's column); empty when the whole row is refused."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
