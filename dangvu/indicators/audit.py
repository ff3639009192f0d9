"""The audit trail keeps who entered which figure where, but not the value of a figure
about persons (inspection, discipline, ratings: `Indicator.sensitive`). The trail is read
by the administrator, who does not reach those records, and by whoever holds a copy of the
database's log; the value stays in the entered figure itself, read through the disclosure
rules (disclosure.py). The text of the entry (`EnteredValue.__str__`) leaves the value out
too."""

from __future__ import annotations

from typing import Any

from dangvu.indicators.disclosure import WITHHELD_TEXT
from dangvu.indicators.models import EnteredValue

#: The fields of an entered value that carry the figure.
FIGURE_FIELDS = ("value",)


def withhold_figure(
    sender: type[EnteredValue], instance: EnteredValue, log_entry: Any = None, **kwargs: Any
) -> None:
    """After auditlog wrote an entry for an entered value: a sensitive figure's value is
    replaced by the withheld marker (a value that was not there stays "None")."""
    if log_entry is None or not instance.indicator.sensitive:
        return
    changes = dict(log_entry.changes or {})
    for name in FIGURE_FIELDS:
        if name in changes:
            changes[name] = [v if v in (None, "None") else WITHHELD_TEXT for v in changes[name]]
    log_entry.changes = changes
    log_entry.changes_text = ""
    log_entry.save(update_fields=["changes", "changes_text"])
