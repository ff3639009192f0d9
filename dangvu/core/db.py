"""Database helpers that must behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from django.db import connection
from django.db.models import F
from django.db.models.expressions import Combinable
from django.db.models.functions import Collate


def bytewise(field: str) -> Combinable:
    """Order a column by its bytes, whatever the database's collation.

    Sort keys from `dangvu.lib.vietnamese` encode Vietnamese order in plain ASCII; a
    PostgreSQL database with a linguistic collation (en_US.UTF-8) would reorder them,
    so they are compared with COLLATE "C" there. SQLite compares bytes already.
    """
    if connection.vendor == "postgresql":
        return Collate(F(field), "C")
    return F(field)
