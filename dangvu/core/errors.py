"""Errors that carry a message for the user (in Vietnamese)."""

from __future__ import annotations


class DomainError(Exception):
    """A write was refused; `message` says why, in Vietnamese, and nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
