"""Base for the `dangvu <verb>` commands: help shows `dangvu <verb>`, errors are one line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class VerbCommand(BaseCommand):
    verb = ""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        return super().create_parser("dangvu", self.verb or subcommand, **kwargs)
