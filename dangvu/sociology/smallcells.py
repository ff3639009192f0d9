"""The small-numbers rule of anonymous surveys, in one place: a count of sheets by unit is
shown (or, once the survey is closed, kept in the database) only for a group of at least
`SMALL_GROUP` sheets. Units below it are merged into one group, itself grown (smallest units
first) until it holds at least 5 sheets and at least 2 units, so that neither a small unit
nor the difference "total minus the units shown" singles anyone out.

Applied once, when an anonymous survey closes (while it collects, its sheets by unit are not
shown at all: groups changing with every sheet could be set against each other). Plain
Python, no models: the closing and the migration that applied the rule to the surveys closed
before it existed both use this function."""

from __future__ import annotations

from collections.abc import Mapping

#: In an anonymous survey, a unit with fewer sheets than this is not shown on its own.
SMALL_GROUP = 5


def merged_units(sheets: Mapping[str, int]) -> set[str]:
    """The units (by code) that go into the merged group, given the sheets of every sampled
    unit — those with no sheet included: "0 of 4" would tell that none of them answered."""
    ordered = sorted(sheets, key=lambda code: (sheets[code], code))
    merged = [code for code in ordered if sheets[code] < SMALL_GROUP]
    rest = [code for code in ordered if sheets[code] >= SMALL_GROUP]
    while merged and rest and (sum(sheets[c] for c in merged) < SMALL_GROUP or len(merged) < 2):
        merged.append(rest.pop(0))
    return set(merged)
