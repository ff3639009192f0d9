"""What the tree tells the modules above it (they connect in their `apps.py`).

`paths_changed` is sent inside the transaction of a reorganisation or an import that
changed the paths of `unit_ids` from the day `since`: a module that keeps something placed
by path (the indicators' tallies) brings it in step before the transaction commits."""

from __future__ import annotations

from django.dispatch import Signal

paths_changed = Signal()
